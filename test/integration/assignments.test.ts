import { systemContext } from '../../src/shared/index.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';

describe('check-out and check-in', () => {
  let app: TestApp;
  let stores: Record<string, string>;
  let auditor: Record<string, string>;
  let mongo: MongoClient;
  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
    auditor = await app.as('auditor');
    mongo = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
  });
  afterAll(async () => {
    await mongo.close();
    await app.close();
  });

  async function setup(cameras = 1, officers = 1) {
    const station = await newStation(app, stores);
    const cams = [];
    for (let i = 0; i < cameras; i++) cams.push(await newCamera(app, stores, { station }));
    const offs = [];
    for (let i = 0; i < officers; i++) offs.push(await newOfficer(app, stores, { station }));
    return { station, cams, offs };
  }
  const checkOut = (camera: string, officer: string, mode = 'pool') =>
    app.http().post('/api/v1/checkouts').set(stores).send({ camera, officer, mode });
  const checkIn = (camera: string, condition = 'ok', notes?: string) =>
    app
      .http()
      .post('/api/v1/checkins')
      .set(stores)
      .send({ camera, condition, ...(notes && { notes }) });
  const camera = async (serial: string): Promise<Record<string, unknown>> =>
    (await app.http().get(`/api/v1/cameras/${serial}`).set(stores)).body as Record<string, unknown>;
  type AuditItem = { action: string; actor: Record<string, unknown>; changes: Record<string, unknown> };
  const auditOf = async (serial: string): Promise<AuditItem[]> =>
    (await app.http().get(`/api/v1/audit?targetKind=camera&targetId=${serial}`).set(auditor).expect(200)).body
      .items as AuditItem[];

  it('issues a camera to an officer and takes it back', async () => {
    const {
      cams: [cam],
      offs: [officer],
    } = await setup();
    const out = await checkOut(cam!, officer!, 'personal').expect(201);
    expect(out.body).toMatchObject({ camera: cam, officer, mode: 'personal' });
    expect(out.body.id).toEqual(expect.any(String));
    expect(await camera(cam!)).toMatchObject({ status: 'issued', holder: officer });
    const listed = await app
      .http()
      .get(`/api/v1/cameras?status=issued&station=${String((await camera(cam!)).station)}`)
      .set(stores);
    expect(listed.body.items.map((c: { serial: string }) => c.serial)).toEqual([cam]);

    const back = await checkIn(cam!).expect(200);
    expect(back.body.assignment).toMatchObject({ camera: cam, officer, condition: 'ok' });
    expect(back.body.camera).toMatchObject({ status: 'in_stock', holder: null });
    expect(back.body.fault).toBeNull();
    expect(await camera(cam!)).toMatchObject({ status: 'in_stock', holder: null });

    const actions = (await auditOf(cam!)).map((e: { action: string }) => e.action);
    expect(actions.slice(0, 2)).toEqual(['camera.check-in', 'camera.check-out']);
    const [inEntry, outEntry] = await auditOf(cam!);
    expect(outEntry!.actor).toMatchObject({ type: 'user', via: 'token' });
    expect(outEntry!.changes).toMatchObject({ holder: officer, status: { from: 'in_stock', to: 'issued' } });
    expect(inEntry!.changes).toMatchObject({ condition: 'ok', status: { from: 'issued', to: 'in_stock' } });
  });

  it('refuses an officer who already holds a camera, and a camera already issued', async () => {
    const {
      cams: [a, b],
      offs: [o1, o2],
    } = await setup(2, 2);
    await checkOut(a!, o1!).expect(201);
    const second = await checkOut(b!, o1!).expect(409);
    expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(second.body.type).toBe('/problems/officer-already-holds-camera');
    const taken = await checkOut(a!, o2!).expect(409);
    expect(taken.body.type).toBe('/problems/camera-already-issued');
  });

  it('answers 404 for an unknown camera or officer, 400 for a malformed body', async () => {
    const {
      cams: [cam],
      offs: [officer],
    } = await setup();
    expect((await checkOut('NO-SUCH-CAM', officer!).expect(404)).body.type).toBe(
      '/problems/camera-not-found',
    );
    expect((await checkOut(cam!, 'NOBODY').expect(404)).body.type).toBe('/problems/officer-not-found');
    const bad = await app
      .http()
      .post('/api/v1/checkouts')
      .set(stores)
      .send({ camera: cam, mode: 'forever' })
      .expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.mode',
      'body.officer',
    ]);
    await checkIn('NO-SUCH-CAM').expect(404);
    expect((await checkIn(cam!).expect(409)).body.type).toBe('/problems/camera-not-issued');
  });

  it('refuses a camera held at another station, and an inactive officer', async () => {
    const {
      cams: [cam],
    } = await setup();
    const elsewhere = await newStation(app, stores);
    const officer = await newOfficer(app, stores, { station: elsewhere });
    expect((await checkOut(cam!, officer).expect(409)).body.type).toBe('/problems/camera-at-another-station');
    const {
      cams: [cam2],
      offs: [retired],
    } = await setup();
    await app.http().patch(`/api/v1/officers/${retired}`).set(stores).send({ active: false }).expect(200);
    expect((await checkOut(cam2!, retired!).expect(409)).body.type).toBe('/problems/officer-inactive');
  });

  it('takes a damaged camera through fault, repair and back to stock, refusing it meanwhile', async () => {
    const {
      cams: [cam],
      offs: [o1, o2],
    } = await setup(1, 2);
    await checkOut(cam!, o1!).expect(201);
    const back = await checkIn(cam!, 'damaged', 'cracked lens').expect(200);
    expect(back.body.camera.status).toBe('faulty');
    expect(back.body.fault).toMatchObject({
      camera: cam,
      condition: 'damaged',
      state: 'open',
      notes: 'cracked lens',
    });
    expect((await checkOut(cam!, o2!).expect(409)).body.type).toBe('/problems/camera-faulty');

    await app.http().post(`/api/v1/cameras/${cam}/repaired`).set(stores).send({}).expect(409);
    const repair = await app
      .http()
      .post(`/api/v1/cameras/${cam}/repair`)
      .set(stores)
      .send({ notes: 'to vendor' })
      .expect(200);
    expect(repair.body.status).toBe('in_repair');
    expect((await checkOut(cam!, o2!).expect(409)).body.type).toBe('/problems/camera-in-repair');
    const done = await app.http().post(`/api/v1/cameras/${cam}/repaired`).set(stores).send({}).expect(200);
    expect(done.body.status).toBe('in_stock');
    const faults = await app.http().get(`/api/v1/cameras/${cam}/faults`).set(auditor).expect(200);
    expect(faults.body).toHaveLength(1);
    expect(faults.body[0]).toMatchObject({ state: 'closed', source: 'check-in' });
    await checkOut(cam!, o2!).expect(201);

    const actions = (await auditOf(cam!)).map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'camera.check-out',
      'camera.repair-completed',
      'camera.repair-started',
      'camera.fault',
      'camera.check-in',
      'camera.check-out',
      'camera.create',
    ]);
  });

  it('reports a camera in stock faulty, and retires it', async () => {
    const {
      cams: [cam],
      offs: [officer],
    } = await setup();
    const res = await app
      .http()
      .post(`/api/v1/cameras/${cam}/faults`)
      .set(stores)
      .send({ condition: 'faulty', notes: 'will not power on' })
      .expect(201);
    expect(res.body.camera.status).toBe('faulty');
    const retired = await app
      .http()
      .post(`/api/v1/cameras/${cam}/retire`)
      .set(stores)
      .send({ reason: 'beyond repair' })
      .expect(200);
    expect(retired.body.status).toBe('retired');
    expect((await checkOut(cam!, officer!).expect(409)).body.type).toBe('/problems/camera-retired');
    const actions = (await auditOf(cam!)).map((e: { action: string }) => e.action);
    expect(actions.slice(0, 2)).toEqual(['camera.retired', 'camera.fault']);
  });

  it('reports an issued camera stolen with a reason, ending the assignment', async () => {
    const {
      cams: [a, b],
      offs: [officer],
    } = await setup(2, 1);
    await checkOut(a!, officer!).expect(201);
    await app.http().post(`/api/v1/cameras/${a}/lost`).set(stores).send({ reason: 'stolen' }).expect(400);
    const lost = await app
      .http()
      .post(`/api/v1/cameras/${a}/lost`)
      .set(stores)
      .send({ reason: 'stolen', details: 'taken from patrol car, crime ref 123' })
      .expect(200);
    expect(lost.body).toMatchObject({ status: 'lost', holder: null });
    expect((await checkOut(a!, officer!).expect(409)).body.type).toBe('/problems/camera-lost');
    await checkOut(b!, officer!).expect(201); // the officer is free to take another
    const [entry] = await auditOf(a!);
    expect(entry).toMatchObject({ action: 'camera.lost', changes: { reason: 'stolen' } });
  });

  it('keeps a history per camera and per officer', async () => {
    const {
      cams: [a, b],
      offs: [officer],
    } = await setup(2, 1);
    await checkOut(a!, officer!).expect(201);
    await checkIn(a!, 'ok').expect(200);
    await checkOut(b!, officer!, 'personal').expect(201);
    const inspector = await app.as('inspector');
    const cam = await app.http().get(`/api/v1/cameras/${a}/history`).set(inspector).expect(200);
    expect(cam.body.items.map((e: { type: string }) => e.type)).toEqual(['check-in', 'check-out']);
    expect(cam.body.items[0]).toMatchObject({ camera: a, officer, details: { condition: 'ok' } });
    const off = await app.http().get(`/api/v1/officers/${officer}/history`).set(inspector).expect(200);
    expect(off.body.total).toBe(3);
    expect(off.body.items.map((e: { type: string; camera: string }) => `${e.type} ${e.camera}`)).toEqual([
      `check-out ${b}`,
      `check-in ${a}`,
      `check-out ${a}`,
    ]);
    await app.http().get('/api/v1/officers/NOBODY/history').set(inspector).expect(404);
  });

  it('lets only stores and admin issue and return cameras', async () => {
    const {
      cams: [cam],
      offs: [officer],
    } = await setup();
    for (const role of ['inspector', 'it', 'auditor'] as const) {
      const headers = await app.as(role);
      await app
        .http()
        .post('/api/v1/checkouts')
        .set(headers)
        .send({ camera: cam, officer, mode: 'pool' })
        .expect(403);
      await app
        .http()
        .post(`/api/v1/cameras/${cam}/lost`)
        .set(headers)
        .send({ reason: 'lost', details: 'x' })
        .expect(403);
    }
    const admin = await app.as('admin');
    await app
      .http()
      .post('/api/v1/checkouts')
      .set(admin)
      .send({ camera: cam, officer, mode: 'pool' })
      .expect(201);
  });

  describe('under concurrency', () => {
    it('issues one camera to exactly one of many officers asking at once', async () => {
      const n = 20;
      const {
        cams: [cam],
        offs,
      } = await setup(1, n);
      const results = await Promise.all(offs.map((o) => checkOut(cam!, o)));
      const codes = results.map((r) => r.status);
      expect(codes.filter((c) => c === 201)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(n - 1);
      for (const r of results.filter((x) => x.status === 409))
        expect(r.body.type).toBe('/problems/camera-already-issued');
      const winner = results.find((r) => r.status === 201)!.body.officer;
      expect(await camera(cam!)).toMatchObject({ status: 'issued', holder: winner });
      const outs = (await auditOf(cam!)).filter((e: { action: string }) => e.action === 'camera.check-out');
      expect(outs).toHaveLength(1);
    });

    it('gives one officer exactly one of many cameras requested at once', async () => {
      const n = 20;
      const {
        cams,
        offs: [officer],
      } = await setup(n, 1);
      const results = await Promise.all(cams.map((c) => checkOut(c, officer!)));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      const refused = results.filter((r) => r.status === 409);
      expect(refused).toHaveLength(n - 1);
      for (const r of refused) expect(r.body.type).toBe('/problems/officer-already-holds-camera');
      const issued = await Promise.all(cams.map(camera));
      expect(issued.filter((c) => c.status === 'issued')).toHaveLength(1);
    });

    it('records every one of many check-outs and returns at once in the audit chain and histories', async () => {
      const n = 30;
      const { cams, offs } = await setup(n, n);
      const outs = await Promise.all(cams.map((c, i) => checkOut(c, offs[i]!)));
      expect(outs.map((r) => r.status)).toEqual(cams.map(() => 201));
      const ins = await Promise.all(cams.map((c) => checkIn(c)));
      expect(ins.map((r) => r.status)).toEqual(cams.map(() => 200));

      const verdict = await app.http().get('/api/v1/audit/verify').set(auditor).expect(200);
      expect(verdict.body.ok).toBe(true);
      for (const [i, cam] of cams.entries()) {
        const actions = (await auditOf(cam)).map((e: { action: string }) => e.action);
        expect(actions.slice(0, 2)).toEqual(['camera.check-in', 'camera.check-out']);
        const history = await app.http().get(`/api/v1/officers/${offs[i]}/history`).set(auditor).expect(200);
        expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(['check-in', 'check-out']);
      }
    });

    it('takes a camera back exactly once when several check-ins race', async () => {
      const {
        cams: [cam],
        offs: [officer],
      } = await setup();
      await checkOut(cam!, officer!).expect(201);
      const results = await Promise.all(Array.from({ length: 10 }, () => checkIn(cam!)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200))
        expect(r.body.type).toBe('/problems/camera-not-issued');
      const ins = (await auditOf(cam!)).filter((e: { action: string }) => e.action === 'camera.check-in');
      expect(ins).toHaveLength(1);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the first result for a repeated check-out and acts once', async () => {
      const {
        cams: [cam],
        offs: [officer],
      } = await setup();
      const send = () =>
        app
          .http()
          .post('/api/v1/checkouts')
          .set(stores)
          .set('Idempotency-Key', `k-${cam}`)
          .send({ camera: cam, officer, mode: 'pool' });
      const first = await send().expect(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await send().expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const outs = (await auditOf(cam!)).filter((e: { action: string }) => e.action === 'camera.check-out');
      expect(outs).toHaveLength(1);
    });

    it('gives every concurrent duplicate the same single result', async () => {
      const {
        cams: [cam],
        offs: [officer],
      } = await setup();
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          app
            .http()
            .post('/api/v1/checkouts')
            .set(stores)
            .set('Idempotency-Key', `race-${cam}`)
            .send({ camera: cam, officer, mode: 'pool' }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
      const ids = new Set(results.map((r) => String(r.body.id)));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
      const outs = (await auditOf(cam!)).filter((e: { action: string }) => e.action === 'camera.check-out');
      expect(outs).toHaveLength(1);
    });

    it('replays a check-in, replays a refusal, and refuses a key reused for another body', async () => {
      const {
        cams: [cam, other],
        offs: [officer],
      } = await setup(2, 1);
      await checkOut(cam!, officer!).expect(201);
      const checkin = () =>
        app
          .http()
          .post('/api/v1/checkins')
          .set(stores)
          .set('Idempotency-Key', `in-${cam}`)
          .send({ camera: cam, condition: 'ok' });
      const first = await checkin().expect(200);
      const again = await checkin().expect(200);
      expect(again.body).toEqual(first.body);
      const ins = (await auditOf(cam!)).filter((e: { action: string }) => e.action === 'camera.check-in');
      expect(ins).toHaveLength(1);

      const refused = () =>
        app
          .http()
          .post('/api/v1/checkins')
          .set(stores)
          .set('Idempotency-Key', `in-${other}`)
          .send({ camera: other, condition: 'ok' });
      expect((await refused().expect(409)).body.type).toBe('/problems/camera-not-issued');
      // Now the camera is issued, so a fresh check-in would succeed; the retry still gets the first answer.
      await checkOut(other!, officer!).expect(201);
      const replay = await refused().expect(409);
      expect(replay.body.type).toBe('/problems/camera-not-issued');
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(await camera(other!)).toMatchObject({ status: 'issued', holder: officer });

      const reused = await app
        .http()
        .post('/api/v1/checkins')
        .set(stores)
        .set('Idempotency-Key', `in-${cam}`)
        .send({ camera: cam, condition: 'damaged' })
        .expect(422);
      expect(reused.body.type).toBe('/problems/idempotency-key-reused');
    });

    it('scopes keys to the user: the same key from another user acts on its own', async () => {
      const {
        cams: [a, b],
        offs: [o1, o2],
      } = await setup(2, 2);
      const other = await app.as('stores');
      await app
        .http()
        .post('/api/v1/checkouts')
        .set(stores)
        .set('Idempotency-Key', 'shared-key')
        .send({ camera: a, officer: o1, mode: 'pool' })
        .expect(201);
      const res = await app
        .http()
        .post('/api/v1/checkouts')
        .set(other)
        .set('Idempotency-Key', 'shared-key')
        .send({ camera: b, officer: o2, mode: 'pool' })
        .expect(201);
      expect(res.body.camera).toBe(b);
    });
  });

  it('repairs a check-out interrupted between claim and status update', async () => {
    const {
      station,
      cams: [a, b],
      offs: [o1],
    } = await setup(2, 1);
    const db = mongo.db(app.dbName);
    // As if the process died right after claiming: an open assignment, camera still in stock.
    await db.collection<Record<string, unknown> & { _id: string }>('open_assignments').insertOne({
      _id: a!,
      id: `crash-${a}`,
      camera: a,
      officer: o1,
      mode: 'pool',
      station,
      issuedAt: new Date(),
      issuedBy: 'stores-x',
    });
    // And a check-in interrupted after the open assignment went: camera still says issued.
    await db.collection('cameras').updateOne({ serial: b }, { $set: { status: 'issued', holder: 'GHOST' } });
    expect(await app.platform.services.assignments.reconcile(systemContext)).toBe(2);
    expect(await camera(a!)).toMatchObject({ status: 'issued', holder: o1 });
    expect(await camera(b!)).toMatchObject({ status: 'in_stock', holder: null });
    expect(await app.platform.services.assignments.reconcile(systemContext)).toBe(0);
  });
});
