import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';
import { eventually } from '../helpers/mqtt.js';

describe('minimum stock', () => {
  let app: TestApp;
  let stores: Record<string, string>;
  let auditor: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
    auditor = await app.as('auditor');
  });
  afterAll(() => app.close());

  it('raises one alert when stock falls under the minimum and clears it when stock recovers', async () => {
    const station = await newStation(app, stores);
    const cams = [];
    for (let i = 0; i < 3; i++) cams.push(await newCamera(app, stores, { station }));
    const officers = [];
    for (let i = 0; i < 2; i++) officers.push(await newOfficer(app, stores, { station }));
    const set = await app
      .http()
      .patch(`/api/v1/stations/${station}/stock`)
      .set(stores)
      .send({ minimum: 2 })
      .expect(200);
    expect(set.body).toMatchObject({ station, inStock: 3, minimum: 2, alert: null });

    const checkOut = (camera: string, officer: string) =>
      app.http().post('/api/v1/checkouts').set(stores).send({ camera, officer, mode: 'pool' }).expect(201);
    await checkOut(cams[0]!, officers[0]!); // 2 left: at the minimum, no alert
    let stock = await app.http().get(`/api/v1/stations/${station}/stock`).set(auditor).expect(200);
    expect(stock.body).toMatchObject({ minimum: 2, alert: null, byStatus: { in_stock: 2, issued: 1 } });

    // The alert is re-evaluated just after the check-out answers, not inside it.
    const stockNow = () => app.http().get(`/api/v1/stations/${station}/stock`).set(auditor).expect(200);
    await checkOut(cams[1]!, officers[1]!); // 1 left: under the minimum
    stock = await eventually(async () => ((await stockNow()).body.alert ? stockNow() : null), 2_000);
    expect(stock.body.alert).toMatchObject({ station, inStock: 1, minimum: 2 });
    const alerts = await app.http().get('/api/v1/stock-alerts').set(auditor).expect(200);
    expect(alerts.body.filter((a: { station: string }) => a.station === station)).toHaveLength(1);

    await app
      .http()
      .post('/api/v1/checkins')
      .set(stores)
      .send({ camera: cams[0], condition: 'ok' })
      .expect(200);
    stock = await eventually(async () => ((await stockNow()).body.alert === null ? stockNow() : null), 2_000);
    expect(stock.body.alert).toBeNull();

    const audit = await app
      .http()
      .get(`/api/v1/audit?targetKind=station&targetId=${station}`)
      .set(auditor)
      .expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action).slice(0, 3)).toEqual([
      'stock.restored',
      'stock.below-minimum',
      'stock.minimum',
    ]);
  });

  it('lets only stores and admin set a minimum, and validates it', async () => {
    const station = await newStation(app, stores);
    const inspector = await app.as('inspector');
    await app
      .http()
      .patch(`/api/v1/stations/${station}/stock`)
      .set(inspector)
      .send({ minimum: 1 })
      .expect(403);
    await app.http().patch(`/api/v1/stations/${station}/stock`).set(stores).send({ minimum: -1 }).expect(400);
    await app.http().patch('/api/v1/stations/NOPE/stock').set(stores).send({ minimum: 1 }).expect(404);
  });
});
