/// <reference lib="dom" />
// The Fleet screen's issue-19 leftovers, in the browser: a camera in transit counts at neither
// station (its own "In transit" line, and "in transit" in the list: the overview counted it at the
// sending station while the desk and the API did not); a stolen camera that reports in over MQTT
// raises a banner saying where it is (the issue found one online and shown "ok", nobody told); and
// on a phone each row's health reasons are on screen, not only in a hover title a phone cannot show.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  logIn,
  newPage,
  screenshot,
  seriousA11yViolations,
  startChromium,
  type BrowserHandle,
} from '../helpers/browser.js';
import { newCamera, newDock, newOfficer, newStation } from '../helpers/factories.js';
import { sessionFor } from '../helpers/live.js';
import { cameraTelemetry, connect as connectMqtt, credentialsFor, eventually } from '../helpers/mqtt.js';

describe('the Fleet screen: transit, stolen cameras reporting in, reasons on a phone', () => {
  let app: TestApp;
  let chromium: BrowserHandle;
  let admin: Record<string, string>;
  const devices: MqttClient[] = [];

  beforeAll(async () => {
    app = await startApp();
    chromium = await startChromium();
    admin = await app.as('admin');
  }, 120_000);
  afterAll(async () => {
    for (const d of devices) await d.endAsync();
    await chromium?.close();
    await app?.close();
  });

  const report = async (serial: string, fields: Record<string, unknown>) => {
    const d = await connectMqtt(
      app.platform.mqttUrl,
      await credentialsFor(app, admin, 'camera', serial, { registered: true }),
    );
    devices.push(d);
    await d.publishAsync(`bwv/v1/cameras/${serial}/telemetry`, JSON.stringify(cameraTelemetry(fields)));
  };
  const issue = (camera: string, officer: string) =>
    app.http().post('/api/v1/checkouts').set(admin).send({ camera, officer, mode: 'pool' }).expect(201);
  /** A counts-table line's cells: total, then the statuses and healths in the table's order. */
  const countsLine = (page: Page, selector: string) =>
    page.$$eval(`table.counts ${selector} td`, (tds) => tds.map((td) => Number(td.textContent)));

  it('counts transit apart, raises the stolen-camera banner live, and shows reasons on a phone', async () => {
    const from = await newStation(app, admin);
    const to = await newStation(app, admin);
    const dock = await newDock(app, admin, { station: from });
    const moving = await newCamera(app, admin, { station: from });
    const stolen = await newCamera(app, admin, { station: from });
    const low = await newCamera(app, admin, { station: from });
    const [o1, o2] = [
      await newOfficer(app, admin, { station: from }),
      await newOfficer(app, admin, { station: from }),
    ];
    await issue(stolen, o1);
    await issue(low, o2);
    await app
      .http()
      .post(`/api/v1/cameras/${stolen}/lost`)
      .set(admin)
      .send({ reason: 'stolen', details: 'taken from a patrol car' })
      .expect(200);
    await app
      .http()
      .post('/api/v1/transfers')
      .set(admin)
      .send({ cameras: [moving], to })
      .expect(201);
    await report(low, { battery: 9, assignedTo: o2 });
    const lowReason = 'battery 9% and not charging';
    await eventually(async () => {
      const r = await app.http().get(`/api/v1/cameras/${low}`).set(admin).expect(200);
      return (r.body.live as { reasons?: string[] } | undefined)?.reasons?.includes(lowReason);
    }, 10_000);
    // What the stores desk and the API say: the travelling camera is at neither station.
    const stock = await app.http().get(`/api/v1/stations/${from}/stock`).set(admin).expect(200);
    expect(stock.body).toMatchObject({ total: 2, inTransit: 1, byStatus: { in_stock: 0 } });

    const s = await sessionFor(app, 'admin');
    const stolenLine = `Stolen camera ${stolen} online at dock ${dock} slot 3`;

    // Desktop: the page is open, the stolen camera's row is not in the list's view (a search shows
    // another), and then the camera reports in: the banner still learns where it is.
    {
      const { page, problems, close } = await newPage(chromium, { width: 1280, height: 800 });
      await logIn(page, app.url, s.username, s.password);
      await page.goto(`${app.url}/#/fleet`);
      await page.locator(`table.counts tr[data-station="${from}"]`).waitFor({ timeout: 10_000 });
      // Total, in stock, issued, faulty, in repair, lost, retired, then ok, warning, fault, offline, unknown.
      expect(await countsLine(page, `tr[data-station="${from}"]`)).toEqual([
        2, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1,
      ]);
      expect(await countsLine(page, 'tr.counts-transit')).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
      await expect(page.locator('table.counts tr.counts-transit th').textContent()).resolves.toBe(
        'In transit',
      );
      expect(await page.locator(`table.counts tr[data-station="${to}"]`).count()).toBe(0);
      await expect(page.locator(`[data-device="${moving}"]`).textContent()).resolves.toContain('in transit');
      // On one line, inside its row (it first wrapped under "in stock", across the row's border).
      const row = (await page.locator(`[data-device="${moving}"]`).boundingBox())!;
      const tag = (await page.locator(`[data-device="${moving}"] .tag`).boundingBox())!;
      expect([tag.y >= row.y, tag.y + tag.height <= row.y + row.height]).toEqual([true, true]);
      expect(await page.getByTestId('lost-alert').count()).toBe(0); // nothing to say yet

      await page.getByLabel('Search serial or officer').fill(low);
      await page.waitForFunction(
        (id) =>
          document.querySelectorAll('[data-device]').length === 1 &&
          !!document.querySelector(`[data-device="${id}"]`),
        low,
      );
      await report(stolen, { assignedTo: o1, dock: { id: dock, slot: 3 } });
      const banner = page.getByRole('alert').filter({ hasText: 'reported lost or stolen' });
      await page.waitForFunction(
        (want) => document.querySelector('[data-testid="lost-alert"]')?.textContent?.includes(want),
        stolenLine,
        { timeout: 10_000 },
      );
      await expect(banner.locator('a').getAttribute('href')).resolves.toBe(`#/fleet/camera/${stolen}`);
      // Desktop stays one line a row: the reasons are on the badge's title and read aloud, not shown.
      const reason = page.locator(`[data-device="${low}"] [data-field="reasons"]`);
      await expect(reason.textContent()).resolves.toBe(lowReason);
      expect((await reason.boundingBox())!.width).toBeLessThanOrEqual(1);
      await page.getByLabel('Search serial or officer').fill('');
      await page.locator(`[data-device="${stolen}"]`).waitFor();
      await screenshot(page, 'h19-fleet-transit-lost-desktop');
      expect(await seriousA11yViolations(page)).toEqual([]);
      // The banner's link opens the camera's page.
      await banner.locator('a').click();
      await page.waitForFunction(
        (want) => document.querySelector('[data-testid="detail-health"]')?.textContent?.includes(want),
        `stolen camera online at dock ${dock} slot 3`,
        { timeout: 10_000 },
      );
      expect(problems).toEqual([]);
      await close();
    }

    // Phone: the banner, the transit line, and each row's reasons under its health badge.
    {
      const { page, problems, close } = await newPage(chromium, { width: 390, height: 844 });
      await logIn(page, app.url, s.username, s.password);
      await page.goto(`${app.url}/#/fleet`);
      await page.waitForFunction(
        (want) => document.querySelector('[data-testid="lost-alert"]')?.textContent?.includes(want),
        stolenLine,
        { timeout: 10_000 },
      );
      expect(await countsLine(page, 'tr.counts-transit')).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
      for (const [serial, want] of [
        [low, lowReason],
        [stolen, `stolen camera online at dock ${dock} slot 3`],
      ] as const) {
        const reason = page.locator(`[data-device="${serial}"] [data-field="reasons"]`);
        await reason.waitFor({ timeout: 10_000 });
        await expect(reason.textContent()).resolves.toBe(want);
        const box = (await reason.boundingBox())!;
        // On screen and readable: wider than a clipped sliver, inside the phone's width.
        expect(box.width).toBeGreaterThan(100);
        expect(box.x + box.width).toBeLessThanOrEqual(390);
      }
      await expect(page.locator(`[data-device="${moving}"]`).textContent()).resolves.toContain('in transit');
      // Rows do not overlap: each starts below the one before it ends.
      const boxes = await page.$$eval('.dscroll [data-device]', (rows) =>
        rows
          .map((r) => r.getBoundingClientRect())
          .map((b) => [b.top, b.bottom])
          .sort((a, b) => a[0]! - b[0]!),
      );
      for (let i = 1; i < boxes.length; i++)
        expect(boxes[i]![0]).toBeGreaterThanOrEqual(boxes[i - 1]![1]! - 1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'h19-fleet-transit-lost-phone');
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await close();
    }
  }, 150_000);
});
