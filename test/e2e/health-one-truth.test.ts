/// <reference lib="dom" />
// One truth for health, in the browser (issue 19): a camera that reports an assignment the register
// does not have is "warning" with that reason in the API, and the fleet list, the camera page and
// shift readiness show exactly that, at desktop and phone widths (the issue found 8 of 9 differ).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  screenshot,
  seriousA11yViolations,
  signedIn,
  startChromium,
  type BrowserHandle,
} from '../helpers/browser.js';
import { newCamera, newOfficer, newShiftNow, newStation } from '../helpers/factories.js';
import { sessionFor } from '../helpers/live.js';
import { cameraTelemetry, connect as connectMqtt, credentialsFor, eventually } from '../helpers/mqtt.js';

describe('one health on every screen', () => {
  let app: TestApp;
  let chromium: BrowserHandle;
  let admin: Record<string, string>;
  let device: MqttClient | undefined;

  beforeAll(async () => {
    app = await startApp({ READINESS_REFRESH_S: '1' });
    chromium = await startChromium();
    admin = await app.as('admin');
  }, 120_000);
  afterAll(async () => {
    await device?.endAsync();
    await chromium?.close();
    await app?.close();
  });

  it('shows a mismatched camera as the API does: fleet list, camera page and readiness', async () => {
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    await newShiftNow(app, admin, station, [officer]);
    const serial = await newCamera(app, admin, { station });
    await app
      .http()
      .post('/api/v1/checkouts')
      .set(admin)
      .send({ camera: serial, officer, mode: 'pool' })
      .expect(201);
    device = await connectMqtt(
      app.platform.mqttUrl,
      await credentialsFor(app, admin, 'camera', serial, { registered: true }),
    );
    await device.publishAsync(
      `bwv/v1/cameras/${serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ assignedTo: 'O00007', battery: 88 })),
    );
    const live = await eventually(async () => {
      const r = await app.http().get(`/api/v1/cameras/${serial}`).set(admin).expect(200);
      return r.body.live as { health: string; reasons: string[] } | undefined;
    }, 10_000);
    const reason = `camera reports assignment to O00007, register says ${officer}`;
    expect(live).toMatchObject({ health: 'warning', reasons: [reason] });

    const s = await sessionFor(app, 'inspector', station);
    for (const [width, height, suffix] of [
      [1280, 900, 'desktop'],
      [390, 844, 'phone'],
    ] as const) {
      const { page, problems, close } = await signedIn(chromium, app.url, s, { width, height });

      // Readiness (an inspector's landing screen): the camera's health and its reason, not "Working".
      const row = page.locator(`tr[data-officer="${officer}"]`);
      await page.waitForSelector(`tr[data-officer="${officer}"][data-camera-health="${live.health}"]`, {
        timeout: 10_000,
      });
      await expect(row.getAttribute('data-rag')).resolves.toBe('amber');
      await expect(row.textContent()).resolves.toContain(reason);
      await screenshot(page, `h19-health-readiness-${suffix}`);
      expect(await seriousA11yViolations(page)).toEqual([]);

      // The fleet list: the same health, its reasons on the badge.
      await page.goto(`${app.url}/#/fleet`);
      const badge = page.locator(`[data-device="${serial}"] .badge`);
      await badge.waitFor({ timeout: 10_000 });
      await expect(badge.textContent()).resolves.toBe(live.health);
      await expect(badge.getAttribute('title')).resolves.toBe(reason);
      await screenshot(page, `h19-health-fleet-${suffix}`);
      expect(await seriousA11yViolations(page)).toEqual([]);

      // The camera page: the same health and reason.
      await page.locator(`[data-device="${serial}"] a`).click();
      const health = page.getByTestId('detail-health');
      await page.waitForFunction(
        (want) => document.querySelector('[data-testid="detail-health"]')?.textContent?.includes(want),
        reason,
        { timeout: 10_000 },
      );
      await expect(health.locator('.badge').textContent()).resolves.toBe(live.health);
      await screenshot(page, `h19-health-camera-${suffix}`);
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await close();
    }
  }, 120_000);
});
