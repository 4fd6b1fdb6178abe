// Station scoping (issue 14, finding 11): a stores or inspector user with a home station changes
// only that station's things; without one they are force-wide; admins always are. Every refusal
// is a 403 `out-of-station-scope` naming the station, and leaves the state as it was.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newDock, newOfficer, newStation } from '../helpers/factories.js';

type Headers = Record<string, string>;
const H = 3_600_000;
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

describe('station scoping of writes', () => {
  let app: TestApp;
  /** Force-wide stores (no home station): sets things up and may act anywhere. */
  let stores: Headers;
  let s1: string;
  let s2: string;
  /** Stores and inspector users whose home station is s1. */
  let stores1: Headers;
  let inspector1: Headers;
  let stores2: Headers;

  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
    s1 = await newStation(app, stores);
    s2 = await newStation(app, stores);
    stores1 = await app.as('stores', undefined, { station: s1 });
    inspector1 = await app.as('inspector', undefined, { station: s1 });
    stores2 = await app.as('stores', undefined, { station: s2 });
  });
  afterAll(() => app.close());

  const refusedOutOfScope = (res: Response, station: string) => {
    expect(res.status).toBe(403);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.type).toBe('/problems/out-of-station-scope');
    expect(res.body.detail).toContain(station);
  };
  const camera = async (serial: string) =>
    (await app.http().get(`/api/v1/cameras/${serial}`).set(stores).expect(200)).body as object;
  const officer = async (number: string) =>
    (await app.http().get(`/api/v1/officers/${number}`).set(stores).expect(200)).body as object;
  const checkOut = (headers: Headers, cam: string, off: string) =>
    app.http().post('/api/v1/checkouts').set(headers).send({ camera: cam, officer: off, mode: 'pool' });

  describe('check-out and check-in', () => {
    it("refuses another station's camera or officer, and issues its own station's", async () => {
      const cam2 = await newCamera(app, stores, { station: s2 });
      const off2 = await newOfficer(app, stores, { station: s2 });
      const cam1 = await newCamera(app, stores, { station: s1 });
      const off1 = await newOfficer(app, stores, { station: s1 });

      refusedOutOfScope(await checkOut(stores1, cam2, off2), s2);
      expect(await camera(cam2)).toMatchObject({ status: 'in_stock', holder: null });
      // Its own camera to another station's officer: the officer's station is outside the scope.
      refusedOutOfScope(await checkOut(stores1, cam1, off2), s2);
      expect(await camera(cam1)).toMatchObject({ status: 'in_stock', holder: null });

      await checkOut(stores1, cam1, off1).expect(201);
      expect(await camera(cam1)).toMatchObject({ status: 'issued', holder: off1 });
    });

    it("refuses to check in another station's camera, and checks in its own", async () => {
      const cam2 = await newCamera(app, stores, { station: s2 });
      const off2 = await newOfficer(app, stores, { station: s2 });
      const cam1 = await newCamera(app, stores, { station: s1 });
      const off1 = await newOfficer(app, stores, { station: s1 });
      await checkOut(stores, cam2, off2).expect(201);
      await checkOut(stores, cam1, off1).expect(201);

      const res = await app
        .http()
        .post('/api/v1/checkins')
        .set(stores1)
        .send({ camera: cam2, condition: 'ok' });
      refusedOutOfScope(res, s2);
      expect(await camera(cam2)).toMatchObject({ status: 'issued', holder: off2 });

      await app
        .http()
        .post('/api/v1/checkins')
        .set(stores1)
        .send({ camera: cam1, condition: 'ok' })
        .expect(200);
      expect(await camera(cam1)).toMatchObject({ status: 'in_stock', holder: null });
    });

    it('lets a force-wide stores user issue at both stations', async () => {
      for (const station of [s1, s2]) {
        const cam = await newCamera(app, stores, { station });
        const off = await newOfficer(app, stores, { station });
        await checkOut(stores, cam, off).expect(201);
      }
    });
  });

  describe('camera state changes', () => {
    it("refuses loss, faults, repair and retirement of another station's camera", async () => {
      const cam2 = await newCamera(app, stores, { station: s2 });
      const post = (path: string, body: object) =>
        app.http().post(`/api/v1/cameras/${cam2}/${path}`).set(stores1).send(body);

      refusedOutOfScope(await post('lost', { reason: 'lost', details: 'left on a bus' }), s2);
      refusedOutOfScope(await post('faults', { condition: 'damaged', notes: 'cracked lens' }), s2);
      refusedOutOfScope(await post('retire', { reason: 'old' }), s2);
      expect(await camera(cam2)).toMatchObject({ status: 'in_stock' });

      await app
        .http()
        .post(`/api/v1/cameras/${cam2}/faults`)
        .set(stores)
        .send({ condition: 'faulty', notes: 'no power' })
        .expect(201);
      refusedOutOfScope(await post('repair', {}), s2);
      expect(await camera(cam2)).toMatchObject({ status: 'faulty' });
      const faults = await app.http().get(`/api/v1/cameras/${cam2}/faults`).set(stores).expect(200);
      expect(faults.body).toHaveLength(1);
    });

    it('reports its own station’s camera lost', async () => {
      const cam1 = await newCamera(app, stores, { station: s1 });
      await app
        .http()
        .post(`/api/v1/cameras/${cam1}/lost`)
        .set(stores1)
        .send({ reason: 'stolen', details: 'from the car' })
        .expect(200);
      expect(await camera(cam1)).toMatchObject({ status: 'lost' });
    });
  });

  describe('the camera register', () => {
    it("refuses corrections to another station's camera, and corrects its own", async () => {
      const cam2 = await newCamera(app, stores, { station: s2 });
      const cam1 = await newCamera(app, stores, { station: s1 });
      refusedOutOfScope(
        await app.http().patch(`/api/v1/cameras/${cam2}`).set(stores1).send({ notes: 'mine now' }),
        s2,
      );
      expect(await camera(cam2)).toMatchObject({ station: s2, notes: '' });
      await app.http().patch(`/api/v1/cameras/${cam1}`).set(stores1).send({ notes: 'scuffed' }).expect(200);
      expect(await camera(cam1)).toMatchObject({ notes: 'scuffed' });
    });

    it('moves a camera only by transfer: PATCH with a station is 422 use-transfer, for everyone', async () => {
      const cam1 = await newCamera(app, stores, { station: s1 });
      const admin = await app.as('admin');
      // The finding: a stores user of S1 re-homed an S2 camera with PATCH {station: S1}.
      const cam2 = await newCamera(app, stores, { station: s2 });
      refusedOutOfScope(
        await app.http().patch(`/api/v1/cameras/${cam2}`).set(stores1).send({ station: s1 }),
        s2,
      );
      for (const headers of [stores1, stores, admin]) {
        const res = await app
          .http()
          .patch(`/api/v1/cameras/${cam1}`)
          .set(headers)
          .send({ station: s2, notes: 'moved' })
          .expect(422);
        expect(res.body.type).toBe('/problems/use-transfer');
        expect(res.body.detail).toMatch(/transfer/);
      }
      expect(await camera(cam1)).toMatchObject({ station: s1, notes: '' });
      expect(await camera(cam2)).toMatchObject({ station: s2 });
    });

    it('registers cameras only at its own station, one by one or by import', async () => {
      const serial = `CAM-SC-${Date.now()}`;
      const res = await app
        .http()
        .post('/api/v1/cameras')
        .set(stores1)
        .send({ serial, model: 'VB400', assetTag: `AT-${serial}`, station: s2 });
      refusedOutOfScope(res, s2);
      await app.http().get(`/api/v1/cameras/${serial}`).set(stores).expect(404);
      await newCamera(app, stores1, { station: s1 });

      const csv = (station: string, n: string) =>
        `serial,model,assetTag,station\nCAM-IMP-${n},VB400,AT-IMP-${n},${station}\n`;
      const postCsv = (body: string, dryRun = false) =>
        app
          .http()
          .post(`/api/v1/cameras/import${dryRun ? '?dryRun=true' : ''}`)
          .set(stores1)
          .set('Content-Type', 'text/csv')
          .send(body);
      const n = String(Date.now());
      const dry = await postCsv(csv(s2, n), true).expect(200);
      expect(dry.body.rows[0]).toMatchObject({ ok: false });
      expect(dry.body.rows[0].errors.join(' ')).toMatch(/outside your station scope/);
      refusedOutOfScope(await postCsv(csv(s2, n)), s2);
      await app.http().get(`/api/v1/cameras/CAM-IMP-${n}`).set(stores).expect(404);
      await postCsv(csv(s1, n)).expect(201);
      expect(await camera(`CAM-IMP-${n}`)).toMatchObject({ station: s1 });
    });
  });

  describe('officers', () => {
    it("refuses to create, change or move another station's officers, and manages its own", async () => {
      const res = await app
        .http()
        .post('/api/v1/officers')
        .set(stores1)
        .send({ number: `SC${Date.now()}`, name: 'Somebody', station: s2 });
      refusedOutOfScope(res, s2);

      const off2 = await newOfficer(app, stores, { station: s2 });
      const off1 = await newOfficer(app, stores, { station: s1 });
      refusedOutOfScope(
        await app.http().patch(`/api/v1/officers/${off2}`).set(stores1).send({ team: 'C' }),
        s2,
      );
      // The finding: an S2 officer moved by S1's stores, and the other way round.
      refusedOutOfScope(
        await app.http().patch(`/api/v1/officers/${off2}`).set(stores1).send({ station: s1 }),
        s2,
      );
      refusedOutOfScope(
        await app.http().patch(`/api/v1/officers/${off1}`).set(stores1).send({ station: s2 }),
        s2,
      );
      expect(await officer(off2)).toMatchObject({ station: s2, team: null });
      expect(await officer(off1)).toMatchObject({ station: s1 });

      await app.http().patch(`/api/v1/officers/${off1}`).set(stores1).send({ team: 'A' }).expect(200);
      expect(await officer(off1)).toMatchObject({ team: 'A' });
      await newOfficer(app, stores1, { station: s1 });
      // A force-wide stores user moves officers between stations.
      await app.http().patch(`/api/v1/officers/${off1}`).set(stores).send({ station: s2 }).expect(200);
      expect(await officer(off1)).toMatchObject({ station: s2 });
    });

    it("refuses an HR import with another station's officers", async () => {
      const n = `IMP${Date.now()}`;
      const res = await app
        .http()
        .post('/api/v1/officers/import')
        .set(stores1)
        .set('Content-Type', 'text/csv')
        .send(`number,name,station\n${n},Imported Officer,${s2}\n`);
      refusedOutOfScope(res, s2);
      await app.http().get(`/api/v1/officers/${n}`).set(stores).expect(404);
    });
  });

  describe('stations', () => {
    it('refuses to rename another station or set its minimum stock, and allows its own', async () => {
      refusedOutOfScope(
        await app.http().patch(`/api/v1/stations/${s2}`).set(stores1).send({ name: 'Renamed' }),
        s2,
      );
      const station2 = await app.http().get(`/api/v1/stations/${s2}`).set(stores).expect(200);
      expect(station2.body.name).toBe(`Station ${s2}`);
      refusedOutOfScope(
        await app.http().patch(`/api/v1/stations/${s2}/stock`).set(stores1).send({ minimum: 5 }),
        s2,
      );
      const stock2 = await app.http().get(`/api/v1/stations/${s2}/stock`).set(stores).expect(200);
      expect(stock2.body.minimum).toBeNull();

      await app.http().patch(`/api/v1/stations/${s1}`).set(stores1).send({ name: 'Home' }).expect(200);
      expect((await app.http().get(`/api/v1/stations/${s1}`).set(stores)).body.name).toBe('Home');
      await app.http().patch(`/api/v1/stations/${s1}/stock`).set(stores1).send({ minimum: 0 }).expect(200);
      const stock1 = await app.http().get(`/api/v1/stations/${s1}/stock`).set(stores).expect(200);
      expect(stock1.body.minimum).toBe(0);
    });

    it('leaves creating stations to force-wide users', async () => {
      const code = `N${Date.now() % 100000}`;
      refusedOutOfScope(
        await app.http().post('/api/v1/stations').set(stores1).send({ code, name: 'New' }),
        code,
      );
      await app.http().get(`/api/v1/stations/${code}`).set(stores).expect(404);
      await newStation(app, stores);
    });
  });

  describe('transfers', () => {
    it('is sent by the sending station and received by the receiving one', async () => {
      // The finding's shortcut is closed; the way that remains books the camera out and in.
      const cam2 = await newCamera(app, stores, { station: s2 });
      refusedOutOfScope(
        await app
          .http()
          .post('/api/v1/transfers')
          .set(stores1)
          .send({ cameras: [cam2], to: s1 }),
        s2,
      );
      expect(await camera(cam2)).toMatchObject({ station: s2, transfer: null });

      const cam1 = await newCamera(app, stores, { station: s1 });
      const sent = await app
        .http()
        .post('/api/v1/transfers')
        .set(stores1)
        .send({ cameras: [cam1], to: s2 })
        .expect(201);
      refusedOutOfScope(await app.http().post(`/api/v1/transfers/${sent.body.id}/receive`).set(stores1), s2);
      const pending = await app.http().get(`/api/v1/transfers/${sent.body.id}`).set(stores).expect(200);
      expect(pending.body.state).toBe('in_transit');

      await app.http().post(`/api/v1/transfers/${sent.body.id}/receive`).set(stores2).expect(200);
      expect(await camera(cam1)).toMatchObject({ station: s2, transfer: null });
    });
  });

  describe('docks', () => {
    it("refuses to register or change another station's docks, or move one there", async () => {
      const id = `DOCK-SC-${Date.now()}`;
      refusedOutOfScope(
        await app.http().post('/api/v1/docks').set(stores1).send({ id, station: s2, slots: 8, model: 'D' }),
        s2,
      );
      await app.http().get(`/api/v1/docks/${id}`).set(stores).expect(404);

      const dock2 = await newDock(app, stores, { station: s2 });
      refusedOutOfScope(await app.http().patch(`/api/v1/docks/${dock2}`).set(stores1).send({ slots: 2 }), s2);
      const dock1 = await newDock(app, stores1, { station: s1 });
      refusedOutOfScope(
        await app.http().patch(`/api/v1/docks/${dock1}`).set(stores1).send({ station: s2 }),
        s2,
      );
      expect((await app.http().get(`/api/v1/docks/${dock2}`).set(stores)).body.slots).toBe(14);
      expect((await app.http().get(`/api/v1/docks/${dock1}`).set(stores)).body.station).toBe(s1);
      await app.http().patch(`/api/v1/docks/${dock1}`).set(stores1).send({ slots: 10 }).expect(200);
    });
  });

  describe('shifts (inspectors)', () => {
    const shiftBody = (station: string, officers: string[]) => ({
      station,
      team: `T${Date.now() % 100000}`,
      start: iso(-H),
      end: iso(6 * H),
      officers,
    });

    it("refuses to create or change another station's shifts, and runs its own", async () => {
      const off2 = await newOfficer(app, stores, { station: s2 });
      refusedOutOfScope(
        await app
          .http()
          .post('/api/v1/shifts')
          .set(inspector1)
          .send(shiftBody(s2, [off2])),
        s2,
      );
      const onDuty = await app.http().get(`/api/v1/stations/${s2}/on-duty`).set(stores).expect(200);
      expect(onDuty.body.shifts).toEqual([]);

      const shift2 = await app
        .http()
        .post('/api/v1/shifts')
        .set(await app.as('inspector'))
        .send(shiftBody(s2, []))
        .expect(201);
      refusedOutOfScope(
        await app
          .http()
          .put(`/api/v1/shifts/${shift2.body.id}/officers`)
          .set(inspector1)
          .send({ officers: [off2] }),
        s2,
      );
      const after = await app.http().get(`/api/v1/shifts/${shift2.body.id}`).set(stores).expect(200);
      expect(after.body.officers).toEqual([]);

      const off1 = await newOfficer(app, stores, { station: s1 });
      await app
        .http()
        .post('/api/v1/shifts')
        .set(inspector1)
        .send(shiftBody(s1, [off1]))
        .expect(201);
    });

    it("refuses a roster import with another station's shifts", async () => {
      const off2 = await newOfficer(app, stores, { station: s2 });
      const roster = `station,team,start,end,officer\n${s2},R,${iso(30 * H)},${iso(38 * H)},${off2}\n`;
      const postRoster = (dryRun: boolean) =>
        app
          .http()
          .post(`/api/v1/shifts/import${dryRun ? '?dryRun=true' : ''}`)
          .set(inspector1)
          .set('content-type', 'text/csv')
          .send(roster);
      const dry = await postRoster(true).expect(200);
      expect(dry.body.errors).toEqual([expect.objectContaining({ line: 2, path: 'station' })]);
      refusedOutOfScope(await postRoster(false), s2);
      const shifts = await app
        .http()
        .get(`/api/v1/shifts?station=${s2}&from=${iso(29 * H)}&to=${iso(40 * H)}`)
        .set(stores)
        .expect(200);
      expect(shifts.body).toEqual([]);
    });
  });

  describe('who is force-wide', () => {
    it('an admin is force-wide even with a home station', async () => {
      const admin1 = await app.as('admin', undefined, { station: s1 });
      await newCamera(app, admin1, { station: s2 });
    });
  });
});
