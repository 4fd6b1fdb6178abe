// Issue 19 in the browser: the auditor's trail (filters, paging, the chain's verification, a CSV
// export that is audited) and the admin's users (every role in the picker, a role change that asks
// for confirmation, a home station the register does not have refused beside its field, a reset
// that makes the user choose their own password, and one's own password change). Screenshots at
// desktop and phone widths, axe, no console problems.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { MongoClient } from 'mongodb';
import { ROLES } from '../../src/shared/roles.js';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  logIn,
  newPage,
  PHONE,
  screenshot,
  scrollWidth,
  seriousA11yViolations,
  signedIn,
  startChromium,
  type BrowserHandle,
} from '../helpers/browser.js';
import { newStation } from '../helpers/factories.js';
import { sessionFor } from '../helpers/live.js';
import { uid } from '../helpers/mqtt.js';

const strong = () => `Kx${uid()}-qw${uid()}`;

describe('auditors and admins in the browser (issue 19)', () => {
  let app: TestApp;
  let chromium: BrowserHandle;
  let admin: Record<string, string>;

  beforeAll(async () => {
    app = await startApp();
    chromium = await startChromium();
    admin = await app.as('admin');
  }, 240_000);
  afterAll(async () => {
    await chromium?.close();
    await app?.close();
  });

  const userOf = async (username: string) =>
    (await app.http().get(`/api/v1/users/${username}`).set(admin).expect(200)).body as {
      role: string;
      station: string | null;
      mustChangePassword: boolean;
    };

  it('lets an auditor filter and page the trail, see the verification and export what they see', async () => {
    // 55 stations: more than a page of `station.create` entries.
    const codes: string[] = [];
    for (let i = 0; i < 55; i++) codes.push(await newStation(app, admin));
    const a = await sessionFor(app, 'auditor');
    const { page, problems, close } = await signedIn(chromium, app.url, a);
    // Auditors land on the trail.
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    const verdict = page.getByTestId('verdict');
    await expect(verdict.getByText(/^Intact: all \d+ entries/).waitFor()).resolves.toBeUndefined();

    // One station's entries, by entity type and id.
    const one = codes[7]!;
    await page.getByLabel('Entity type').fill('station');
    await page.getByLabel('Entity id').fill(one);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByTestId('range').getByText('Entries 1–1 of 1, newest first').waitFor();
    const rows = page.locator('tbody tr[data-seq]');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(`Station ${one} (Station ${one}) created`);

    // Every station the admin created, by action and actor (exact), across pages.
    const me = await app.http().get('/api/v1/me').set(admin).expect(200);
    const adminName = (me.body as { user: { username: string } }).user.username;
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Action').fill('station.create');
    await page.getByLabel('Actor').fill(adminName);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByTestId('range').getByText('Entries 1–50 of 55, newest first').waitFor();
    expect(await rows.count()).toBe(50);
    const newest = Number(await rows.first().getAttribute('data-seq'));
    await page.getByRole('button', { name: 'Older' }).click();
    await page.getByTestId('range').getByText('Entries 51–55 of 55, newest first').waitFor();
    expect(await rows.count()).toBe(5);
    expect(Number(await rows.first().getAttribute('data-seq'))).toBeLessThan(newest);
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await screenshot(page, 'audit-01-trail');

    // The export carries the same filters, oldest first, and is itself audited.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    const csv: Array<Record<string, string>> = parse(readFileSync(await download.path(), 'utf8'), {
      columns: true,
    });
    expect(csv).toHaveLength(55);
    expect(new Set(csv.map((r) => r.action))).toEqual(new Set(['station.create']));
    expect(csv.map((r) => r.targetId)).toEqual(codes);
    const exports = await app
      .http()
      .get(`/api/v1/audit?action=audit.export&actor=${a.username}`)
      .set(admin)
      .expect(200);
    expect(exports.body.items[0].changes).toEqual({
      filter: { action: 'station.create', actorId: adminName },
    });

    // A phone: filters and the verdict readable, the table scrolls in its own region.
    await page.setViewportSize(PHONE);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'audit-02-trail-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await seriousA11yViolations(page)).toEqual([]);

    // An entry edited behind the API: "Verify again" names it.
    const mongo = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
    try {
      await mongo
        .db(app.dbName)
        .collection<{ _id: number }>('audit')
        .updateOne({ _id: newest }, { $set: { summary: 'Nothing happened here' } });
    } finally {
      await mongo.close();
    }
    await page.getByRole('button', { name: 'Verify again' }).click();
    await verdict.getByText(`Broken at entry ${newest}`).waitFor();
    expect(await verdict.textContent()).toContain(
      `Entry ${newest}: its content was changed after it was written`,
    );
    await screenshot(page, 'audit-03-broken');
    expect(problems).toEqual([]);
    await close();
  }, 180_000);

  it('lets an admin give every role with confirmation, refuses an unknown station beside its field, and reset and change passwords', async () => {
    const station = await newStation(app, admin);
    const clerk = `clerk-${uid().toLowerCase()}`;
    const clerkPassword = strong();
    await app
      .http()
      .post('/api/v1/users')
      .set(admin)
      .send({ username: clerk, displayName: 'Clerk Jones', role: 'stores', station, password: clerkPassword })
      .expect(201);

    const s = await sessionFor(app, 'admin');
    const { page, problems, close } = await signedIn(chromium, app.url, s);
    await page.getByRole('heading', { name: 'Admin', exact: true }).waitFor();

    // Every role the server knows, reviewer included, in the table's picker and the new-user form.
    const picker = page.getByLabel(`Role of ${clerk}`);
    expect(await picker.locator('option').allTextContents()).toEqual([...ROLES]);
    expect(await page.locator('select[name="role"] option').allTextContents()).toEqual([...ROLES]);

    // Touching the picker only proposes the change.
    await picker.selectOption('reviewer');
    const confirm = page.getByRole('group', { name: /Change .* from stores to reviewer/ });
    await confirm.waitFor();
    await screenshot(page, 'admin-01-confirm-role');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect((await userOf(clerk)).role).toBe('stores');
    await page.getByRole('button', { name: 'Keep stores' }).click();
    expect(await picker.inputValue()).toBe('stores');
    expect((await userOf(clerk)).role).toBe('stores');
    await picker.selectOption('reviewer');
    await page.getByRole('button', { name: `Make ${clerk} reviewer` }).click();
    await page.getByText(`${clerk} is now reviewer`).waitFor();
    expect((await userOf(clerk)).role).toBe('reviewer');

    // A new user at a station the register does not have: the API's refusal, beside the field.
    const form = page.getByRole('form', { name: 'New user' });
    const newName = `new-${uid().toLowerCase()}`;
    await form.getByLabel('Username').fill(newName);
    await form.getByLabel('Display name').fill('Pat New');
    await form.getByLabel('Scope').selectOption({ label: 'One home station' });
    await form.getByLabel('Home station code').fill('NOPE1');
    await form.getByLabel('Password (12+)').fill(strong());
    await form.getByRole('button', { name: 'Create user' }).click();
    const stationError = form.locator('#create-station-err');
    await stationError.waitFor();
    expect(await stationError.textContent()).toBe("unknown station 'NOPE1'");
    expect(await form.getByLabel('Home station code').getAttribute('aria-invalid')).toBe('true');
    await expect(page.locator('main [role="status"]').first().textContent()).resolves.toContain(
      "No station 'NOPE1'",
    );
    // A weak password: its reason beside the password, the station's message gone.
    await form.getByLabel('Home station code').fill(station);
    await form.getByLabel('Password (12+)').fill('Summer2024!!');
    await form.getByRole('button', { name: 'Create user' }).click();
    await form
      .locator('#create-password-err')
      .getByText(/common|date|year|guessed/)
      .waitFor();
    expect(await stationError.count()).toBe(0);
    await screenshot(page, 'admin-02-field-errors');
    await page.setViewportSize(PHONE);
    expect(await form.locator('#create-password-err').isVisible()).toBe(true);
    await screenshot(page, 'admin-03-field-errors-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await form.getByLabel('Password (12+)').fill(strong());
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByText(`User ${newName} created`).waitFor();
    expect((await userOf(newName)).station).toBe(station);

    // The admin resets the clerk's password; the clerk must choose their own before anything else.
    await page.getByRole('button', { name: `Edit ${clerk}` }).click();
    const temporary = strong();
    await page
      .getByRole('form', { name: `Reset the password of ${clerk}` })
      .getByLabel('New password (12+)')
      .fill(temporary);
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByText(`Password of ${clerk} reset`).waitFor();
    expect((await userOf(clerk)).mustChangePassword).toBe(true);
    const c = await newPage(chromium);
    await logIn(c.page, app.url, clerk, temporary);
    await c.page.getByRole('heading', { name: 'My account' }).waitFor();
    await c.page.getByText('An administrator set your password').waitFor();
    await c.page.goto(`${app.url}/#/fleet`);
    await c.page.getByRole('heading', { name: 'My account' }).waitFor();
    const own = strong();
    await c.page.getByLabel('Current password').fill(temporary);
    await c.page.getByLabel('New password', { exact: true }).fill(own);
    await c.page.getByLabel('New password again').fill(own);
    await c.page.getByRole('button', { name: 'Change password' }).click();
    await c.page.getByText('Password changed.').waitFor();
    expect((await userOf(clerk)).mustChangePassword).toBe(false);
    await c.page.goto(`${app.url}/#/fleet`);
    await c.page.getByRole('heading', { name: 'Fleet' }).first().waitFor();
    expect(c.problems).toEqual([]);
    await c.close();

    // The admin's own password: a wrong current one is refused beside its field, then it changes.
    await page.getByRole('link', { name: 'My account' }).click();
    await page.getByRole('heading', { name: 'Change my password' }).waitFor();
    const mine = strong();
    await page.getByLabel('Current password').fill('not-my-password-at-all');
    await page.getByLabel('New password', { exact: true }).fill(mine);
    await page.getByLabel('New password again').fill(mine);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#pw-current-err').getByText('not your current password').waitFor();
    await screenshot(page, 'admin-04-own-password-refused');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Current password').fill(s.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    expect(await page.locator('#pw-current-err').count()).toBe(0);
    await page.setViewportSize(PHONE);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'admin-05-own-password-phone');
    // Logged out, the old password no longer works and the new one does.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Username').fill(s.username);
    await page.getByLabel('Password').fill(s.password);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('Wrong username or password').waitFor();
    await logIn(page, app.url, s.username, mine);
    expect(problems).toEqual([]);
    await close();
  }, 180_000);
});
