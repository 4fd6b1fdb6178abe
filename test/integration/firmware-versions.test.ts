// Approved and blocked firmware versions as data (issue 16, part 2), replacing BLOCKED_FIRMWARE: IT
// blocks a version and every device on it is unfit on every screen and in the API alike (health
// `fault` with the reason, readiness red in the same words), at once and without a new reading;
// withdrawn, it is fit again. Every change is audited and published.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import type { MqttClient } from 'mqtt';
import type { DomainEvent } from '../../src/events/index.js';
import type { DevicesDiff, ReadinessBoard } from '../../src/realtime/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newDock, newOfficer, newShiftNow, newStation } from '../helpers/factories.js';
import { connect as liveConnect, next, sessionFor, type LiveClient } from '../helpers/live.js';
import { cameraTelemetry, connect, credentialsFor, eventually } from '../helpers/mqtt.js';

const BLOCKED = 'firmware 1.9.0-bad is blocked';

describe('the firmware versions register', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let it_: Record<string, string>;
  let sock: LiveClient;
  const devices: MqttClient[] = [];
  const changes: Array<DomainEvent<'firmware.version-status-changed'>['data']> = [];

  beforeAll(async () => {
    app = await startApp({ READINESS_REFRESH_S: '1', READ_CACHE_SECONDS: '1' });
    app.platform.events.on('firmware.version-status-changed', (e) => void changes.push(e.data));
    admin = await app.as('admin');
    it_ = await app.as('it');
    sock = liveConnect(app, (await sessionFor(app, 'admin')).cookie);
    await next(sock, 'snapshot', 10_000);
  }, 60_000);
  afterAll(async () => {
    sock.close();
    await Promise.all(devices.map((d) => d.endAsync()));
    await app.close();
  });

  const versionUrl = (kind: string, model: string, version: string) =>
    `/api/v1/firmware/versions/${kind}/${encodeURIComponent(model)}/${version}`;
  const put = (kind: string, model: string, version: string, body: object, who = it_) =>
    app
      .http()
      .put(versionUrl(kind, model, version))
      .set(who)
      .send(body);
  const liveOf = async (serial: string) =>
    (await app.http().get(`/api/v1/cameras/${serial}`).set(admin).expect(200)).body.live as {
      health: string;
      reasons: string[];
    };
  const diffShowing = (id: string, health: string) =>
    next(sock, 'devices:diff', 5_000, (d: DevicesDiff) =>
      d.changes.some((c) => c.id === id && c.health === health),
    );
  const auditOf = async (action: string) =>
    (await app.platform.services.audit.list({ action }, 50, 0)).items as Array<{
      summary: string;
      target: { kind: string; id: string };
      actor: { id: string };
    }>;

  /** A camera issued to an officer on shift now, reporting that firmware. */
  async function cameraOnDuty(firmware: string) {
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    await newShiftNow(app, admin, station, [officer]);
    const serial = await newCamera(app, admin, { station });
    await app
      .http()
      .post('/api/v1/checkouts')
      .set(admin)
      .send({ camera: serial, officer, mode: 'pool' })
      .expect(201);
    const device = await connect(
      app.platform.mqttUrl,
      await credentialsFor(app, admin, 'camera', serial, { registered: true }),
    );
    devices.push(device);
    await device.publishAsync(
      `bwv/v1/cameras/${serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ firmware, battery: 95, assignedTo: officer })),
    );
    await eventually(async () => (await liveOf(serial))?.health === 'ok');
    return { station, officer, serial };
  }

  const boardRow = async (station: string, officer: string) => {
    const res = await app.http().get(`/api/v1/stations/${station}/readiness`).set(admin).expect(200);
    return (res.body as ReadinessBoard).officers.find((o) => o.officer === officer)!;
  };

  it('makes a camera on a blocked version a fault everywhere at once, and fit again when withdrawn', async () => {
    const { station, officer, serial } = await cameraOnDuty('1.9.0-bad');
    expect(await boardRow(station, officer)).toMatchObject({ rag: 'green', reasons: [] });

    const shownFault = diffShowing(serial, 'fault');
    const res = await put('camera', 'VB400', '1.9.0-bad', {
      status: 'blocked',
      reason: 'reboots below -10 °C',
    }).expect(200);
    expect(res.body).toMatchObject({
      kind: 'camera',
      model: 'VB400',
      version: '1.9.0-bad',
      status: 'blocked',
      reason: 'reboots below -10 °C',
      by: expect.stringMatching(/^it-/),
    });
    // The API, at once; the live dashboards within the live window, without a new reading.
    expect(await liveOf(serial)).toMatchObject({ health: 'fault', reasons: [BLOCKED] });
    const state = await app.http().get(`/api/v1/cameras/${serial}/state`).set(admin).expect(200);
    expect(state.body).toMatchObject({ health: 'fault', reasons: [BLOCKED], firmware: '1.9.0-bad' });
    const diff = await shownFault;
    expect(diff.changes.find((c) => c.id === serial)).toMatchObject({ health: 'fault', reasons: [BLOCKED] });
    const resync = await sock.emitWithAck('resync');
    if (!resync.ok) throw new Error(resync.error);
    expect(resync.data.devices.find((d) => d.id === serial)).toMatchObject({
      health: 'fault',
      reasons: [BLOCKED],
    });
    expect(
      await eventually(
        async () => (await boardRow(station, officer)).rag === 'red' && boardRow(station, officer),
      ),
    ).toMatchObject({
      reasons: [BLOCKED],
    });
    expect(changes).toContainEqual({
      kind: 'camera',
      model: 'VB400',
      version: '1.9.0-bad',
      status: 'blocked',
    });
    expect((await auditOf('firmware.version.block'))[0]).toMatchObject({
      target: { kind: 'firmware-version', id: 'camera|VB400|1.9.0-bad' },
      summary: expect.stringContaining('reboots below -10 °C'),
    });

    // Blocking it again for the same reason changes nothing (no second entry, no event).
    await put('camera', 'VB400', '1.9.0-bad', { status: 'blocked', reason: 'reboots below -10 °C' }).expect(
      200,
    );
    expect(await auditOf('firmware.version.block')).toHaveLength(1);

    const shownOk = diffShowing(serial, 'ok');
    await app
      .http()
      .delete(versionUrl('camera', 'VB400', '1.9.0-bad'))
      .set(it_)
      .expect(204);
    expect(await liveOf(serial)).toMatchObject({ health: 'ok', reasons: [] });
    await shownOk;
    expect(await eventually(async () => (await boardRow(station, officer)).rag === 'green')).toBe(true);
    expect(changes.at(-1)).toEqual({ kind: 'camera', model: 'VB400', version: '1.9.0-bad', status: 'none' });
    expect((await auditOf('firmware.version.withdraw'))[0]).toMatchObject({
      target: { id: 'camera|VB400|1.9.0-bad' },
      summary: expect.stringContaining('block withdrawn'),
    });
    expect(changes.filter((c) => c.version === '1.9.0-bad')).toHaveLength(2);
  });

  it('applies a block for every model (`*`) to docks of any model; an approval or another model’s block is no fault', async () => {
    const station = await newStation(app, admin);
    const dock = await newDock(app, admin, { station });
    const dockClient = await connect(
      app.platform.mqttUrl,
      await credentialsFor(app, admin, 'dock', dock, { registered: true }),
    );
    devices.push(dockClient);
    await dockClient.publishAsync(
      `bwv/v1/docks/${dock}/telemetry`,
      JSON.stringify({
        ts: new Date().toISOString(),
        firmware: '1.3.0',
        slots: [],
        network: { online: true, uplinkMbps: 100 },
      }),
    );
    const dockState = async () =>
      (await app.http().get(`/api/v1/docks/${dock}/state`).set(admin).expect(200)).body as {
        health: string;
        reasons: string[];
      };
    await eventually(async () => (await dockState()).health === 'ok');
    await put('dock', 'OTHER-DOCK', '1.3.0', { status: 'blocked', reason: 'not this model' }).expect(200);
    expect((await dockState()).health).toBe('ok');
    await put('dock', '*', '1.3.0', { status: 'blocked', reason: 'bricks the charger' }).expect(200);
    expect(await dockState()).toMatchObject({ health: 'fault', reasons: ['firmware 1.3.0 is blocked'] });

    const { serial } = await cameraOnDuty('2.4.1');
    await put('camera', 'VB400', '2.4.1', { status: 'approved' }).expect(200);
    expect((await liveOf(serial)).health).toBe('ok');

    const list = await app.http().get('/api/v1/firmware/versions?kind=dock').set(it_).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        model: '*',
        version: '1.3.0',
        status: 'blocked',
        reason: 'bricks the charger',
      }),
      expect.objectContaining({ model: 'OTHER-DOCK', version: '1.3.0', status: 'blocked' }),
    ]);
    expect((await auditOf('firmware.version.approve'))[0]).toMatchObject({
      target: { id: 'camera|VB400|2.4.1' },
    });
  });

  it('needs a reason to block, a semver version, and an entry to withdraw', async () => {
    const noReason = await put('camera', 'VB400', '5.0.0', { status: 'blocked' });
    expect({ status: noReason.status, type: noReason.body.type }).toEqual({
      status: 400,
      type: '/problems/validation-failed',
    });
    expect(noReason.body.errors).toContainEqual(expect.objectContaining({ path: 'body.reason' }));
    expect((await put('camera', 'VB400', 'v5', { status: 'approved' })).status).toBe(400);
    const gone = await app
      .http()
      .delete(versionUrl('camera', 'VB400', '5.0.0'))
      .set(it_);
    expect({ status: gone.status, type: gone.body.type }).toEqual({
      status: 404,
      type: '/problems/firmware-version-not-found',
    });
  });

  it('lets IT and admins change it, auditors read it, and nobody else in', async () => {
    for (const role of ['stores', 'reviewer', 'inspector', 'auditor'] as const) {
      const who = await app.as(role);
      const res = await put('camera', 'VB400', '6.0.0', { status: 'approved' }, who);
      expect({ role, status: res.status }).toEqual({ role, status: 403 });
      const read = await app.http().get('/api/v1/firmware/versions').set(who);
      expect({ role, status: read.status }).toEqual({ role, status: role === 'auditor' ? 200 : 403 });
    }
    await put('camera', 'VB400', '6.0.0', { status: 'approved' }, admin).expect(200);
  });

  it('takes in a block another process wrote, its event lost, within READ_CACHE_SECONDS', async () => {
    const { serial } = await cameraOnDuty('1.8.0');
    const shownFault = diffShowing(serial, 'fault');
    const client = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
    try {
      await client
        .db(app.dbName)
        .collection<{ _id: string; [field: string]: unknown }>('firmware_versions')
        .insertOne({
          _id: 'camera|*|1.8.0',
          kind: 'camera',
          model: '*',
          version: '1.8.0',
          status: 'blocked',
          reason: 'written elsewhere',
          by: 'it-elsewhere',
          at: new Date(),
        });
    } finally {
      await client.close();
    }
    await shownFault;
    expect(await liveOf(serial)).toMatchObject({ health: 'fault', reasons: ['firmware 1.8.0 is blocked'] });
  });

  it('takes no firmware while FIRMWARE_TRUSTED_KEYS is not set', async () => {
    const res = await app
      .http()
      .post('/api/v1/firmware/artifacts?kind=camera&model=VB400&version=1.0.0&signature=AAAA')
      .set(it_)
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from('firmware'));
    expect({ status: res.status, type: res.body.type }).toEqual({
      status: 422,
      type: '/problems/firmware-signature-invalid',
    });
    expect(res.body.detail).toMatch(/FIRMWARE_TRUSTED_KEYS is not set/);
  });
});
