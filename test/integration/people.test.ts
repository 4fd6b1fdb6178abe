import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newOfficer, newStation } from '../helpers/factories.js';

describe('stations and officers', () => {
  let app: TestApp;
  let stores: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
  });
  afterAll(() => app.close());

  it('creates an officer with qualifications and reads it back', async () => {
    const station = await newStation(app, stores);
    const res = await app
      .http()
      .post('/api/v1/officers')
      .set(stores)
      .send({ number: '004711', name: 'PC Ada Shaw', station, qualifications: ['AFO', 'TASER'], team: 'B' })
      .expect(201);
    expect(res.body).toMatchObject({
      number: '004711',
      station,
      qualifications: ['AFO', 'TASER'],
      team: 'B',
      active: true,
    });
    const got = await app.http().get('/api/v1/officers/004711').set(stores).expect(200);
    expect(got.body.name).toBe('PC Ada Shaw');
  });

  it('refuses an unknown station, a duplicate number, and an unknown officer', async () => {
    const unknown = await app
      .http()
      .post('/api/v1/officers')
      .set(stores)
      .send({ number: 'U1', name: 'A', station: 'NOPE' })
      .expect(400);
    expect(unknown.body.type).toBe('/problems/unknown-station');
    const station = await newStation(app, stores);
    const number = await newOfficer(app, stores, { station });
    const dup = await app
      .http()
      .post('/api/v1/officers')
      .set(stores)
      .send({ number, name: 'B', station })
      .expect(409);
    expect(dup.body.type).toBe('/problems/officer-exists');
    const missing = await app.http().get('/api/v1/officers/NOBODY').set(stores).expect(404);
    expect(missing.body.type).toBe('/problems/officer-not-found');
  });

  it('filters officers by station, qualification and active, with paging', async () => {
    const station = await newStation(app, stores);
    await newOfficer(app, stores, { station, qualifications: ['AFO'] });
    await newOfficer(app, stores, { station, qualifications: ['TASER'] });
    const n3 = await newOfficer(app, stores, { station, qualifications: ['AFO', 'CUSTODY'] });
    await app.http().patch(`/api/v1/officers/${n3}`).set(stores).send({ active: false }).expect(200);

    const afo = await app
      .http()
      .get(`/api/v1/officers?station=${station}&qualification=AFO`)
      .set(stores)
      .expect(200);
    expect(afo.body.total).toBe(2);
    const activeAfo = await app
      .http()
      .get(`/api/v1/officers?station=${station}&qualification=AFO&active=true`)
      .set(stores)
      .expect(200);
    expect(activeAfo.body.total).toBe(1);
    const page = await app
      .http()
      .get(`/api/v1/officers?station=${station}&limit=2&offset=2`)
      .set(stores)
      .expect(200);
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(page.body.items).toHaveLength(1);
  });

  it('lets every role read officers but only admin and stores change them', async () => {
    const station = await newStation(app, stores);
    const number = await newOfficer(app, stores, { station });
    const inspector = await app.as('inspector');
    await app.http().get(`/api/v1/officers/${number}`).set(inspector).expect(200);
    await app.http().patch(`/api/v1/officers/${number}`).set(inspector).send({ team: 'C' }).expect(403);
    const it = await app.as('it');
    await app.http().post('/api/v1/stations').set(it).send({ code: 'ITS', name: 'x' }).expect(403);
  });
});
