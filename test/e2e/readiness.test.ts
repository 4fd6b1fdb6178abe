/// <reference lib="dom" />
// Issue 19, inspectors, in Debian's chromium: an admin lands on a station with a shift on now (not
// the first station alphabetically, which had nobody), reads the attention overview first (who is
// not ready and why, docks offline, faults waiting), checks the next shift before briefing, and on
// a phone still reads the Why of each officer. Screenshots at desktop, tablet and phone widths.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  screenshot,
  scrollWidth,
  seriousA11yViolations,
  signedIn,
  startChromium,
  type BrowserHandle,
} from '../helpers/browser.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';
import { sessionFor } from '../helpers/live.js';

const uid = () => randomBytes(2).toString('hex').toUpperCase();
const H = 3_600_000;

describe('shift readiness for inspectors, in the browser', () => {
  let app: TestApp;
  let chromium: BrowserHandle;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await startApp({ READINESS_REFRESH_S: '1' });
    chromium = await startChromium();
    admin = await app.as('admin');
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  it('lands an admin on a station on shift, attention first, next shift, and the Why on a phone', async () => {
    // The first station alphabetically has nobody on duty; the one on shift is last.
    await newStation(app, admin, `A${uid()}`);
    const station = await newStation(app, admin, `Z${uid()}`);
    const [noCamera, notReported, night] = await Promise.all(
      Array.from({ length: 3 }, () => newOfficer(app, admin, { station })),
    );
    const now = Date.now();
    const shift = (team: string, start: number, end: number, officers: string[]) =>
      app
        .http()
        .post('/api/v1/shifts')
        .set(admin)
        .send({ station, team, start: new Date(start), end: new Date(end), officers })
        .expect(201);
    await shift('DAY', now - H, now + 3 * H, [noCamera!, notReported!]);
    await shift('NIGHT', now + 4 * H, now + 12 * H, [night!]);
    const issued = await newCamera(app, admin, { station });
    await app
      .http()
      .post('/api/v1/checkouts')
      .set(admin)
      .send({ camera: issued, officer: notReported, mode: 'pool' })
      .expect(201);
    // A camera with a fault waiting for repair, and a dock that is not online.
    const broken = await newCamera(app, admin, { station });
    await app
      .http()
      .post(`/api/v1/cameras/${broken}/faults`)
      .set(admin)
      .send({ condition: 'faulty', notes: 'lens cracked' })
      .expect(201);
    const dock = `DK${uid()}`;
    await app
      .http()
      .post('/api/v1/docks')
      .set(admin)
      .send({ id: dock, station, slots: 6, model: 'DOCK6' })
      .expect(201);

    const s = await sessionFor(app, 'admin', null);
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: 'Shift readiness' })
      .click();
    await page.getByRole('heading', { name: `Shift readiness at ${station}` }).waitFor();
    await expect(page.getByTestId('headline').textContent()).resolves.toContain(
      '0 of 2 officers on shift have a working camera',
    );
    await expect(page.getByTestId('shift').textContent()).resolves.toContain('Team DAY');

    // The overview at the top: who is not ready and why, at risk, docks offline, faults waiting.
    const attention = page.getByTestId('attention');
    await expect(page.getByTestId('att-red').textContent()).resolves.toContain(
      `1 not readyOfficer ${noCamera} (${noCamera}): no camera issued`,
    );
    await expect(page.getByTestId('att-amber').textContent()).resolves.toContain('1 at risk');
    await page
      .getByTestId('att-docks')
      .filter({ hasText: `1 dock offline: ${dock}` })
      .waitFor();
    await page
      .getByTestId('att-faults')
      .filter({ hasText: `1 camera with a fault waiting: ${broken}` })
      .waitFor();
    const [attentionBox, tableBox] = [
      await attention.boundingBox(),
      await page.locator('table.readiness').boundingBox(),
    ];
    expect(attentionBox!.y).toBeLessThan(tableBox!.y);
    await screenshot(page, 'r19-01-readiness-admin-now');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The next shift, before briefing: the night team, at its start.
    await page.getByLabel('Next shift').check();
    await page.locator(`tr[data-officer="${night}"]`).waitFor();
    await expect(page.getByTestId('shift').textContent()).resolves.toContain('Team NIGHT');
    await expect(page.getByTestId('headline').textContent()).resolves.toContain('0 of 1 officers');
    expect(await page.locator(`tr[data-officer="${noCamera}"]`).count()).toBe(0);
    await screenshot(page, 'r19-02-readiness-next-shift');

    // A chosen time: in the gap between the shifts nobody is on duty.
    await page.getByLabel('Pick a time').check();
    const gap = new Date(now + 3.5 * H);
    const p = (n: number) => String(n).padStart(2, '0');
    await page
      .getByLabel('Date and time')
      .fill(
        `${gap.getFullYear()}-${p(gap.getMonth() + 1)}-${p(gap.getDate())}T${p(gap.getHours())}:${p(gap.getMinutes())}`,
      );
    await page.getByText('Nobody is on duty at this station then.').waitFor();
    await expect(page.getByTestId('shift').textContent()).resolves.toContain('No shift on duty at');

    // Back to now, on a tablet and a phone: every officer's Why is on screen, not cut off.
    await page.getByLabel('Now').check();
    await page.locator(`tr[data-officer="${noCamera}"]`).waitFor();
    await page.setViewportSize({ width: 820, height: 1180 });
    await screenshot(page, 'r19-03-readiness-tablet');
    await page.setViewportSize({ width: 390, height: 844 });
    for (const officer of [noCamera!, notReported!]) {
      const why = page.locator(`tr[data-officer="${officer}"] [data-field="why"]`);
      expect(await why.isVisible()).toBe(true);
      const box = (await why.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await expect(
      page.locator(`tr[data-officer="${noCamera}"] [data-field="why"]`).textContent(),
    ).resolves.toBe('no camera issued');
    // No sideways scrolling of the page on a phone.
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'r19-04-readiness-phone');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  }, 120_000);

  it('opens on the inspector’s own station', async () => {
    await newStation(app, admin, `A${uid()}`);
    const station = await newStation(app, admin, `M${uid()}`);
    const s = await sessionFor(app, 'inspector', station);
    const { page, problems, close } = await signedIn(chromium, app.url, s, { width: 390, height: 844 });
    await page.getByRole('heading', { name: `Shift readiness at ${station}` }).waitFor();
    // No station picker for a station's own inspector.
    expect(await page.getByLabel('Station', { exact: true }).count()).toBe(0);
    await page.getByTestId('attention').waitFor();
    await screenshot(page, 'r19-05-readiness-inspector-phone');
    expect(problems).toEqual([]);
    await close();
  }, 60_000);
});
