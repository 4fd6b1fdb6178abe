import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ADMIN_PASSWORD, startApp, type TestApp } from '../helpers/app.js';
import { connect, connectError, disconnected, next, sessionFor } from '../helpers/live.js';

const PROBLEM = /application\/problem\+json/;

describe('authentication', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ LOGIN_RATE_LIMIT: '5' });
  });
  afterAll(() => app.close());

  it('logs in with a session cookie that is HttpOnly and SameSite=Strict, and returns a CSRF token', async () => {
    const res = await app
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: ADMIN_PASSWORD })
      .expect(200);
    expect(res.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    expect(res.body.user.passwordHash).toBeUndefined();
    expect(typeof res.body.csrfToken).toBe('string');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^bwv\.sid=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('refuses wrong credentials with 401 problem+json', async () => {
    const res = await app
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: 'wrong-password' })
      .expect(401);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ type: '/problems/invalid-credentials', status: 401 });
    await app
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'nobody', password: 'whatever' })
      .expect(401);
  });

  it('requires the CSRF token for writes made with the cookie, and serves /me', async () => {
    const agent = request.agent(app.url);
    const login = await agent
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: ADMIN_PASSWORD });
    const me = await agent.get('/api/v1/me').expect(200);
    expect(me.body.user).toMatchObject({ username: 'admin', via: 'session' });
    expect(me.body.csrfToken).toBe(login.body.csrfToken);

    const denied = await agent.post('/api/v1/stations').send({ code: 'CSRF1', name: 'x' }).expect(403);
    expect(denied.body.type).toBe('/problems/csrf-token-invalid');
    await agent
      .post('/api/v1/stations')
      .set('X-CSRF-Token', 'forged-token-forged-token-forged')
      .send({ code: 'CSRF1', name: 'x' })
      .expect(403);
    await agent
      .post('/api/v1/stations')
      .set('X-CSRF-Token', me.body.csrfToken)
      .send({ code: 'CSRF1', name: 'x' })
      .expect(201);
  });

  it('logs out: the cookie no longer authenticates', async () => {
    const agent = request.agent(app.url);
    const login = await agent
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: ADMIN_PASSWORD });
    await agent.post('/api/v1/auth/logout').set('X-CSRF-Token', login.body.csrfToken).expect(204);
    const after = await agent.get('/api/v1/me').expect(401);
    expect(after.body.type).toBe('/problems/unauthenticated');
  });

  it('issues API tokens once, accepts them without CSRF, and stops accepting them when revoked', async () => {
    const agent = request.agent(app.url);
    const login = await agent
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: ADMIN_PASSWORD });
    const created = await agent
      .post('/api/v1/auth/tokens')
      .set('X-CSRF-Token', login.body.csrfToken)
      .send({ name: 'ci script' })
      .expect(201);
    const { token, id } = created.body;
    expect(token).toMatch(/^bwv_/);

    const auth = { Authorization: `Bearer ${token}` };
    const me = await app.http().get('/api/v1/me').set(auth).expect(200);
    expect(me.body.user.via).toBe('token');
    expect(me.body.csrfToken).toBeUndefined();
    expect(me.headers['set-cookie']).toBeUndefined(); // a token request never starts a session
    await app
      .http()
      .post('/api/v1/stations')
      .set(auth)
      .send({ code: 'TOK1', name: 'Token station' })
      .expect(201);

    const listed = await app.http().get('/api/v1/auth/tokens').set(auth).expect(200);
    const mine = listed.body.find((t: { id: string }) => t.id === id);
    expect(mine).toMatchObject({ name: 'ci script', revokedAt: null });
    expect(mine.token).toBeUndefined();

    await app.http().delete(`/api/v1/auth/tokens/${id}`).set(auth).expect(204);
    const refused = await app.http().get('/api/v1/me').set(auth).expect(401);
    expect(refused.body.type).toBe('/problems/invalid-token');
  });

  it('refuses requests without credentials with 401', async () => {
    const res = await app.http().get('/api/v1/officers').expect(401);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it('stops a disabled user at once, even with a live token', async () => {
    const admin = await app.as('admin');
    const stores = await app.as('stores', 'clerk-disabled');
    await app.http().get('/api/v1/me').set(stores).expect(200);
    await app.http().patch('/api/v1/users/clerk-disabled').set(admin).send({ active: false }).expect(200);
    await app.http().get('/api/v1/me').set(stores).expect(401);
  });

  it('makes a client wait after repeated failed logins: 429 problem+json with Retry-After', async () => {
    const fresh = await startApp({ LOGIN_RATE_LIMIT: '3' });
    try {
      for (let i = 0; i < 3; i++) {
        await fresh
          .http()
          .post('/api/v1/auth/login')
          .send({ username: 'admin', password: `bad-${i}` })
          .expect(401);
      }
      const res = await fresh
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'admin', password: ADMIN_PASSWORD })
        .expect(429);
      expect(res.body.type).toBe('/problems/too-many-login-attempts');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      await fresh.close();
    }
  });
});

