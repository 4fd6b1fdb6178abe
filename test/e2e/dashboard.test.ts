/// <reference lib="dom" />
// The dashboard as people use it, in Debian's chromium: log in, each role's screen, the stores desk
// by keyboard alone, readiness updating live, and a socket without a session refused.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  logIn,
  newPage,
  screenshot,
  seriousA11yViolations,
  signedIn,
  startChromium,
  type BrowserHandle,
} from '../helpers/browser.js';
import { newOfficer, newStation } from '../helpers/factories.js';
import { sessionFor } from '../helpers/live.js';
import { cameraTelemetry, connect as connectMqtt, credentialsFor } from '../helpers/mqtt.js';

const uid = () => randomBytes(3).toString('hex').toUpperCase();

describe('dashboard in the browser', () => {
  let app: TestApp;
  let chromium: BrowserHandle;
  let admin: Record<string, string>;

  beforeAll(async () => {
    app = await startApp({
      READINESS_REFRESH_S: '1',
      // Battery history every half second, and a drain estimate from 3 s of it, so a test can
      // show in seconds what takes minutes on a real shift.
      TELEMETRY_HISTORY_SAMPLE_S: '0.5',
      READINESS_DRAIN_MIN_SPAN_S: '3',
    });
    chromium = await startChromium();
    admin = await app.as('admin');
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  const newCamera = async (station: string) => {
    const serial = `CAM-${uid()}`;
    await app
      .http()
      .post('/api/v1/cameras')
      .set(admin)
      .send({ serial, model: 'VB400', assetTag: `AT-${uid()}`, station })
      .expect(201);
    return serial;
  };

  it('refuses a socket from a browser without a session', async () => {
    const { page, close } = await newPage(chromium);
    await page.goto(app.url);
    await page.getByLabel('Username').waitFor();
    // The page's own origin, no cookie: the Socket.IO handshake is answered with an error packet.
    const reply = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
          ws.onmessage = (m) => {
            const data = String(m.data);
            if (data.startsWith('0')) ws.send('40');
            else if (data.startsWith('4')) resolve(data);
          };
          ws.onerror = () => resolve('transport error');
        }),
      app.url,
    );
    expect(reply).toBe('44{"message":"unauthenticated"}');
    await close();
  });

  it('logs in and shows an admin users, roles and API tokens, accessibly', async () => {
    const s = await sessionFor(app, 'admin');
    const { page, problems, close } = await newPage(chromium);
    await page.goto(app.url);
    await screenshot(page, '01-login');
    expect(await seriousA11yViolations(page)).toEqual([]);
    // A wrong password first: the refusal is announced.
    await page.getByLabel('Username').fill(s.username);
    await page.getByLabel('Password').fill('wrong-password-000');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong username or password');
    await logIn(page, app.url, s.username, s.password);
    await page.getByRole('heading', { name: 'Admin' }).waitFor();
    expect(await page.getByRole('link', { name: 'Stores desk' }).count()).toBe(1);
    await page.getByRole('cell', { name: s.username }).first().waitFor();
    // Create an API token with the keyboard; it is shown once.
    await page.getByLabel('Token name').fill('scanner-bridge');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('new-token').textContent()).resolves.toMatch(/^bwv_/);
    // MQTT credentials for a camera, shown once.
    const camera = await newCamera(await newStation(app, admin));
    await page.getByLabel('Serial or dock id').fill(camera);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('device-password').textContent()).resolves.toMatch(/.{16,}/);
    // Every role the server knows can be given, reviewer included (it was missing), and the
    // rollout's programme lead and board.
    expect(await page.locator('select[name="role"] option').allTextContents()).toEqual([
      'admin',
      'stores',
      'it',
      'inspector',
      'auditor',
      'reviewer',
      'programme-lead',
      'board',
    ]);
    await screenshot(page, '02-admin');
    // A phone: the new-user form's scope choice (one home station or force-wide) must still be
    // reachable and labelled.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.getByLabel('Scope').last().isVisible()).toBe(true);
    await screenshot(page, '02-admin-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  });

  it('issues and returns cameras at the stores desk by keyboard alone, explaining each refusal', async () => {
    const station = await newStation(app, admin);
    const [o1, o2] = [await newOfficer(app, admin, { station }), await newOfficer(app, admin, { station })];
    const [c1, c2, c3] = [await newCamera(station), await newCamera(station), await newCamera(station)];
    const s = await sessionFor(app, 'stores', station);
    const { page, problems, close } = await newPage(chromium, { width: 1024, height: 768 }); // a tablet
    await logIn(page, app.url, s.username, s.password);
    await page.getByRole('heading', { name: /Stores desk/ }).waitFor();
    // Role-aware navigation: stores staff see no admin or readiness screens.
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Shift readiness' }).count()).toBe(0);

    const prompt = page.getByTestId('prompt');
    const expectPrompt = (text: string) => prompt.filter({ hasText: text }).waitFor();
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
      return feedback.textContent();
    };

    await expectPrompt('Scan the camera to issue');
    await scan(c1);
    await expectPrompt('now scan the warrant card');
    await scan(o1);
    await expectFeedback(/Issued/);
    await screenshot(page, '03-stores-issued');

    await scan(c1); // the same camera again
    expect(await expectFeedback(/Already issued/)).toContain('out with someone else');
    await scan(c2);
    await scan(o1); // o1 already holds c1
    expect(await expectFeedback(/Officer already has a camera/)).toContain('Return the camera they hold');
    await scan('NO-SUCH-CAMERA');
    await expectFeedback(/Unknown camera/);
    await screenshot(page, '04-stores-refused');
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Another station's camera: this clerk acts for their own station only (station scope).
    const elsewhere = await newCamera(await newStation(app, admin));
    await scan(elsewhere); // refused at the scan, before any warrant card (issue 19)
    expect(await expectFeedback(/Another station’s camera or officer/)).toContain('transfer the camera');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, '04b-stores-other-station-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Return c1 as faulty: F4, scan, press 3.
    await page.keyboard.press('F4');
    await expectPrompt('Scan the camera being returned');
    await scan(c1);
    await expectPrompt('condition?');
    await page.keyboard.press('3');
    expect(await expectFeedback(/Returned/)).toContain('faulty');
    await scan(c3); // never issued
    await expectFeedback(/Camera is not issued/);
    // Back to issue: the faulty camera is refused, a good one goes to o2.
    await page.keyboard.press('F2');
    await scan(c1);
    await expectFeedback(/Camera is faulty/);
    await scan(c2);
    await page.keyboard.press('Escape');
    await expectFeedback(/Cancelled/);
    await scan(c2);
    await scan(o2);
    await expectFeedback(/Issued/);
    await page.getByText(`Issued ${c2} to ${o2}`).waitFor();
    await page.waitForFunction(() =>
      /faulty\s*1/.test(document.querySelector('[data-testid=stock]')?.textContent ?? ''),
    );
    await screenshot(page, '05-stores-after');

    // What the screen said is what the register holds.
    const held = await app.http().get(`/api/v1/cameras/${c2}`).set(admin).expect(200);
    expect(held.body).toMatchObject({ status: 'issued', holder: o2 });
    expect((await app.http().get(`/api/v1/cameras/${c1}`).set(admin)).body.status).toBe('faulty');
    expect(problems).toEqual([]);
    await close();
  });

  it('shows shift readiness and updates it live, without a reload, when a camera is issued', async () => {
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    const camera = await newCamera(station);
    const now = Date.now();
    await app
      .http()
      .post('/api/v1/shifts')
      .set(admin)
      .send({
        station,
        team: 'A',
        start: new Date(now - 3_600_000),
        end: new Date(now + 6 * 3_600_000),
        officers: [officer],
      })
      .expect(201);
    const s = await sessionFor(app, 'inspector', station);
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    const headline = page.getByTestId('headline');
    await headline.waitFor();
    await expect(headline.textContent()).resolves.toContain('0 of 1 officers on shift have a working camera');
    const row = page.locator(`tr[data-officer="${officer}"]`);
    await expect(row.getAttribute('data-rag')).resolves.toBe('red');
    await expect(row.textContent()).resolves.toContain('no camera issued');
    await screenshot(page, '06-readiness-red');
    expect(await seriousA11yViolations(page)).toEqual([]);

    const marker = await page.evaluate(
      () => ((window as unknown as { marker: number }).marker = Math.random()),
    );
    await app
      .http()
      .post('/api/v1/checkouts')
      .set(await app.as('stores'))
      .send({ camera, officer, mode: 'pool' })
      .expect(201);
    await page.waitForSelector(`tr[data-officer="${officer}"][data-rag="amber"]`, { timeout: 10_000 });
    await expect(row.textContent()).resolves.toContain(`camera ${camera} has not reported yet`);
    // Same page, no reload.
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
    await screenshot(page, '07-readiness-live');
    expect(problems).toEqual([]);
    await close();
  });

  it("turns an officer amber live, with an alert, when the simulated camera's battery falls too fast", async () => {
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    const camera = await newCamera(station);
    const now = Date.now();
    await app
      .http()
      .post('/api/v1/shifts')
      .set(admin)
      .send({
        station,
        team: 'N',
        start: new Date(now - 600_000),
        end: new Date(now + 7 * 3_600_000),
        officers: [officer],
      })
      .expect(201);
    await app.http().post('/api/v1/checkouts').set(admin).send({ camera, officer, mode: 'pool' }).expect(201);
    const device = await connectMqtt(
      app.platform.mqttUrl,
      await credentialsFor(app, admin, 'camera', camera, { registered: true }),
    );
    const report = (battery: number) =>
      device.publishAsync(
        `bwv/v1/cameras/${camera}/telemetry`,
        JSON.stringify(cameraTelemetry({ battery, assignedTo: officer })),
      );
    try {
      await report(60);
      const s = await sessionFor(app, 'inspector', station);
      const { page, problems, close } = await signedIn(chromium, app.url, s);
      const row = `tr[data-officer="${officer}"]`;
      await page.waitForSelector(`${row}[data-rag="green"]`, { timeout: 10_000 });
      await expect(page.getByTestId('headline').textContent()).resolves.toContain('1 of 1 officers');

      // 0.6 % a minute from 60 %: empty in about 100 minutes, seven hours of shift to go.
      for (let i = 1; i <= 10; i++) {
        await new Promise((r) => setTimeout(r, 500));
        await report(60 - i * 0.005);
      }
      await page.waitForSelector(`${row}[data-rag="amber"]`, { timeout: 10_000 });
      const text = await page.locator(row).textContent();
      expect(text).toMatch(/battery 60% will not last the shift \(about [\d.]+ h left, [67]\.\d h to go\)/);
      await expect(page.getByTestId('headline').textContent()).resolves.toContain('0 of 1 officers');
      // The visible alert names the officer and why.
      const alert = page.locator('.alert.rag-amber');
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toContain(`(${officer}) is now at risk`);
      await screenshot(page, '07b-readiness-alert');
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await close();
    } finally {
      await device.endAsync();
    }
  });

  it('lands a reviewer on the clips to review, the fleet in the nav, at desktop and phone widths', async () => {
    const s = await sessionFor(app, 'reviewer', null);
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    await page.getByRole('heading', { name: 'Clips', level: 1 }).waitFor();
    expect(
      await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents(),
    ).toEqual(['Fleet', 'Clips', 'My account']);
    await screenshot(page, '10-reviewer');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, '10-reviewer-phone');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  });

  it('shows the fleet overview with counts per station and the camera detail', async () => {
    const station = await newStation(app, admin);
    const cams = [await newCamera(station), await newCamera(station)];
    const s = await sessionFor(app, 'it', null);
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    // IT lands on Firmware (test/e2e/firmware.test.ts); the fleet is one link away.
    await page.getByRole('heading', { name: 'Firmware', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Fleet' }).click();
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByRole('row', { name: new RegExp(`^${station}`) }).waitFor();
    await page.getByLabel('Search serial or officer').fill(cams[0]!);
    await page.waitForFunction(() =>
      /^1 of /.test(document.querySelector('[data-testid=device-count]')?.textContent ?? ''),
    );
    await screenshot(page, '08-fleet');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: cams[0] }).click();
    await page.getByRole('heading', { name: `Camera ${cams[0]}` }).waitFor();
    await page.getByText('in stock').waitFor();
    await screenshot(page, '09-camera-detail');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  });
});
