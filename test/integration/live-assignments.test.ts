// Check-outs, check-ins and the other lifecycle actions reach the live dashboard at once: the duty
// inspector's readiness board and the fleet overview's row, without waiting for a refresh.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyDiff, fromSnapshot, keyOf, type FleetState } from '../../web/src/lib/devices.js';
import type { DevicesDiff } from '../../src/realtime/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newShiftNow, newStation } from '../helpers/factories.js';
import { connect, next, sessionFor, type LiveClient } from '../helpers/live.js';

describe('lifecycle changes on the live dashboard', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let station: string;
  let sock: LiveClient;
  /** What the inspector's Fleet screen holds: the dashboard's own snapshot-and-diff code. */
  let fleet: FleetState;

  beforeAll(async () => {
    // An hour between periodic readiness refreshes: whatever reaches the board here was pushed.
    // The fleet view reads the whole register every second (writes by another process).
    app = await startApp({ READINESS_REFRESH_S: '3600', DASHBOARD_REGISTER_REFRESH_S: '1' });
    admin = await app.as('admin');
    station = await newStation(app, admin);
    const inspector = await sessionFor(app, 'inspector', station);
    sock = connect(app, inspector.cookie);
    fleet = fromSnapshot(await next(sock, 'snapshot'));
    sock.on('devices:diff', (d) => applyDiff(fleet, d));
  });
  afterAll(async () => {
    sock.close();
    await app.close();
  });

  const row = (camera: string) => fleet.devices.get(keyOf({ kind: 'camera', id: camera }));
  const diffShowing = (camera: string, status: string) =>
    next(sock, 'devices:diff', 5000, (d: DevicesDiff) =>
      d.changes.some((c) => c.id === camera && c.status === status),
    );

  it('moves an officer off red the moment a camera is checked out, and back (with an alert) on check-in', async () => {
    const officer = await newOfficer(app, admin, { station });
    await newShiftNow(app, admin, station, [officer]);
    const camera = await newCamera(app, admin, { station });
    // Read once so the per-process camera cache holds it as in stock.
    expect((await app.http().get(`/api/v1/cameras/${camera}`).set(admin)).body.status).toBe('in_stock');
    // The Fleet screen resyncs when opened: the new camera is a full row, in stock.
    const resync = await sock.emitWithAck('resync');
    if (!resync.ok) throw new Error(resync.error);
    fleet = fromSnapshot(resync.data);
    expect(row(camera)).toMatchObject({ status: 'in_stock', holder: null });

    const watched = await sock.emitWithAck('readiness:watch', station);
    expect(watched).toMatchObject({
      ok: true,
      data: { onDuty: 1, working: 0, officers: [{ officer, rag: 'red', reasons: ['no camera issued'] }] },
    });

    const board = next(sock, 'readiness:board', 5000, (b) => b.officers[0]?.camera === camera).then((b) => ({
      b,
      at: Date.now(),
    }));
    const issued = diffShowing(camera, 'issued');
    await app.http().post('/api/v1/checkouts').set(admin).send({ camera, officer, mode: 'pool' }).expect(201);
    const checkedOutAt = Date.now();
    const pushed = await board;
    expect(pushed.at - checkedOutAt).toBeLessThan(1000);
    expect(pushed.b.officers).toEqual([
      expect.objectContaining({
        officer,
        camera,
        rag: 'amber',
        reasons: [`camera ${camera} has not reported yet`],
      }),
    ]);
    await issued;
    expect(row(camera)).toMatchObject({ station, model: 'VB400', status: 'issued', holder: officer });
    // The register read through the cache shows it too.
    expect((await app.http().get(`/api/v1/cameras/${camera}`).set(admin)).body).toMatchObject({
      status: 'issued',
      holder: officer,
    });

    const alert = next(sock, 'readiness:alert', 5000, (a) => a.officer === officer);
    const returned = diffShowing(camera, 'faulty');
    await app
      .http()
      .post('/api/v1/checkins')
      .set(admin)
      .send({ camera, condition: 'damaged', notes: 'cracked lens' })
      .expect(200);
    expect(await alert).toMatchObject({ station, from: 'amber', to: 'red', reasons: ['no camera issued'] });
    await returned;
    expect(row(camera)).toMatchObject({ status: 'faulty', holder: null });
  });

  it('shows a fault report, repair and return to stock on the fleet row as they happen', async () => {
    const camera = await newCamera(app, admin, { station });
    const step = async (path: string, body: Record<string, unknown>, status: string, code = 200) => {
      const seen = diffShowing(camera, status);
      await app.http().post(`/api/v1/cameras/${camera}/${path}`).set(admin).send(body).expect(code);
      await seen;
      expect(row(camera)).toMatchObject({ status, holder: null });
    };
    await step('faults', { condition: 'faulty', notes: 'will not power on' }, 'faulty', 201);
    await step('repair', {}, 'in_repair');
    await step('repaired', {}, 'in_stock');
    await step('lost', { reason: 'stolen', details: 'taken from the van' }, 'lost');
  });

  it("brings a camera received from another station into that station's fleet overview, whole", async () => {
    const from = await newStation(app, admin);
    const camera = await newCamera(app, admin, { station: from });
    expect(row(camera)).toBeUndefined(); // another station's: not in this inspector's view
    const sent = await app
      .http()
      .post('/api/v1/transfers')
      .set(admin)
      .send({ cameras: [camera], to: station })
      .expect(201);
    const arrived = next(sock, 'devices:diff', 5000, (d) => d.changes.some((c) => c.id === camera));
    await app.http().post(`/api/v1/transfers/${sent.body.id}/receive`).set(admin).expect(200);
    await arrived;
    expect(row(camera)).toMatchObject({ station, model: 'VB400', status: 'in_stock', holder: null });
  });

  it('sends a correction to the register to the fleet row as it is made', async () => {
    const camera = await newCamera(app, admin, { station });
    await next(sock, 'devices:diff', 5000, (d) => d.changes.some((c) => c.id === camera));
    expect(row(camera)).toMatchObject({ station, model: 'VB400', status: 'in_stock' });
    const corrected = next(sock, 'devices:diff', 5000, (d) =>
      d.changes.some((c) => c.id === camera && c.model === 'VB300'),
    );
    await app.http().patch(`/api/v1/cameras/${camera}`).set(admin).send({ model: 'VB300' }).expect(200);
    await corrected;
    expect(row(camera)).toMatchObject({ model: 'VB300', status: 'in_stock' });
  });

  it('takes in a check-out made through another API process with its next read of the register', async () => {
    const other = await startApp({ MONGODB_DB: app.dbName });
    try {
      const otherAdmin = await other.as('admin');
      const officer = await newOfficer(other, otherAdmin, { station });
      const camera = await newCamera(other, otherAdmin, { station });
      await next(sock, 'devices:diff', 5000, (d) => d.changes.some((c) => c.id === camera));
      expect(row(camera)).toMatchObject({ status: 'in_stock' });
      await other
        .http()
        .post('/api/v1/checkouts')
        .set(otherAdmin)
        .send({ camera, officer, mode: 'pool' })
        .expect(201);
      await diffShowing(camera, 'issued');
      expect(row(camera)).toMatchObject({ station, status: 'issued', holder: officer });
    } finally {
      await other.close();
    }
  });
});
