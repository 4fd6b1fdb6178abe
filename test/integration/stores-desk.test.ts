// The stores desk that protects the clerk (issue 19): check-out gates a force configures (least
// battery, firmware), refused with the reason and the nearest fit camera to take instead; the
// camera asked about as soon as it is scanned (GET /checkouts/check), a camera in transit refused
// there; transit stock counted at neither station until received; the officer's name on success;
// a repeated check-out (the warrant card scanned twice) answered with the issue, not a refusal.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';
import { cameraTelemetry, connect, credentialsFor, eventually } from '../helpers/mqtt.js';

type Headers = Record<string, string>;

describe('the stores desk', () => {
  let app: TestApp;
  let admin: Headers;
  let stores: Headers;
  let auditor: Headers;
  let it_: Headers;
  const devices: MqttClient[] = [];

  beforeAll(async () => {
    // The defaults: at least 30% battery, firmware not blocked.
    app = await startApp();
    [admin, stores, auditor, it_] = await Promise.all([
      app.as('admin'),
      app.as('stores'),
      app.as('auditor'),
      app.as('it'),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.endAsync()));
    await app.close();
  });

  const checkOut = (camera: string, officer: string, mode = 'pool', who = stores) =>
    app.http().post('/api/v1/checkouts').set(who).send({ camera, officer, mode });
  const check = (camera: string, who = stores) =>
    app
      .http()
      .get(`/api/v1/checkouts/check?camera=${encodeURIComponent(camera)}`)
      .set(who);
  const stock = async (station: string) =>
    (await app.http().get(`/api/v1/stations/${station}/stock`).set(auditor).expect(200)).body as {
      byStatus: Record<string, number>;
      total: number;
      inTransit: number;
      minimum: number | null;
      alert: { inStock: number } | null;
    };

  /** The camera reports this reading (its own MQTT client), and the platform has taken it in. */
  async function reports(serial: string, fields: Record<string, unknown>) {
    const device = await connect(
      app.platform.mqttUrl,
      await credentialsFor(app, admin, 'camera', serial, { registered: true }),
    );
    devices.push(device);
    await device.publishAsync(`bwv/v1/cameras/${serial}/telemetry`, JSON.stringify(cameraTelemetry(fields)));
    await eventually(async () => {
      const live = (await app.http().get(`/api/v1/cameras/${serial}`).set(admin).expect(200)).body.live as {
        battery?: number;
      } | null;
      return live?.battery === fields.battery;
    });
  }

  it('refuses a camera below the least battery, naming the fittest camera of the station instead', async () => {
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    const [flat, half, full, silent] = await Promise.all(
      [0, 1, 2, 3].map(() => newCamera(app, admin, { station })),
    );
    await reports(flat!, { battery: 4 });
    await reports(half!, { battery: 61 });
    await reports(full!, { battery: 96 });

    const refused = await checkOut(flat!, officer).expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: '/problems/camera-battery-low',
      title: 'Camera battery is below the check-out minimum',
      detail: `Camera '${flat}' has 4% battery; at least 30% is needed to issue it`,
      instead: { serial: full, battery: 96 },
    });
    // Nothing was issued: the register and the officer are as they were.
    expect((await app.http().get(`/api/v1/cameras/${flat}`).set(stores)).body).toMatchObject({
      status: 'in_stock',
      holder: null,
    });
    // The desk hears the same when the camera is scanned, before the card.
    expect((await check(flat!).expect(409)).body).toMatchObject({
      type: '/problems/camera-battery-low',
      instead: { serial: full, battery: 96 },
    });
    // A camera that never reported is not refused for a battery nobody knows.
    expect((await check(silent!).expect(200)).body).toMatchObject({ serial: silent, status: 'in_stock' });

    // The best camera out, the next best is suggested; a retry with an Idempotency-Key replays it all.
    await checkOut(full!, officer).expect(201);
    const other = await newOfficer(app, admin, { station });
    const key = { 'Idempotency-Key': `desk-${Date.now()}` };
    const first = await checkOut(flat!, other).set(key).expect(409);
    expect(first.body.instead).toEqual({ serial: half, battery: 61 });
    const replay = await checkOut(flat!, other).set(key).expect(409);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.instead).toEqual({ serial: half, battery: 61 });
  });

  it('refuses a camera on blocked firmware, and says when no camera at the station is fit', async () => {
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    const [bad, low] = await Promise.all([0, 1].map(() => newCamera(app, admin, { station })));
    await reports(bad!, { battery: 90, firmware: '3.0.0-bad' });
    await reports(low!, { battery: 10 });
    // Fit until IT blocks its version.
    expect((await check(bad!).expect(200)).body.serial).toBe(bad);
    await app
      .http()
      .put('/api/v1/firmware/versions/camera/*/3.0.0-bad')
      .set(it_)
      .send({ status: 'blocked', reason: 'drops audio' })
      .expect(200);
    const refused = await checkOut(bad!, officer).expect(409);
    expect(refused.body).toMatchObject({
      type: '/problems/camera-firmware-blocked',
      detail: `Camera '${bad}': firmware 3.0.0-bad is blocked`,
      instead: null,
    });
    expect((await check(bad!).expect(409)).body.type).toBe('/problems/camera-firmware-blocked');
    // The refusal is audited nowhere as an issue: the camera's trail has no check-out.
    const trail = await app.http().get(`/api/v1/audit?targetKind=camera&targetId=${bad}`).set(auditor);
    expect(trail.body.items.map((e: { action: string }) => e.action)).not.toContain('camera.check-out');
  });

  it('refuses a camera in transit as soon as it is scanned, and counts it at neither station until received', async () => {
    const from = await newStation(app, admin);
    const to = await newStation(app, admin);
    const [moving, staying] = await Promise.all([0, 1].map(() => newCamera(app, admin, { station: from })));
    const officer = await newOfficer(app, admin, { station: from });
    await app.http().patch(`/api/v1/stations/${from}/stock`).set(stores).send({ minimum: 2 }).expect(200);
    expect(await stock(from)).toMatchObject({
      byStatus: { in_stock: 2 },
      total: 2,
      inTransit: 0,
      alert: null,
    });

    const sent = await app
      .http()
      .post('/api/v1/transfers')
      .set(stores)
      .send({ cameras: [moving], to })
      .expect(201);
    const scanned = await check(moving!).expect(409);
    expect(scanned.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(scanned.body).toMatchObject({
      type: '/problems/camera-in-transit',
      title: 'Camera is in transit',
      instead: { serial: staying, battery: null },
    });
    expect(scanned.body.detail).toContain('being transferred');
    expect((await checkOut(moving!, officer).expect(409)).body.type).toBe('/problems/camera-in-transit');

    // On no shelf: not the sender's stock (its minimum alert is raised), not yet the receiver's.
    expect(await stock(from)).toMatchObject({ byStatus: { in_stock: 1 }, total: 1, inTransit: 1 });
    expect(await stock(to)).toMatchObject({ byStatus: { in_stock: 0 }, total: 0, inTransit: 0 });
    expect((await eventually(async () => (await stock(from)).alert, 3_000)).inStock).toBe(1);

    await app.http().post(`/api/v1/transfers/${sent.body.id}/receive`).set(stores).expect(200);
    expect(await stock(to)).toMatchObject({ byStatus: { in_stock: 1 }, total: 1, inTransit: 0 });
    expect(await stock(from)).toMatchObject({ byStatus: { in_stock: 1 }, total: 1, inTransit: 0 });
  });

  it('names the officer a camera went to, and answers a repeated check-out with that same issue', async () => {
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    const camera = await newCamera(app, admin, { station });
    // The warrant card scanned twice at once: both answers are the one issue.
    const [a, b] = await Promise.all([
      checkOut(camera, officer).set('Idempotency-Key', `k1-${camera}`),
      checkOut(camera, officer).set('Idempotency-Key', `k2-${camera}`),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    for (const r of [a, b])
      expect(r.body).toMatchObject({
        camera,
        officer,
        mode: 'pool',
        issuedTo: { number: officer, name: `Officer ${officer}`, station },
      });
    // And again after it went through.
    const again = await checkOut(camera, officer).expect(201);
    expect(again.body.id).toBe(a.body.id);
    // Issued once: one history line, one audit entry.
    await eventually(async () => {
      const h = await app.http().get(`/api/v1/cameras/${camera}/history`).set(stores).expect(200);
      return h.body.items.length === 1;
    });
    const history = await app.http().get(`/api/v1/cameras/${camera}/history`).set(stores).expect(200);
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(['check-out']);
    const trail = await app.http().get(`/api/v1/audit?targetKind=camera&targetId=${camera}`).set(auditor);
    expect(trail.body.items.filter((e: { action: string }) => e.action === 'camera.check-out')).toHaveLength(
      1,
    );
    // Not the same issue (another loan mode, another officer): refused as before.
    expect((await checkOut(camera, officer, 'personal').expect(409)).body.type).toBe(
      '/problems/camera-already-issued',
    );
    const other = await newOfficer(app, admin, { station });
    expect((await checkOut(camera, other).expect(409)).body.type).toBe('/problems/camera-already-issued');
  });

  it('says a 300-character scan is too long to be a camera, not "Invalid params"', async () => {
    const res = await check('A'.repeat(300)).expect(400);
    expect(res.body.type).toBe('/problems/validation-failed');
    expect(res.body.errors).toEqual([
      { path: 'query.camera', message: 'scan too long — not a camera or warrant number' },
    ]);
    expect((await check('NO-SUCH-CAM').expect(404)).body.type).toBe('/problems/camera-not-found');
  });

  it('keeps a stores clerk to their own station’s cameras when scanning', async () => {
    const home = await newStation(app, admin);
    const away = await newStation(app, admin);
    const camera = await newCamera(app, admin, { station: away });
    const clerk = await app.as('stores', undefined, { station: home });
    expect((await check(camera, clerk).expect(403)).body.type).toBe('/problems/out-of-station-scope');
  });
});

describe('the stores desk with the force’s own gates', () => {
  let app: TestApp;
  let admin: Headers;
  const devices: MqttClient[] = [];
  beforeAll(async () => {
    app = await startApp({ CHECKOUT_MIN_BATTERY: '0', CHECKOUT_FIRMWARE: 'approved' });
    admin = await app.as('admin');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.endAsync()));
    await app.close();
  });

  it('issues a flat camera when the battery gate is off, and refuses firmware IT has not approved', async () => {
    const station = await newStation(app, admin);
    const [unreviewed, approved] = await Promise.all([0, 1].map(() => newCamera(app, admin, { station })));
    for (const [serial, firmware] of [
      [unreviewed!, '4.0.0'],
      [approved!, '4.1.0'],
    ] as const) {
      const device = await connect(
        app.platform.mqttUrl,
        await credentialsFor(app, admin, 'camera', serial, { registered: true }),
      );
      devices.push(device);
      await device.publishAsync(
        `bwv/v1/cameras/${serial}/telemetry`,
        JSON.stringify(cameraTelemetry({ battery: 2, firmware })),
      );
    }
    await app
      .http()
      .put('/api/v1/firmware/versions/camera/VB400/4.1.0')
      .set(await app.as('it'))
      .send({ status: 'approved', reason: 'field trial passed' })
      .expect(200);
    await eventually(async () =>
      (
        await Promise.all(
          [unreviewed!, approved!].map(
            async (s) => (await app.http().get(`/api/v1/cameras/${s}`).set(admin)).body.live?.battery === 2,
          ),
        )
      ).every(Boolean),
    );
    const officer = await newOfficer(app, admin, { station });
    const refused = await app
      .http()
      .post('/api/v1/checkouts')
      .set(admin)
      .send({ camera: unreviewed, officer, mode: 'pool' })
      .expect(409);
    expect(refused.body).toMatchObject({
      type: '/problems/camera-firmware-not-approved',
      detail: `Camera '${unreviewed}' runs firmware 4.0.0, which IT has not approved`,
      instead: { serial: approved, battery: 2 },
    });
    await app
      .http()
      .post('/api/v1/checkouts')
      .set(admin)
      .send({ camera: approved, officer, mode: 'pool' })
      .expect(201);
  });
});
