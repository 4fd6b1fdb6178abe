/// <reference lib="dom" />
// The stores desk that protects the clerk (issue 19), in Debian's chromium with a scanner's keys:
// the station's low stock warned on the desk; a camera in transit refused as soon as it is scanned;
// a flat camera refused with the camera to take instead; the officer's name and identity on the
// green banner; the warrant card scanned twice leaving the banner green; a 300-character scan
// told so. Desktop and phone screenshots, axe.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  screenshot,
  seriousA11yViolations,
  signedIn,
  startChromium,
  type BrowserHandle,
} from '../helpers/browser.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';
import { sessionFor } from '../helpers/live.js';
import { cameraTelemetry, connect, credentialsFor, eventually } from '../helpers/mqtt.js';

const uid = () => randomBytes(3).toString('hex').toUpperCase();

describe('the stores desk in the browser', () => {
  let app: TestApp;
  let chromium: BrowserHandle;
  let admin: Record<string, string>;
  const devices: MqttClient[] = [];

  beforeAll(async () => {
    app = await startApp();
    chromium = await startChromium();
    admin = await app.as('admin');
  }, 180_000);
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.endAsync()));
    await chromium?.close();
    await app?.close();
  });

  async function reports(serial: string, battery: number) {
    const device = await connect(
      app.platform.mqttUrl,
      await credentialsFor(app, admin, 'camera', serial, { registered: true }),
    );
    devices.push(device);
    await device.publishAsync(
      `bwv/v1/cameras/${serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ battery })),
    );
    await eventually(
      async () =>
        (await app.http().get(`/api/v1/cameras/${serial}`).set(admin)).body.live?.battery === battery,
    );
  }

  it('protects the clerk: low stock, transit and flat cameras refused at the scan, the name on success, no false red', async () => {
    const station = await newStation(app, admin);
    const elsewhere = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station, number: `PC${uid()}` });
    const [good, flat, moving] = await Promise.all(
      ['GOOD', 'FLAT', 'MOVE'].map((p) => newCamera(app, admin, { station, serial: `${p}-${uid()}` })),
    );
    await reports(good!, 95);
    await reports(flat!, 3);
    await app.http().patch(`/api/v1/stations/${station}/stock`).set(admin).send({ minimum: 3 }).expect(200);
    await app
      .http()
      .post('/api/v1/transfers')
      .set(admin)
      .send({ cameras: [moving], to: elsewhere })
      .expect(201);

    const s = await sessionFor(app, 'stores', station);
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    await page.getByRole('heading', { name: /Stores desk/ }).waitFor();
    const prompt = page.getByTestId('prompt');
    const feedback = page.getByTestId('feedback');
    const scan = async (code: string) => {
      await page.keyboard.type(code);
      await page.keyboard.press('Enter');
    };
    const expectFeedback = async (text: RegExp) => {
      await page.waitForFunction(
        ([sel, re]) => new RegExp(re).test(document.querySelector(sel)?.textContent ?? ''),
        ['[data-testid=feedback]', text.source] as const,
      );
      return (await feedback.textContent()) ?? '';
    };

    // Two cameras on the shelf (the third is travelling), minimum three: the desk says so.
    const low = page.getByTestId('low-stock');
    await low.waitFor();
    expect(await low.textContent()).toContain(`Low stock at ${station}: 2 cameras on the shelf, minimum 3`);
    expect(await page.getByTestId('stock').textContent()).toMatch(/in transit \(sent, not received\)\s*1/);

    // A camera in transit: refused at the scan, before any card, in words.
    await prompt.filter({ hasText: 'Scan the camera to issue' }).waitFor();
    await scan(moving!);
    const transit = await expectFeedback(/Camera is in transit/);
    expect(transit).toContain('once the receiving station books it in');
    expect(transit).not.toContain('Something went wrong');
    expect(await prompt.textContent()).toBe('Scan the camera to issue');

    // A flat camera: refused at the scan, with the camera to take instead.
    await scan(flat!);
    const refused = await expectFeedback(/Battery too low to issue/);
    expect(refused).toContain('3% battery; at least 30% is needed');
    expect(await page.getByTestId('instead').textContent()).toBe(`Take ${good} instead (battery 95%).`);
    await screenshot(page, 'stores-desk-01-low-battery-refused');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'stores-desk-01b-low-battery-refused-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The suggested camera, then the card: the banner names the officer.
    await scan(good!);
    await prompt.filter({ hasText: 'now scan the warrant card' }).waitFor();
    await scan(officer);
    const issued = await expectFeedback(/Issued/);
    expect(issued).toContain(`Issued ${good} to Officer ${officer}`);
    const who = page.getByTestId('issued-to');
    expect(await who.textContent()).toBe(`Officer${officer}NameOfficer ${officer}Station${station}`);
    // Issued: one camera less on the shelf.
    await page.waitForFunction(
      (n) => (document.querySelector('[data-testid=low-stock]')?.textContent ?? '').includes(n),
      '1 camera on the shelf',
    );

    // The warrant card scanned again: the green banner stays, no "Unknown camera".
    await scan(officer);
    const repeated = await expectFeedback(/scanned again/);
    expect(repeated).toContain(`Issued ${good} to Officer ${officer}`);
    expect(repeated).not.toMatch(/Unknown camera|No camera/);
    expect(await page.locator('.feedback.tone-ok').count()).toBe(1);
    await screenshot(page, 'stores-desk-02-issued-name');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'stores-desk-02b-issued-name-phone');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    // A 300-character scan says what is wrong.
    await scan('X'.repeat(300));
    const tooLong = await expectFeedback(/Not accepted/);
    expect(tooLong).toContain('Scan too long — not a camera or warrant number');
    expect(tooLong).not.toContain('Invalid');

    // What the screen said is what the register holds: one issue, the flat camera on the shelf.
    expect((await app.http().get(`/api/v1/cameras/${good}`).set(admin)).body).toMatchObject({
      status: 'issued',
      holder: officer,
    });
    expect((await app.http().get(`/api/v1/cameras/${flat}`).set(admin)).body.status).toBe('in_stock');
    const history = await app.http().get(`/api/v1/officers/${officer}/history`).set(admin).expect(200);
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(['check-out']);
    expect(problems).toEqual([]);
    await close();
  }, 150_000);
});
