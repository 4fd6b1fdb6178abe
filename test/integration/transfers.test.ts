import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';

describe('transfers between stations', () => {
  let app: TestApp;
  let stores: Record<string, string>;
  let auditor: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
    auditor = await app.as('auditor');
  });
  afterAll(() => app.close());

  it('keeps cameras in transit, refused for check-out, until the other station receives them', async () => {
    const from = await newStation(app, stores);
    const to = await newStation(app, stores);
    const a = await newCamera(app, stores, { station: from });
    const b = await newCamera(app, stores, { station: from });
    const officer = await newOfficer(app, stores, { station: from });
    const sent = await app
      .http()
      .post('/api/v1/transfers')
      .set(stores)
      .send({ cameras: [a, b], to, notes: 'rebalancing' })
      .expect(201);
    expect(sent.body).toMatchObject({ from, to, cameras: [a, b], state: 'in_transit' });
    const cam = await app.http().get(`/api/v1/cameras/${a}`).set(stores).expect(200);
    expect(cam.body).toMatchObject({ station: from, transfer: sent.body.id, status: 'in_stock' });
    const refused = await app
      .http()
      .post('/api/v1/checkouts')
      .set(stores)
      .send({ camera: a, officer, mode: 'pool' })
      .expect(409);
    expect(refused.body.type).toBe('/problems/camera-in-transit');
    const again = await app
      .http()
      .post('/api/v1/transfers')
      .set(stores)
      .send({ cameras: [b], to })
      .expect(409);
    expect(again.body.type).toBe('/problems/camera-in-transit');
    const listed = await app.http().get(`/api/v1/transfers?station=${to}&state=in_transit`).set(auditor);
    expect(listed.body.total).toBe(1);

    const received = await app
      .http()
      .post(`/api/v1/transfers/${sent.body.id}/receive`)
      .set(stores)
      .expect(200);
    expect(received.body).toMatchObject({ state: 'received', receivedAt: expect.any(String) });
    const moved = await app.http().get(`/api/v1/cameras/${a}`).set(stores).expect(200);
    expect(moved.body).toMatchObject({ station: to, transfer: null });
    const twice = await app.http().post(`/api/v1/transfers/${sent.body.id}/receive`).set(stores).expect(409);
    expect(twice.body.type).toBe('/problems/transfer-already-received');

    const audit = await app.http().get(`/api/v1/audit?targetKind=camera&targetId=${a}`).set(auditor);
    expect(audit.body.items.map((e: { action: string }) => e.action).slice(0, 2)).toEqual([
      'camera.transfer-received',
      'camera.transfer-sent',
    ]);
    const history = await app.http().get(`/api/v1/cameras/${a}/history`).set(auditor).expect(200);
    expect(history.body.items.slice(0, 2)).toMatchObject([
      { type: 'transfer-received', details: { transfer: sent.body.id, from, to } },
      { type: 'transfer-sent', details: { transfer: sent.body.id, from, to } },
    ]);
  });

  it('sends a camera in exactly one of several concurrent transfers', async () => {
    const from = await newStation(app, stores);
    const to = await newStation(app, stores);
    const cam = await newCamera(app, stores, { station: from });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        app
          .http()
          .post('/api/v1/transfers')
          .set(stores)
          .send({ cameras: [cam], to }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201))
      expect(r.body.type).toBe('/problems/camera-in-transit');
  });

  it('refuses issued cameras, mixed stations, the same station, and readers', async () => {
    const from = await newStation(app, stores);
    const other = await newStation(app, stores);
    const issued = await newCamera(app, stores, { station: from });
    const officer = await newOfficer(app, stores, { station: from });
    await app
      .http()
      .post('/api/v1/checkouts')
      .set(stores)
      .send({ camera: issued, officer, mode: 'pool' })
      .expect(201);
    const r1 = await app
      .http()
      .post('/api/v1/transfers')
      .set(stores)
      .send({ cameras: [issued], to: other })
      .expect(409);
    expect(r1.body.type).toBe('/problems/camera-not-transferable');
    const a = await newCamera(app, stores, { station: from });
    const b = await newCamera(app, stores, { station: other });
    const r2 = await app
      .http()
      .post('/api/v1/transfers')
      .set(stores)
      .send({ cameras: [a, b], to: other })
      .expect(409);
    expect(r2.body.type).toBe('/problems/transfer-mixed-stations');
    const r3 = await app
      .http()
      .post('/api/v1/transfers')
      .set(stores)
      .send({ cameras: [a], to: from })
      .expect(409);
    expect(r3.body.type).toBe('/problems/transfer-same-station');
    await app
      .http()
      .post('/api/v1/transfers')
      .set(auditor)
      .send({ cameras: [a], to: other })
      .expect(403);
  });
});
