// Issue 19, auditors and admins: home stations that exist, validation problems that name their
// fields, a user's own password change, an admin's reset (audited, the user must choose their own),
// and the audit trail's CSV export with its filters (audited itself).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { startApp, type TestApp } from '../helpers/app.js';
import { newStation } from '../helpers/factories.js';
import { logIn } from '../helpers/live.js';
import { uid } from '../helpers/mqtt.js';

interface FieldError {
  path: string;
  message: string;
}
interface Entry {
  seq: number;
  action: string;
  actor: { id: string };
  target: { kind: string; id: string };
  summary: string;
  changes: Record<string, unknown> | null;
}

const asText = (res: unknown, done: (err: Error | null, body: string) => void) => {
  const r = res as NodeJS.ReadableStream;
  let text = '';
  r.setEncoding('utf8');
  r.on('data', (c: string) => (text += c));
  r.on('end', () => done(null, text));
};

// Passwords random enough for the policy (zxcvbn ≥ 10^9 guesses).
const strong = () => `Kx${uid()}-qw${uid()}`;

describe('admins and auditors (issue 19)', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let auditor: Record<string, string>;
  let station: string;

  beforeAll(async () => {
    app = await startApp();
    admin = await app.as('admin', `root-${uid().toLowerCase()}`);
    auditor = await app.as('auditor');
    station = await newStation(app, admin);
  }, 60_000);
  afterAll(() => app.close());

  const createUser = (body: Record<string, unknown>) =>
    app
      .http()
      .post('/api/v1/users')
      .set(admin)
      .send({ displayName: 'Someone', role: 'stores', password: strong(), ...body });

  const entries = async (q: string) =>
    (await app.http().get(`/api/v1/audit?${q}`).set(auditor).expect(200)).body.items as Entry[];

  describe('home stations', () => {
    it('refuses a user at a station that does not exist, naming the field', async () => {
      const res = await createUser({ username: `u-${uid()}`.toLowerCase(), station: 'NOPE9' }).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ type: '/problems/unknown-station', detail: "No station 'NOPE9'" });
      expect(res.body.errors).toEqual([{ path: 'body.station', message: "unknown station 'NOPE9'" }]);
    });

    it('accepts an existing station and refuses moving a user to one that does not exist', async () => {
      const username = `u-${uid()}`.toLowerCase();
      await createUser({ username, station }).expect(201);
      const res = await app
        .http()
        .patch(`/api/v1/users/${username}`)
        .set(admin)
        .send({ station: 'GONE1' })
        .expect(400);
      expect(res.body.errors).toEqual([{ path: 'body.station', message: "unknown station 'GONE1'" }]);
      const user = await app.http().get(`/api/v1/users/${username}`).set(admin).expect(200);
      expect(user.body.station).toBe(station);
      // Force-wide stays possible.
      await app.http().patch(`/api/v1/users/${username}`).set(admin).send({ station: null }).expect(200);
    });
  });

  it('names every invalid field in the validation problem, not just "Invalid body"', async () => {
    const res = await createUser({ username: 'x', station: 'lower', password: 'short' }).expect(400);
    expect(res.body.type).toBe('/problems/validation-failed');
    const errors = res.body.errors as FieldError[];
    expect(errors.map((e) => e.path).sort()).toEqual(['body.password', 'body.station', 'body.username']);
    expect(errors.find((e) => e.path === 'body.password')!.message).toBe('at least 12 characters');
    expect(res.body.detail).toMatch(/^Invalid body: /);
    for (const field of ['username', 'station', 'password']) expect(res.body.detail).toContain(`${field}: `);
  });

  describe("a user's own password", () => {
    it('refuses a wrong current password and a weak new one, each by its field', async () => {
      const username = `pw-${uid()}`.toLowerCase();
      const password = strong();
      await createUser({ username, password, station }).expect(201);
      const s = await logIn(app, username, password);

      const wrong = await app
        .http()
        .post('/api/v1/auth/password')
        .set(s.headers)
        .send({ currentPassword: 'not-my-password', newPassword: strong() })
        .expect(422);
      expect(wrong.body.type).toBe('/problems/current-password-wrong');
      expect(wrong.body.errors).toEqual([
        { path: 'body.currentPassword', message: 'not your current password' },
      ]);

      const weak = await app
        .http()
        .post('/api/v1/auth/password')
        .set(s.headers)
        .send({ currentPassword: password, newPassword: 'Summer2024!!' })
        .expect(422);
      expect(weak.body.type).toBe('/problems/password-too-weak');
      expect((weak.body.errors as FieldError[])[0]!.path).toBe('body.newPassword');

      const short = await app
        .http()
        .post('/api/v1/auth/password')
        .set(s.headers)
        .send({ currentPassword: password, newPassword: 'abc' })
        .expect(400);
      expect(short.body.errors).toEqual([{ path: 'body.newPassword', message: 'at least 12 characters' }]);

      // Nothing changed: the old password still logs in.
      await logIn(app, username, password);
    });

    it('changes it: the new one logs in, the old one no longer, other sessions end, this one stays', async () => {
      const username = `pw-${uid()}`.toLowerCase();
      const password = strong();
      await createUser({ username, password, station }).expect(201);
      const here = await logIn(app, username, password);
      const elsewhere = await logIn(app, username, password);
      const next = strong();
      const res = await app
        .http()
        .post('/api/v1/auth/password')
        .set(here.headers)
        .send({ currentPassword: password, newPassword: next })
        .expect(200);
      expect(res.body).toMatchObject({ username, mustChangePassword: false });

      await app.http().post('/api/v1/auth/login').send({ username, password }).expect(401);
      await logIn(app, username, next);
      await app.http().get('/api/v1/me').set(here.headers).expect(200);
      await app.http().get('/api/v1/me').set(elsewhere.headers).expect(401);

      const [entry] = await entries(`action=user.password-change&targetId=${username}`);
      expect(entry).toMatchObject({ actor: { id: username }, changes: { sessionsEnded: 1 } });
      expect(JSON.stringify(entry)).not.toContain(next);
    });
  });

  it("resets another user's password (audited) and lets them do nothing but choose their own", async () => {
    const username = `reset-${uid()}`.toLowerCase();
    await createUser({ username, role: 'inspector', station }).expect(201);
    const temporary = strong();
    const reset = await app
      .http()
      .patch(`/api/v1/users/${username}`)
      .set(admin)
      .send({ password: temporary })
      .expect(200);
    expect(reset.body.mustChangePassword).toBe(true);
    const [entry] = await entries(`action=user.update&targetId=${username}`);
    expect(entry!.changes).toMatchObject({ password: 'reset', mustChangePassword: true });
    expect(JSON.stringify(entry)).not.toContain(temporary);

    const s = await logIn(app, username, temporary);
    const me = await app.http().get('/api/v1/me').set(s.headers).expect(200);
    expect(me.body.user.mustChangePassword).toBe(true);
    const blocked = await app.http().get(`/api/v1/stations/${station}/readiness`).set(s.headers).expect(403);
    expect(blocked.body.type).toBe('/problems/password-change-required');
    await app.http().post('/api/v1/auth/tokens').set(s.headers).send({ name: 'sneaky' }).expect(403);

    const own = strong();
    await app
      .http()
      .post('/api/v1/auth/password')
      .set(s.headers)
      .send({ currentPassword: temporary, newPassword: own })
      .expect(200);
    await app.http().get(`/api/v1/stations/${station}/readiness`).set(s.headers).expect(200);
    const after = await app.http().get(`/api/v1/users/${username}`).set(admin).expect(200);
    expect(after.body.mustChangePassword).toBe(false);
  });

  describe('audit export', () => {
    it('streams the filtered entries as CSV, oldest first, and audits the export', async () => {
      const target = `u-${uid()}`.toLowerCase();
      await createUser({ username: target, station }).expect(201);
      await app
        .http()
        .patch(`/api/v1/users/${target}`)
        .set(admin)
        .send({ displayName: '=HYPERLINK("x")' })
        .expect(200);
      await app.http().patch(`/api/v1/users/${target}`).set(admin).send({ active: false }).expect(200);
      const from = new Date(Date.now() - 60_000).toISOString();

      const res = await app
        .http()
        .get(`/api/v1/audit/export.csv?targetKind=user&targetId=${target}&from=${encodeURIComponent(from)}`)
        .set(auditor)
        .buffer(true)
        .parse(asText)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-.*\.csv"$/);
      const rows: Array<Record<string, string>> = parse(res.body as string, { columns: true });
      expect(rows.map((r) => r.action)).toEqual(['user.create', 'user.update', 'user.update']);
      expect(rows.every((r) => r.targetId === target && r.targetKind === 'user')).toBe(true);
      expect(Number(rows[0]!.seq)).toBeLessThan(Number(rows[2]!.seq));
      expect(rows[0]!.actorId).toMatch(/^root-/);
      expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.parse(rows[1]!.changes!)).toEqual({ displayName: '=HYPERLINK("x")' });

      // A filter that matches nothing yields the header alone.
      const none = await app
        .http()
        .get(`/api/v1/audit/export.csv?targetKind=user&targetId=${target}&to=${encodeURIComponent(from)}`)
        .set(auditor)
        .buffer(true)
        .parse(asText)
        .expect(200);
      expect((none.body as string).trim().split('\n')).toHaveLength(1);

      const [exported, first] = await entries('action=audit.export');
      expect(exported!.summary).toContain(`targetId=${target}`);
      expect(exported!.changes).toEqual({ filter: { targetKind: 'user', targetId: target, to: from } });
      expect(first!.changes).toEqual({ filter: { targetKind: 'user', targetId: target, from } });
    });

    it('is for auditors and admins only, and refuses a bad filter by its field', async () => {
      const stores = await app.as('stores');
      await app.http().get('/api/v1/audit/export.csv').set(stores).expect(403);
      const bad = await app.http().get('/api/v1/audit/export.csv?from=yesterday').set(auditor).expect(400);
      expect((bad.body.errors as FieldError[])[0]!.path).toBe('query.from');
    });
  });
});