describe('roles', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app.close());

  it('denies what a role may not do with 403 problem+json', async () => {
    const inspector = await app.as('inspector');
    const auditor = await app.as('auditor');
    const stores = await app.as('stores');

    const res = await app
      .http()
      .post('/api/v1/officers')
      .set(inspector)
      .send({ number: 'X1', name: 'A', station: 'NONE' })
      .expect(403);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ type: '/problems/forbidden', status: 403 });

    await app.http().get('/api/v1/audit').set(stores).expect(403);
    await app.http().get('/api/v1/audit').set(auditor).expect(200);
    await app.http().get('/api/v1/users').set(stores).expect(403);
    await app.http().post('/api/v1/stations').set(auditor).send({ code: 'AUD', name: 'x' }).expect(403);
  });

  it('lets admins manage users, and refuses a duplicate username with 409', async () => {
    const admin = await app.as('admin');
    await app
      .http()
      .post('/api/v1/users')
      .set(admin)
      .send({ username: 'jo', displayName: 'Jo', role: 'it', password: 'long-enough-pass' })
      .expect(201);
    const dup = await app
      .http()
      .post('/api/v1/users')
      .set(admin)
      .send({ username: 'jo', displayName: 'Jo', role: 'it', password: 'long-enough-pass' })
      .expect(409);
    expect(dup.body.type).toBe('/problems/username-taken');
    const list = await app.http().get('/api/v1/users').set(admin).expect(200);
    expect(list.body.map((u: { username: string }) => u.username)).toContain('jo');
    expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|scrypt/);
    // a new user logs in with the password the admin set
    await app
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'jo', password: 'long-enough-pass' })
      .expect(200);
  });
});

describe('password change by an admin', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app.close());

  it("ends the user's sessions and live sockets, revokes their tokens, and audits it", async () => {
    const admin = await app.as('admin');
    const s = await sessionFor(app, 'stores');
    const token = await app
      .http()
      .post('/api/v1/auth/tokens')
      .set(s.headers)
      .send({ name: 'laptop script' })
      .expect(201);
    const bearer = { Authorization: `Bearer ${token.body.token}` };
    const sock = connect(app, s.cookie);
    try {
      await next(sock, 'snapshot');
      await app.http().get('/api/v1/me').set(s.headers).expect(200);
      await app.http().get('/api/v1/me').set(bearer).expect(200);

      const closed = disconnected(sock);
      const newPassword = 'a fresh pass phrase 42';
      await app
        .http()
        .patch(`/api/v1/users/${s.username}`)
        .set(admin)
        .send({ password: newPassword })
        .expect(200);

      expect((await app.http().get('/api/v1/me').set(s.headers).expect(401)).body.type).toBe(
        '/problems/unauthenticated',
      );
      expect((await app.http().get('/api/v1/me').set(bearer).expect(401)).body.type).toBe(
        '/problems/invalid-token',
      );

      expect(await closed).toBe('io server disconnect');
      const refused = connectError(sock);
      sock.connect();
      expect((await refused).message).toBe('unauthenticated');

      const audit = await app
        .http()
        .get(`/api/v1/audit?targetKind=user&targetId=${s.username}&action=user.update`)
        .set(admin)
        .expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          changes: {
            password: 'reset',
            mustChangePassword: true,
            sessionsEnded: 1,
            tokensRevoked: [token.body.id],
          },
        }),
      ]);

      // The new password works; the old one does not.
      await app
        .http()
        .post('/api/v1/auth/login')
        .send({ username: s.username, password: s.password })
        .expect(401);
      await app
        .http()
        .post('/api/v1/auth/login')
        .send({ username: s.username, password: newPassword })
        .expect(200);
    } finally {
      sock.close();
    }
  });
});

describe('password policy (NIST SP 800-63B)', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    admin = await app.as('admin');
  });
  afterAll(() => app.close());

  const weak: [string, string, RegExp][] = [
    ['twelve spaces', ' '.repeat(12), /repeats characters/],
    ['one letter repeated', 'aaaaaaaaaaaa', /repeats characters/],
    ['a run of digits', '123456789012', /common password|sequence/],
    ['the username itself', 'constable-jones', /username/],
    ['the product and the police', 'bwv-police-2024', /product's name/],
  ];

  it.each(weak)(
    'refuses %s with 422 password-too-weak naming the reason, and creates no user',
    async (_, password, reason) => {
      const res = await app
        .http()
        .post('/api/v1/users')
        .set(admin)
        .send({ username: 'constable-jones', displayName: 'PC Jones', role: 'stores', password })
        .expect(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('/problems/password-too-weak');
      expect(res.body.detail).toMatch(reason);
      expect(res.body.errors).toEqual([{ path: 'body.password', message: expect.stringMatching(reason) }]);
      await app.http().get('/api/v1/users/constable-jones').set(admin).expect(404);
    },
  );

  it('refuses a weak new password and keeps the old one and its sessions', async () => {
    const s = await sessionFor(app, 'stores');
    const res = await app
      .http()
      .patch(`/api/v1/users/${s.username}`)
      .set(admin)
      .send({ password: s.username })
      .expect(422);
    expect(res.body.type).toBe('/problems/password-too-weak');
    await app.http().get('/api/v1/me').set(s.headers).expect(200);
    await app
      .http()
      .post('/api/v1/auth/login')
      .send({ username: s.username, password: s.password })
      .expect(200);
  });
});
