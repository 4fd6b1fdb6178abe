// What READ_CACHE_SECONDS promises with several API processes on one database: a change shows at
// once on the process that made it, and on the others within that many seconds.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';
import { eventually } from '../helpers/mqtt.js';

describe('per-process read caches across two API processes', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startApp({ READ_CACHE_SECONDS: '1' });
    b = await startApp({ READ_CACHE_SECONDS: '1', MONGODB_DB: a.dbName });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('shows a check-out at once where it was made and within the cache time elsewhere', async () => {
    const stores = await a.as('stores');
    const station = await newStation(a, stores);
    const cam = await newCamera(a, stores, { station });
    const officer = await newOfficer(a, stores, { station });
    // Both processes have the camera cached as in stock.
    for (const app of [a, b])
      expect((await app.http().get(`/api/v1/cameras/${cam}`).set(stores)).body.status).toBe('in_stock');

    await a
      .http()
      .post('/api/v1/checkouts')
      .set(stores)
      .send({ camera: cam, officer, mode: 'pool' })
      .expect(201);
    expect((await a.http().get(`/api/v1/cameras/${cam}`).set(stores)).body).toMatchObject({
      status: 'issued',
      holder: officer,
    });
    const started = Date.now();
    await eventually(
      async () => (await b.http().get(`/api/v1/cameras/${cam}`).set(stores)).body.holder === officer,
      3_000,
    );
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('refuses a revoked token at once where it was revoked and within the cache time elsewhere', async () => {
    const admin = await a.as('admin');
    const created = await a
      .http()
      .post('/api/v1/auth/tokens')
      .set(admin)
      .send({ name: 'script' })
      .expect(201);
    const auth = { Authorization: `Bearer ${created.body.token}` };
    await a.http().get('/api/v1/me').set(auth).expect(200);
    await b.http().get('/api/v1/me').set(auth).expect(200);

    await a.http().delete(`/api/v1/auth/tokens/${created.body.id}`).set(admin).expect(204);
    await a.http().get('/api/v1/me').set(auth).expect(401);
    const started = Date.now();
    await eventually(async () => (await b.http().get('/api/v1/me').set(auth)).status === 401, 3_000);
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});
