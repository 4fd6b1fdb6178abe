// The demo force's seed on a database that already has some of it (issue 19, "The demo does not
// move"): `seed:demo` refused outright when any one of its station codes existed. Now it adds what
// is missing and keeps what is there; run again, it adds nothing. Then the simulator's provisioning
// of that fleet, a second time: re-issuing credentials for a hundred devices and more in one request
// hung the embedded database (every later write waited), so the demo's second run never moved.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_SMALL, seedDemo } from '../../scripts/demo-force.js';
import { systemContext } from '../../src/shared/index.js';
import { startApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
});

describe('the demo seed', () => {
  it('adds what is missing when a demo station exists already, and nothing the second time', async () => {
    const admin = await app.as('admin');
    await app
      .http()
      .post('/api/v1/stations')
      .set(admin)
      .send({ code: 'CEN', name: 'Our own Central' })
      .expect(201);

    const first = await seedDemo(app.platform.services, systemContext, DEMO_SMALL);
    expect(first).toEqual({ stations: 11, officers: 130, cameras: 150, docks: 24, kept: 1 });
    // The station that was there is kept as it was.
    const cen = await app.http().get('/api/v1/stations/CEN').set(admin).expect(200);
    expect(cen.body.name).toBe('Our own Central');
    const cameras = await app.http().get('/api/v1/cameras?station=CEN&limit=1').set(admin).expect(200);
    expect(cameras.body.total).toBeGreaterThan(0);

    const again = await seedDemo(app.platform.services, systemContext, DEMO_SMALL);
    expect(again).toEqual({ stations: 0, officers: 0, cameras: 0, docks: 0, kept: 12 + 130 + 150 + 24 });
  });

  it('re-issues credentials for the whole small fleet, twice, without hanging the database', async () => {
    await seedDemo(app.platform.services, systemContext, DEMO_SMALL); // there already, or added now
    const it_ = await app.as('it');
    const admin = await app.as('admin');
    const cameras = await app.http().get('/api/v1/cameras?limit=500').set(admin).expect(200);
    const docks = await app.http().get('/api/v1/docks?limit=500').set(admin).expect(200);
    const devices = [
      ...(docks.body.items as Array<{ id: string }>).map((d) => ({ kind: 'dock', id: d.id })),
      ...(cameras.body.items as Array<{ serial: string }>).map((c) => ({ kind: 'camera', id: c.serial })),
    ];
    expect(devices.length).toBe(174);
    for (let round = 0; round < 2; round++) {
      const res = await app
        .http()
        .post('/api/v1/devices/credentials')
        .set(it_)
        .send({ devices })
        .timeout(30_000)
        .expect(201);
      expect(res.body.credentials).toHaveLength(174);
    }
    // And the database still takes writes.
    await app.http().post('/api/v1/stations').set(admin).send({ code: 'AFTER', name: 'After' }).expect(201);
  }, 90_000);
});
