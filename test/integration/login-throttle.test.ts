// Login throttling: per account and per client address, with progressive delays shown to the
// client, counted by the address the configured proxy saw (TRUST_PROXY), never by what a client claims.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';

const PROBLEM = /application\/problem\+json/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nobody = () => `nobody-${randomBytes(4).toString('hex')}`;

function login(app: TestApp, username: string, password: string, forwardedFor?: string) {
  const req = app.http().post('/api/v1/auth/login');
  if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
  return req.send({ username, password });
}

/** A user with a known password, made by a fresh admin. */
async function newUser(app: TestApp) {
  const admin = await app.as('admin');
  const username = `user-${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await app
    .http()
    .post('/api/v1/users')
    .set(admin)
    .send({ username, displayName: username, role: 'stores', password })
    .expect(201);
  return { username, password };
}

function expectWait(
  res: { status: number; headers: Record<string, string>; body: { type: string; detail: string } },
  seconds: number,
) {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(PROBLEM);
  expect(res.body.type).toBe('/problems/too-many-login-attempts');
  expect(res.headers['retry-after']).toBe(String(seconds));
  expect(res.body.detail).toMatch(new RegExp(`try again in ${seconds} s`));
}

describe('login throttling behind a proxy (TRUST_PROXY)', () => {
  it('counts failures by the address the proxy appended, whatever the client put before it', async () => {
    const app = await startApp({ TRUST_PROXY: '1', LOGIN_RATE_LIMIT: '10' });
    try {
      // Each try names another account, so only the address limit can stop them.
      for (let i = 1; i <= 10; i++)
        await login(app, nobody(), 'wrong-password', `10.7.0.${i}, 203.0.113.5`).expect(401);
      const res = await login(app, nobody(), 'wrong-password', '10.7.0.99, 203.0.113.5');
      expectWait(res, 1);
      // Another client of the same proxy is not held back.
      await login(app, nobody(), 'wrong-password', '10.7.0.1, 203.0.113.6').expect(401);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('ignores X-Forwarded-For from a client that is not one of the configured proxies', async () => {
    // The proxies live in 10.0.0.0/8; this client connects from 127.0.0.1 and names itself.
    const app = await startApp({ TRUST_PROXY: '10.0.0.0/8', LOGIN_RATE_LIMIT: '10' });
    try {
      for (let i = 1; i <= 10; i++) await login(app, nobody(), 'wrong-password', `10.7.0.${i}`).expect(401);
      expectWait(await login(app, nobody(), 'wrong-password', '10.7.0.77'), 1);
    } finally {
      await app.close();
    }
  }, 60_000);
});

describe('login throttling per account and per address', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ TRUST_PROXY: '1' });
  });
  afterAll(() => app.close());

  it('makes an account wait after 5 failures from any addresses, doubling the wait, and says how long', async () => {
    const { username, password } = await newUser(app);
    for (let i = 1; i <= 5; i++) await login(app, username, 'wrong-password', `198.51.100.${i}`).expect(401);
    // Refused before the password is checked, even the right one, from yet another address.
    expectWait(await login(app, username, password, '198.51.100.6'), 1);
    await sleep(1100);
    await login(app, username, 'wrong-password', '198.51.100.7').expect(401);
    expectWait(await login(app, username, password, '198.51.100.8'), 2);
    await sleep(2100);
    await login(app, username, password, '198.51.100.9').expect(200);
    // Success clears the account's failures.
    await login(app, username, 'wrong-password', '198.51.100.10').expect(401);
  }, 60_000);

  it('does not lock a colleague out of a shared address over another person’s failures', async () => {
    const { username, password } = await newUser(app);
    // A whole station behind one NAT address: 21 failures on other accounts (the old limit was 20).
    for (let i = 1; i <= 21; i++) await login(app, nobody(), 'wrong-password', '192.0.2.50').expect(401);
    await login(app, username, password, '192.0.2.50').expect(200);
  }, 90_000);

  it('lets a burst of concurrent guesses on one account check no more than the allowance', async () => {
    const { username } = await newUser(app);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(app, username, `guess-${i}`, `192.0.2.${100 + i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
  });
});
