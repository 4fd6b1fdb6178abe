/// <reference lib="dom" />
// The login screen after repeated failures: it says how long to wait and holds the button until then.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newPage, screenshot, startChromium, type BrowserHandle } from '../helpers/browser.js';
import { sessionFor } from '../helpers/live.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('login screen under throttling', () => {
  let app: TestApp;
  let chromium: BrowserHandle;

  beforeAll(async () => {
    // One free failure per account, so a few failures earn a wait long enough to watch.
    app = await startApp({ LOGIN_ACCOUNT_LIMIT: '1' });
    chromium = await startChromium();
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  it('shows the wait, counts it down with the button held, then lets the right password in', async () => {
    const s = await sessionFor(app, 'stores');
    const fail = () =>
      app.http().post('/api/v1/auth/login').send({ username: s.username, password: 'wrong-password-000' });
    // Waits of 1 s, then 2 s: the next refusal asks for 4 s.
    await fail().expect(401);
    await sleep(1100);
    await fail().expect(401);
    await sleep(2100);
    await fail().expect(401);

    const { page, close } = await newPage(chromium);
    try {
      await page.goto(app.url);
      await page.getByLabel('Username').fill(s.username);
      await page.getByLabel('Password').fill(s.password);
      await page.keyboard.press('Enter');
      const alert = page.getByRole('alert');
      await expect(alert.textContent()).resolves.toMatch(/Too many failed logins\. Try again in [1-4] s\./);
      const button = page.getByRole('button', { name: /^Wait [1-4] s$/ });
      expect(await button.isDisabled()).toBe(true);
      await screenshot(page, 'login-wait');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'login-wait-phone');

      // Once the wait is over the button is back, and the right password logs in.
      const logIn = page.getByRole('button', { name: 'Log in' });
      await logIn.waitFor({ timeout: 6000 });
      expect(await logIn.isEnabled()).toBe(true);
      await logIn.click();
      await page.getByRole('button', { name: 'Log in' }).waitFor({ state: 'detached' });
    } finally {
      await close();
    }
  }, 60_000);
});
