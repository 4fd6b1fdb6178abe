// startApp(): the whole platform on port 0 against the run's database, in a database of its own.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { startPlatform, type Platform } from '../../src/platform.js';
import type { Role } from '../../src/shared/roles.js';
import type { Logger } from '../../src/logger.js';

export const ADMIN_PASSWORD = 'test-admin-password-1';

export interface TestApp {
  platform: Platform;
  url: string;
  /** supertest bound to the running server */
  http: () => ReturnType<typeof request>;
  dbName: string;
  /**
   * Creates a user of that role and returns headers that authenticate as them (API token).
   * Without `station` the user is force-wide; with it, a stores or inspector user acts only there.
   */
  as(role: Role, username?: string, opts?: { station?: string }): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export const testDbName = () => `t_${randomBytes(6).toString('hex')}`;

/** `log`: the platform's logger instead of one at LOG_LEVEL (a test that reads what was logged). */
export async function startApp(env: Record<string, string> = {}, log?: Logger): Promise<TestApp> {
  const uri = process.env.BWV_TEST_MONGODB_URI;
  if (!uri) throw new Error('BWV_TEST_MONGODB_URI is not set: run the tests through jest (global setup)');
  const dbName = env.MONGODB_DB ?? testDbName();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MQTT_PORT: '0',
    DATA_DIR: `/tmp/bwv-test-data/${dbName}`,
    MONGODB_URI: uri,
    MONGODB_DB: dbName,
    BWV_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const platform = await startPlatform(config, log);
  await platform.ready;
  const http = () => request(platform.url);
  let adminHeaders: Record<string, string> | undefined;

  async function tokenFor(username: string, password: string) {
    const agent = request.agent(platform.url);
    const login = await agent.post('/api/v1/auth/login').send({ username, password }).expect(200);
    const csrf = (login.body as { csrfToken: string }).csrfToken;
    const res = await agent
      .post('/api/v1/auth/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: 'test' })
      .expect(201);
    return { Authorization: `Bearer ${(res.body as { token: string }).token}` };
  }

  return {
    platform,
    url: platform.url,
    http,
    dbName,
    async as(role, username = `${role}-${randomBytes(3).toString('hex')}`, opts = {}) {
      adminHeaders ??= await tokenFor('admin', ADMIN_PASSWORD);
      const password = `pw-${randomBytes(8).toString('hex')}`;
      await http()
        .post('/api/v1/users')
        .set(adminHeaders)
        .send({
          username,
          displayName: username,
          role,
          password,
          ...(opts.station && { station: opts.station }),
        })
        .expect(201);
      return tokenFor(username, password);
    },
    close: () => platform.close(),
  };
}
