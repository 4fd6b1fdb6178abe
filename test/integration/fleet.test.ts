import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newDock, newStation } from '../helpers/factories.js';

describe('asset register', () => {
  let app: TestApp;
  let stores: Record<string, string>;
  let inspector: Record<string, string>;
  let auditor: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
    inspector = await app.as('inspector');
    auditor = await app.as('auditor');
  });
  afterAll(() => app.close());

  describe('cameras', () => {
    it('registers a camera in stock with no holder and reads it back', async () => {
      const station = await newStation(app, stores);
      const res = await app
        .http()
        .post('/api/v1/cameras')
        .set(stores)
        .send({ serial: 'VB4-000123', model: 'VB400', assetTag: 'TAG-000123', station })
        .expect(201);
      expect(res.body).toMatchObject({
        serial: 'VB4-000123',
        model: 'VB400',
        assetTag: 'TAG-000123',
        station,
        status: 'in_stock',
        holder: null,
      });
      expect(res.body).not.toHaveProperty('_id');
      expect(res.body).not.toHaveProperty('importId');
      const got = await app.http().get('/api/v1/cameras/VB4-000123').set(inspector).expect(200);
      expect(got.body).toMatchObject({ serial: 'VB4-000123', status: 'in_stock', holder: null });
    });

    it('refuses a duplicate serial, a duplicate asset tag, an unknown station and a bad body', async () => {
      const station = await newStation(app, stores);
      const serial = await newCamera(app, stores, { station, assetTag: 'TAG-DUPE-1' });
      const dupSerial = await app
        .http()
        .post('/api/v1/cameras')
        .set(stores)
        .send({ serial, model: 'VB400', assetTag: 'TAG-OTHER-1', station })
        .expect(409);
      expect(dupSerial.body.type).toBe('/problems/camera-exists');
      const dupTag = await app
        .http()
        .post('/api/v1/cameras')
        .set(stores)
        .send({ serial: 'CAM-FRESH-1', model: 'VB400', assetTag: 'TAG-DUPE-1', station })
        .expect(409);
      expect(dupTag.body.type).toBe('/problems/asset-tag-exists');
      const badStation = await app
        .http()
        .post('/api/v1/cameras')
        .set(stores)
        .send({ serial: 'CAM-FRESH-2', model: 'VB400', assetTag: 'TAG-FRESH-2', station: 'NOPE' })
        .expect(400);
      expect(badStation.body.type).toBe('/problems/unknown-station');
      const bad = await app.http().post('/api/v1/cameras').set(stores).send({ serial: 'x' }).expect(400);
      expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(bad.body.type).toBe('/problems/validation-failed');
      await app.http().get('/api/v1/cameras/NO-SUCH-CAM').set(stores).expect(404);
    });

    it('filters by station, status and model, with paging', async () => {
      const station = await newStation(app, stores);
      await newCamera(app, stores, { station, model: 'VB400' });
      await newCamera(app, stores, { station, model: 'VB400' });
      await newCamera(app, stores, { station, model: 'AXON3' });
      const vb = await app
        .http()
        .get(`/api/v1/cameras?station=${station}&model=VB400&status=in_stock`)
        .set(stores)
        .expect(200);
      expect(vb.body.total).toBe(2);
      const issued = await app.http().get(`/api/v1/cameras?station=${station}&status=issued`).set(stores);
      expect(issued.body.total).toBe(0);
      const page = await app.http().get(`/api/v1/cameras?station=${station}&limit=2&offset=2`).set(stores);
      expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 2 });
      expect(page.body.items).toHaveLength(1);
      await app.http().get('/api/v1/cameras?status=broken').set(stores).expect(400);
    });

    it('corrects a camera and audits the change, but never its status or station through PATCH', async () => {
      const station = await newStation(app, stores);
      const other = await newStation(app, stores);
      const serial = await newCamera(app, stores, { station });
      const res = await app
        .http()
        .patch(`/api/v1/cameras/${serial}`)
        .set(stores)
        .send({ notes: 'relabelled after audit', purchaseCost: 499.5 })
        .expect(200);
      expect(res.body).toMatchObject({ station, notes: 'relabelled after audit', purchaseCost: 499.5 });
      await app.http().patch(`/api/v1/cameras/${serial}`).set(stores).send({ status: 'lost' }).expect(400);
      // Only a transfer moves a camera (finding 11): the whole correction is refused.
      const moved = await app
        .http()
        .patch(`/api/v1/cameras/${serial}`)
        .set(stores)
        .send({ station: other, notes: 'moved' })
        .expect(422);
      expect(moved.body.type).toBe('/problems/use-transfer');
      const after = await app.http().get(`/api/v1/cameras/${serial}`).set(stores).expect(200);
      expect(after.body).toMatchObject({ station, notes: 'relabelled after audit' });
      const audit = await app
        .http()
        .get(`/api/v1/audit?targetKind=camera&targetId=${serial}`)
        .set(auditor)
        .expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
        'camera.update',
        'camera.create',
      ]);
      expect(audit.body.items[0].changes.notes).toEqual({ from: '', to: 'relabelled after audit' });
      expect(audit.body.items[0].actor.type).toBe('user');
    });

    it('lets only stores and admin change the register', async () => {
      const station = await newStation(app, stores);
      const it = await app.as('it');
      for (const headers of [inspector, auditor, it]) {
        const res = await app
          .http()
          .post('/api/v1/cameras')
          .set(headers)
          .send({ serial: 'CAM-NOPE-1', model: 'VB400', assetTag: 'TAG-NOPE-1', station })
          .expect(403);
        expect(res.body.type).toBe('/problems/forbidden');
      }
      await app.http().get('/api/v1/cameras').expect(401);
    });

    it('counts stock by station and status', async () => {
      const station = await newStation(app, stores);
      await newCamera(app, stores, { station });
      await newCamera(app, stores, { station });
      const res = await app.http().get(`/api/v1/stations/${station}/stock`).set(inspector).expect(200);
      expect(res.body).toMatchObject({ station, total: 2, byStatus: { in_stock: 2, issued: 0, lost: 0 } });
    });
  });

  describe('docks', () => {
    it('registers, lists, reads and corrects docks', async () => {
      const station = await newStation(app, stores);
      const id = await newDock(app, stores, { station, slots: 14 });
      await newDock(app, stores, { station });
      const got = await app.http().get(`/api/v1/docks/${id}`).set(inspector).expect(200);
      expect(got.body).toMatchObject({ id, station, slots: 14, model: 'VT-DOCK14' });
      const list = await app.http().get(`/api/v1/docks?station=${station}`).set(inspector).expect(200);
      expect(list.body.total).toBe(2);
      const patched = await app
        .http()
        .patch(`/api/v1/docks/${id}`)
        .set(stores)
        .send({ slots: 8 })
        .expect(200);
      expect(patched.body.slots).toBe(8);
      const dup = await app
        .http()
        .post('/api/v1/docks')
        .set(stores)
        .send({ id, station, slots: 4, model: 'X' })
        .expect(409);
      expect(dup.body.type).toBe('/problems/dock-exists');
      await app.http().get('/api/v1/docks/NO-DOCK').set(stores).expect(404);
      await app
        .http()
        .post('/api/v1/docks')
        .set(inspector)
        .send({ id: 'D-1', station, slots: 4, model: 'X' })
        .expect(403);
    });
  });
});
