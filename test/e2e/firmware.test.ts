/// <reference lib="dom" />
// The firmware screens as IT uses them, in Debian's chromium against the real platform: compliance,
// a signed upload (and a forged one refused), approving and blocking versions, a campaign created
// from its preview, approved by a second person (the creator is told why they cannot), followed live
// as real MQTT cameras report each step, paused, resumed and canceled; the auditor sees it all and is
// offered no action. Screenshots at desktop and phone widths go to test-artifacts/screens/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  DESKTOP,
  PHONE,
  screenshot,
  seriousA11yViolations,
  signedIn,
  startChromium,
  type BrowserHandle,
} from '../helpers/browser.js';
import { newCamera, newStation } from '../helpers/factories.js';
import { sessionFor } from '../helpers/live.js';
import { cameraTelemetry, connect, credentialsFor, eventually } from '../helpers/mqtt.js';

const uid = () => randomBytes(3).toString('hex').toUpperCase();

interface FirmwareCommand {
  commandId: string;
  type: string;
  version: string;
  url: string;
  size: number;
  sha256: string;
  signature: string;
}

/**
 * A camera on the bus played by the test: docked, charging, in stock, reporting `version`. It
 * records the commands it receives and acknowledges each step when told to (the simulator plays
 * the whole device elsewhere; here the test decides when each step happens, to watch it live).
 */
async function fakeCamera(app: TestApp, admin: Record<string, string>, serial: string, version: string) {
  const client: MqttClient = await connect(
    app.platform.mqttUrl,
    await credentialsFor(app, admin, 'camera', serial, { registered: true }),
  );
  const commands: FirmwareCommand[] = [];
  client.on('message', (_topic, payload) => {
    const cmd = JSON.parse(payload.toString()) as FirmwareCommand;
    if (cmd.type === 'firmware-update') commands.push(cmd);
  });
  await client.subscribeAsync(`bwv/v1/cameras/${serial}/commands`, { qos: 1 });
  const telemetry = (firmware: string) =>
    client.publishAsync(
      `bwv/v1/cameras/${serial}/telemetry`,
      JSON.stringify(
        cameraTelemetry({ firmware, battery: 95, charging: true, dock: { id: `DOCK-${serial}`, slot: 1 } }),
      ),
    );
  await client.publishAsync(`bwv/v1/cameras/${serial}/status`, JSON.stringify({ online: true }), {
    retain: true,
  });
  await telemetry(version);
  return {
    serial,
    commands,
    telemetry,
    ack: (stage: string, extra: Record<string, unknown> = {}) =>
      client.publishAsync(
        `bwv/v1/cameras/${serial}/acks`,
        JSON.stringify({
          ts: new Date().toISOString(),
          commandId: commands.at(-1)!.commandId,
          ok: true,
          stage,
          ...extra,
        }),
      ),
    close: () => client.endAsync(),
  };
}
type FakeCamera = Awaited<ReturnType<typeof fakeCamera>>;

