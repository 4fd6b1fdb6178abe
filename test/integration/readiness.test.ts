import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReadinessBoard } from '../../src/realtime/index.js';
import { randomBytes } from 'node:crypto';
import { startApp, type TestApp } from '../helpers/app.js';
import { newOfficer, newShiftNow, newStation } from '../helpers/factories.js';
import { connect, next, sessionFor, type LiveClient } from '../helpers/live.js';
import { cameraTelemetry, connect as connectMqtt, credentialsFor, eventually } from '../helpers/mqtt.js';

describe('shift readiness', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  const sockets: LiveClient[] = [];
  beforeAll(async () => {
    app = await startApp({ READINESS_REFRESH_S: '1' });
    admin = await app.as('admin');
    // Blocked versions are data in the versions register (they were BLOCKED_FIRMWARE).
    await app
      .http()
      .put('/api/v1/firmware/versions/camera/VB400/1.9.0-bad')
      .set(admin)
      .send({ status: 'blocked', reason: 'reboots in the cold' })
      .expect(200);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await app.close();
  });

  const newCamera = async (station: string) => {
    const serial = `C-${randomBytes(3).toString('hex').toUpperCase()}`;
    await app
      .http()
      .post('/api/v1/cameras')
      .set(admin)
      .send({ serial, model: 'VB400', assetTag: `T-${serial}`, station })
      .expect(201);
    return serial;
  };
  const issue = (camera: string, officer: string) =>
    app.http().post('/api/v1/checkouts').set(admin).send({ camera, officer, mode: 'pool' }).expect(201);
  const onShift = (station: string, officers: string[]) => newShiftNow(app, admin, station, officers);

  it('rates every officer on duty with the reason in words, and counts the working cameras', async () => {
    const station = await newStation(app, admin);
    const [none, full, blocked, fine, offDuty] = await Promise.all(
      Array.from({ length: 5 }, () => newOfficer(app, admin, { station })),
    );
    await onShift(station, [none!, full!, blocked!, fine!]);
    const cams = {
      full: await newCamera(station),
      blocked: await newCamera(station),
      fine: await newCamera(station),
    };
    await issue(cams.full, full!);
    await issue(cams.blocked, blocked!);
    await issue(cams.fine, fine!);
    const devices = await Promise.all(
      Object.values(cams).map(async (c) =>
        connectMqtt(
          app.platform.mqttUrl,
          await credentialsFor(app, admin, 'camera', c, { registered: true }),
        ),
      ),
    );
    try {
      await devices[0]!.publishAsync(
        `bwv/v1/cameras/${cams.full}/telemetry`,
        JSON.stringify(cameraTelemetry({ storageUsedMb: 58_000, assignedTo: full })),
      );
      await devices[1]!.publishAsync(
        `bwv/v1/cameras/${cams.blocked}/telemetry`,
        JSON.stringify(cameraTelemetry({ firmware: '1.9.0-bad', assignedTo: blocked })),
      );
      await devices[2]!.publishAsync(
        `bwv/v1/cameras/${cams.fine}/telemetry`,
        JSON.stringify(cameraTelemetry({ battery: 95, assignedTo: fine })),
      );
      const inspector = await app.as('inspector');
      const board = await eventually(async () => {
        const res = await app.http().get(`/api/v1/stations/${station}/readiness`).set(inspector).expect(200);
        const body = res.body as ReadinessBoard;
        return body.officers.every((o) => !o.reasons.some((r) => r.includes('not reported'))) && body;
      });
      const by = (n: string) => board.officers.find((o) => o.officer === n);
      expect(board).toMatchObject({ station, onDuty: 4, working: 1, shift: { team: 'A' } });
      expect(by(none!)).toMatchObject({ rag: 'red', reasons: ['no camera issued'], camera: null });
      expect(by(full!)).toMatchObject({
        rag: 'amber',
        // The camera's own health reason, in its words (the API and the fleet list show the same).
        reasons: ['storage 91% full'],
        cameraHealth: 'warning',
        camera: cams.full,
      });
      expect(by(blocked!)).toMatchObject({
        rag: 'red',
        reasons: ['firmware 1.9.0-bad is blocked'],
        cameraHealth: 'fault',
      });
      expect(by(fine!)).toMatchObject({ rag: 'green', reasons: [], battery: 95, cameraHealth: 'ok' });
      expect(by(offDuty!)).toBeUndefined();
      // Worst first.
      expect(board.officers.map((o) => o.rag)).toEqual(['red', 'red', 'amber', 'green']);
    } finally {
      await Promise.all(devices.map((d) => d.endAsync()));
    }
  });

  it('refuses the board to stores staff and to inspectors of another station', async () => {
    const [a, b] = [await newStation(app, admin), await newStation(app, admin)];
    await app
      .http()
      .get(`/api/v1/stations/${a}/readiness`)
      .set(await app.as('stores'))
      .expect(403);
    const other = await sessionFor(app, 'inspector', b);
    const res = await app.http().get(`/api/v1/stations/${a}/readiness`).set(other.headers).expect(403);
    expect(res.body.type).toBe('/problems/other-station');
  });

  it('pushes the board and an alert to watching inspectors when a camera goes offline', async () => {
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    await onShift(station, [officer]);
    const camera = await newCamera(station);
    await issue(camera, officer);
    const device = await connectMqtt(
      app.platform.mqttUrl,
      await credentialsFor(app, admin, 'camera', camera, { registered: true }),
    );
    await device.publishAsync(
      `bwv/v1/cameras/${camera}/telemetry`,
      JSON.stringify(cameraTelemetry({ assignedTo: officer })),
    );
    const s = await sessionFor(app, 'inspector', station);
    const sock = connect(app, s.cookie);
    sockets.push(sock);
    await new Promise((r) => sock.once('connect', () => r(undefined)));
    const first = await eventually(async () => {
      const reply = await sock.emitWithAck('readiness:watch', station);
      return reply.ok && reply.data.officers[0]?.rag === 'green' && reply.data;
    });
    expect(first.working).toBe(1);
    const alert = next(sock, 'readiness:alert', 10_000);
    const board = next(sock, 'readiness:board', 10_000, (b) => b.officers[0]?.rag === 'amber');
    await device.endAsync(); // clean disconnect: the camera is offline
    expect(await alert).toMatchObject({
      station,
      officer,
      from: 'green',
      to: 'amber',
      reasons: ['offline'],
    });
    expect((await board).working).toBe(0);
  });
});