/** Waits until the element's text matches (the live feed, not a reload, must bring it). */
const waitText = (page: Page, selector: string, re: RegExp, timeout = 15_000) =>
  page.waitForFunction(
    ([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.textContent ?? ''),
    [selector, re.source] as const,
    { timeout },
  );

describe('firmware screens in the browser', () => {
  let app: TestApp;
  let chromium: BrowserHandle;
  let admin: Record<string, string>;
  let vendorKey: KeyObject;
  const cameras: FakeCamera[] = [];

  beforeAll(async () => {
    const keys = generateKeyPairSync('ed25519');
    vendorKey = keys.privateKey;
    const dir = await mkdtemp(path.join(tmpdir(), 'bwv-e2e-fw-'));
    const trusted = path.join(dir, 'trusted.pem');
    await writeFile(trusted, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    app = await startApp({ FIRMWARE_TRUSTED_KEYS: trusted, FIRMWARE_TICK_MS: '200' });
    chromium = await startChromium();
    admin = await app.as('admin');
  }, 120_000);
  afterAll(async () => {
    await Promise.all(cameras.map((c) => c.close()));
    await chromium?.close();
    await app?.close();
  });

  it('takes IT from compliance through a signed upload and a two-person campaign, followed live', async () => {
    // A station with four cameras of a model of their own on 1.0.0 and one on 0.9.0.
    const station = await newStation(app, admin);
    const model = `VBE${uid()}`;
    for (const version of ['1.0.0', '1.0.0', '1.0.0', '1.0.0', '0.9.0']) {
      const serial = await newCamera(app, admin, { station, model });
      cameras.push(await fakeCamera(app, admin, serial, version));
    }
    const old = cameras[4]!;
    const ann = await sessionFor(app, 'it');
    const bob = await sessionFor(app, 'it');

    // IT lands on Firmware, on compliance: what the fleet runs, model by model.
    const { page, problems, close } = await signedIn(chromium, app.url, ann);
    await page.getByRole('heading', { name: 'Firmware', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Compliance' }).waitFor();
    const modelCard = page.locator('section.card', { hasText: model });
    await modelCard.locator('tr[data-version="1.0.0"]').waitFor();
    await expect(modelCard.locator('tr[data-version="1.0.0"]').textContent()).resolves.toMatch(/1\.0\.0\s*4/);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Artifacts: a forged signature is refused with the API's words and nothing is kept…
    await page.getByRole('link', { name: 'Artifacts and versions' }).click();
    const upload = page.getByRole('form', { name: 'Upload a signed artifact' });
    const bytes = randomBytes(64 * 1024);
    const fill = async (signature: string) => {
      await upload.getByLabel('Kind').selectOption('camera');
      await upload.getByLabel('Model').fill(model);
      await upload.getByLabel('Version').fill('1.1.0');
      await upload
        .getByLabel('Firmware file')
        .setInputFiles({ name: 'fw-1.1.0.bin', mimeType: 'application/octet-stream', buffer: bytes });
      await upload.getByLabel('Signature (base64)').fill(signature);
      await upload.getByLabel('Release notes (optional)').fill('Fixes the GPS drift.');
      await upload.getByRole('button', { name: 'Upload' }).click();
    };
    await fill(sign(null, randomBytes(16), vendorKey).toString('base64'));
    const refusal = page.getByRole('alert').filter({ hasText: 'Nothing was kept' });
    await refusal.waitFor();
    await screenshot(page, 'fw-02-upload-refused');
    // …the vendor's signature of exactly these bytes is accepted, not reviewed yet.
    await fill(sign(null, bytes, vendorKey).toString('base64'));
    await page.getByText(`Uploaded ${model} 1.1.0`).waitFor();
    const artifactRow = page.locator(`[data-testid=artifacts] tr[data-artifact="${model} 1.1.0"]`);
    await expect(artifactRow.getAttribute('data-status')).resolves.toBe('unreviewed');
    await artifactRow.getByRole('button', { name: `Approve ${model} 1.1.0` }).click();
    await page.waitForSelector(
      `[data-testid=artifacts] tr[data-artifact="${model} 1.1.0"][data-status="approved"]`,
    );
    // A version nobody uploaded, blocked by hand with a reason.
    const setVersion = page.getByRole('form', { name: 'Approve or block a version' });
    await setVersion.getByLabel('Model (empty: every model)').fill(model);
    await setVersion.getByLabel('Version').fill('0.9.0');
    await setVersion.getByLabel('Reason').fill('bricks the SD card on low battery');
    await setVersion.getByRole('button', { name: 'Block version' }).click();
    await page.locator(`[data-testid=versions] tr[data-version="${model} 0.9.0"]`).waitFor();
    await screenshot(page, 'fw-03-artifacts');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'fw-03-artifacts-phone');
    await page.setViewportSize(DESKTOP);

    // Compliance now: the 0.9.0 camera is on a blocked version, the four are behind 1.1.0.
    await page.getByRole('link', { name: 'Compliance' }).click();
    const blockedRow = page.locator('[data-testid=blocked-devices] tr', { hasText: old.serial });
    await blockedRow.waitFor();
    await expect(blockedRow.textContent()).resolves.toContain('bricks the SD card on low battery');
    for (const c of cameras.slice(0, 4))
      await expect(
        page.locator('[data-testid=behind-devices] tr', { hasText: c.serial }).textContent(),
      ).resolves.toMatch(/1\.0\.0\s*1\.1\.0/);
    await screenshot(page, 'fw-01-compliance');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'fw-01-compliance-phone');
    await page.setViewportSize(DESKTOP);

    // A new campaign: the form refuses what it cannot send, naming the field…
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByLabel('Name').fill(`E2E ${model}`);
    await page.getByLabel('Model').selectOption(model);
    await page.getByLabel('Firmware to install').selectOption({ label: '1.1.0 (approved)' });
    await expect(page.getByLabel('Current version range (empty: any)').inputValue()).resolves.toBe('<1.1.0');
    await page.getByText('Takes in 1.0.0 (4), 0.9.0 (1)').waitFor();
    await page.getByLabel('Current version range (empty: any)').fill('>=1.0.0 <1.1.0');
    await page.getByLabel('Canary (devices)').fill('1');
    await page.getByLabel('Then groups (% of the rest)').fill('50');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('alert').filter({ hasText: 'the groups add up to 50%, not 100%' }).waitFor();
    expect(await page.getByLabel('Then groups (% of the rest)').getAttribute('aria-invalid')).toBe('true');
    // …and previews before it creates: four cameras, a canary of one, then three.
    await page.getByLabel('Then groups (% of the rest)').fill('100');
    await page.getByLabel('Success threshold (%)').fill('100');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('preview');
    await preview.waitFor();
    await expect(preview.textContent()).resolves.toContain('4 cameras at 1 station will be updated.');
    await expect(page.getByTestId('preview-waves').textContent()).resolves.toBe('canary 1, then 3');
    await screenshot(page, 'fw-04-preview');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'fw-04-preview-phone');
    await page.setViewportSize(DESKTOP);
    // Changing the form takes the offer to create away until it is previewed again.
    await page.getByLabel('Success threshold (%)').fill('95');
    expect(await page.getByRole('button', { name: /^Create campaign/ }).count()).toBe(0);
    await page.getByLabel('Success threshold (%)').fill('100');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('button', { name: 'Create campaign for 4 devices' }).click();

    // The creator may not approve it, and is told why.
    const campaign = page.locator('[data-campaign-status]');
    await page.waitForSelector('[data-campaign-status="awaiting-approval"]');
    const id = decodeURIComponent(page.url().split('/').at(-1)!);
    await expect(page.getByTestId('two-person').textContent()).resolves.toContain(
      'You created this campaign, so someone else in IT (or an admin) must approve this campaign',
    );
    expect(await page.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    await screenshot(page, 'fw-05-awaiting-approval');
    expect(cameras.every((c) => c.commands.length === 0)).toBe(true);
    const marker = await page.evaluate(
      () => ((window as unknown as { marker: number }).marker = Math.random()),
    );

    // A second IT user approves it; the creator's page follows without a reload.
    const second = await signedIn(chromium, app.url, bob);
    await second.page.goto(`${app.url}/#/firmware/campaigns/${encodeURIComponent(id)}`);
    await second.page.getByRole('button', { name: 'Approve campaign' }).click();
    await second.page.waitForSelector('[data-campaign-status="running"]');
    await page.waitForSelector('[data-campaign-status="running"]', { timeout: 10_000 });
    await second.close();

    // The canary, and only the canary, is sent the update.
    const canary = await eventually(() => cameras.find((c) => c.commands.length > 0), 15_000);
    const cmd = canary.commands[0]!;
    expect(cmd).toMatchObject({ type: 'firmware-update', version: '1.1.0', size: bytes.length });
    expect(cmd.url).toMatch(/\/api\/v1\/firmware\/artifacts\/[^/]+\/download$/);
    expect(cameras.filter((c) => c.commands.length > 0).map((c) => c.serial)).toEqual([canary.serial]);
    expect(old.commands).toEqual([]);

    // Each step it reports shows on the page as it happens.
    const states = '[data-testid=overall-states]';
    await canary.ack('downloading', { progress: 40 });
    await waitText(page, `${states} [data-state=downloading]`, /downloading\s*1/);
    await screenshot(page, 'fw-06-live-downloading');
    for (const stage of ['downloaded', 'verifying', 'installing', 'rebooting']) await canary.ack(stage);
    await waitText(page, `${states} [data-state=rebooting]`, /rebooting\s*1/);
    // Success only once it is back on the new version.
    await new Promise((r) => setTimeout(r, 50));
    await canary.telemetry('1.1.0');
    await waitText(page, `${states} [data-state=succeeded]`, /succeeded\s*1/);
    await page.waitForSelector('[data-wave="0"][data-wave-status="done"]');
    // The next wave starts: the other three are sent it, the 0.9.0 camera never.
    await eventually(() => cameras.slice(0, 4).every((c) => c.commands.length === 1), 15_000);
    for (const c of cameras.slice(0, 4).filter((x) => x !== canary))
      await c.ack('downloading', { progress: 5 });
    await waitText(page, `${states} [data-state=downloading]`, /downloading\s*3/);
    await waitText(page, '[data-testid=overall]', /1 of 4 finished/);
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
    await screenshot(page, 'fw-07-live-wave');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'fw-07-live-wave-phone');
    await page.setViewportSize(DESKTOP);

    // Pause with a reason, resume, cancel (after confirming).
    await page.getByRole('button', { name: 'Pause…' }).click();
    await page.getByLabel('Why pause?').fill('helpdesk reports GPS drift');
    await page.getByRole('button', { name: 'Pause campaign' }).click();
    await page.waitForSelector('[data-campaign-status="paused"]');
    await expect(page.getByTestId('paused-reason').textContent()).resolves.toContain(
      'helpdesk reports GPS drift',
    );
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForSelector('[data-campaign-status="running"]');
    await page.getByRole('button', { name: 'Cancel campaign…' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the campaign' }).click();
    await page.waitForSelector('[data-campaign-status="canceled"]');
    await expect(campaign.getAttribute('data-campaign-status')).resolves.toBe('canceled');
    await screenshot(page, 'fw-08-canceled');
    // What the page says is what the API holds.
    const stored = await app.http().get(`/api/v1/firmware/campaigns/${id}`).set(admin).expect(200);
    expect(stored.body).toMatchObject({
      status: 'canceled',
      createdBy: ann.username,
      approvedBy: bob.username,
    });
    expect(stored.body.counts.succeeded).toBe(1);
    expect(old.commands).toEqual([]);

    // A maintenance window for the station, in its own time zone.
    await page.getByRole('link', { name: 'Maintenance windows' }).click();
    await page.getByRole('button', { name: `Edit the window of ${station}` }).click();
    const windowForm = page.getByRole('form', { name: `Window of ${station}` });
    await windowForm.getByLabel('Time zone').selectOption('Europe/London');
    await windowForm.getByLabel('From').fill('23:00');
    await windowForm.getByLabel('to', { exact: true }).fill('05:00');
    await windowForm.getByRole('button', { name: 'Save window' }).click();
    await page
      .locator(`[data-station="${station}"]`)
      .getByText('Mon–Fri 23:00–05:00 (ends the next day)')
      .waitFor();
    await screenshot(page, 'fw-09-windows');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'fw-09-windows-phone');
    expect(problems).toEqual([]);
    await close();

    // The auditor reads everything and is offered nothing.
    const auditor = await sessionFor(app, 'auditor');
    const audit = await signedIn(chromium, app.url, auditor);
    await audit.page.goto(`${app.url}/#/firmware/campaigns/${encodeURIComponent(id)}`);
    await audit.page.waitForSelector('[data-campaign-status="canceled"]');
    await audit.page.getByTestId('read-only').waitFor();
    // Reading takes no button but logging out (and refreshing, paging); nothing that changes anything.
    const ACTIONS =
      /approve|pause|resume|cancel|roll back|upload|block|withdraw|edit|remove|save|set a window/i;
    const offered = async () =>
      (await audit.page.getByRole('button').allTextContents()).filter((b) => ACTIONS.test(b));
    expect(await offered()).toEqual([]);
    await screenshot(audit.page, 'fw-10-auditor-campaign');
    await audit.page.getByRole('link', { name: 'Artifacts and versions' }).click();
    await audit.page.locator(`[data-testid=artifacts] tr[data-artifact="${model} 1.1.0"]`).waitFor();
    expect(await offered()).toEqual([]);
    expect(await audit.page.getByRole('form', { name: 'Upload a signed artifact' }).count()).toBe(0);
    await audit.page.getByRole('link', { name: 'Campaigns' }).click();
    await audit.page.locator(`[data-campaign="E2E ${model}"]`).waitFor();
    expect(await audit.page.getByRole('link', { name: 'New campaign' }).count()).toBe(0);
    await audit.page.setViewportSize(PHONE);
    await screenshot(audit.page, 'fw-10-auditor-campaigns-phone');
    expect(await seriousA11yViolations(audit.page)).toEqual([]);
    expect(audit.problems).toEqual([]);
    await audit.close();
  }, 120_000);
});
