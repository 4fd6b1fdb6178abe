// One truth for health (issue 19): the server decides a camera's health and its reasons once, and
// the API, the live feed (fleet list and camera page) and readiness all carry that one result. The
// issue found the API saying "warning: camera reports assignment to O00007, register says nobody"
// while every screen said "ok"/"Working", and a camera reported stolen reporting in unnoticed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import type { LiveDevice, ReadinessBoard } from '../../src/realtime/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newDock, newOfficer, newShiftNow, newStation } from '../helpers/factories.js';
import { connect, next, sessionFor, type LiveClient } from '../helpers/live.js';
import { cameraTelemetry, connect as connectMqtt, credentialsFor, eventually } from '../helpers/mqtt.js';

interface Live {
  health: string;
  reasons: string[];
}

describe('one truth for health', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  const sockets: LiveClient[] = [];
  const devices: MqttClient[] = [];
  beforeAll(async () => {
    app = await startApp({ READINESS_REFRESH_S: '1' });
    admin = await app.as('admin');
    await app
      .http()
      .put('/api/v1/firmware/versions/camera/VB400/1.9.0-bad')
      .set(admin)
      .send({ status: 'blocked', reason: 'reboots in the cold' })
      .expect(200);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(devices.map((d) => d.endAsync().catch(() => undefined)));
    await app.close();
  });

  const issue = (camera: string, officer: string) =>
    app.http().post('/api/v1/checkouts').set(admin).send({ camera, officer, mode: 'pool' }).expect(201);
  const reportStolen = (camera: string) =>
    app
      .http()
      .post(`/api/v1/cameras/${camera}/lost`)
      .set(admin)
      .send({ reason: 'stolen', details: 'taken from a patrol car' })
      .expect(200);
  const device = async (serial: string) => {
    const d = await connectMqtt(
      app.platform.mqttUrl,
      await credentialsFor(app, admin, 'camera', serial, { registered: true }),
    );
    devices.push(d);
    return d;
  };
  const report = (d: MqttClient, serial: string, fields: Record<string, unknown>) =>
    d.publishAsync(`bwv/v1/cameras/${serial}/telemetry`, JSON.stringify(cameraTelemetry(fields)));
  const apiLive = async (serial: string) =>
    (await app.http().get(`/api/v1/cameras/${serial}`).set(admin).expect(200)).body.live as Live | undefined;
  const liveSocket = async (role: 'admin' | 'inspector', station: string | null = null) => {
    const sock = connect(app, (await sessionFor(app, role, station)).cookie);
    sockets.push(sock);
    await new Promise((r) => sock.once('connect', () => r(undefined)));
    return sock;
  };
  const feedRows = async (sock: LiveClient) => {
    const r = await sock.emitWithAck('resync');
    if (!r.ok) throw new Error(r.error);
    return new Map(r.data.devices.map((d: LiveDevice) => [d.id, d]));
  };
  const board = async (station: string) =>
    (await app.http().get(`/api/v1/stations/${station}/readiness`).set(admin).expect(200))
      .body as ReadinessBoard;

  it('shows the API, the live feed and readiness the same health and reasons, camera by camera', async () => {
    const station = await newStation(app, admin);
    const dock = await newDock(app, admin, { station });
    const officers = {
      mismatch: await newOfficer(app, admin, { station }),
      fine: await newOfficer(app, admin, { station }),
      low: await newOfficer(app, admin, { station }),
      blocked: await newOfficer(app, admin, { station }),
      stolen: await newOfficer(app, admin, { station }),
    };
    await newShiftNow(app, admin, station, Object.values(officers));
    const cams = {} as Record<keyof typeof officers, string>;
    for (const k of Object.keys(officers) as Array<keyof typeof officers>) {
      cams[k] = await newCamera(app, admin, { station });
      await issue(cams[k], officers[k]);
    }
    // A camera in stock that believes it is issued: the register's word and the camera's differ.
    const shelf = await newCamera(app, admin, { station });
    await reportStolen(cams.stolen);

    const reading: Record<keyof typeof officers | 'shelf', Record<string, unknown>> = {
      mismatch: { assignedTo: 'O00007' },
      fine: { assignedTo: officers.fine },
      low: { battery: 9, assignedTo: officers.low },
      blocked: { firmware: '1.9.0-bad', assignedTo: officers.blocked },
      stolen: { assignedTo: officers.stolen, dock: { id: dock, slot: 3 } },
      shelf: { assignedTo: 'O00007' },
    };
    const serials = { ...cams, shelf };
    for (const [k, fields] of Object.entries(reading)) {
      const serial = serials[k as keyof typeof serials];
      await report(await device(serial), serial, fields);
    }

    // The API first: what the issue's tester compared every screen with.
    const api = await eventually(async () => {
      const out: Record<string, Live> = {};
      for (const [k, serial] of Object.entries(serials)) {
        const live = await apiLive(serial);
        if (!live) return null;
        out[k] = { health: live.health, reasons: live.reasons };
      }
      return out;
    }, 15_000);
    expect(api).toEqual({
      mismatch: {
        health: 'warning',
        reasons: [`camera reports assignment to O00007, register says ${officers.mismatch}`],
      },
      fine: { health: 'ok', reasons: [] },
      low: { health: 'warning', reasons: ['battery 9% and not charging'] },
      blocked: { health: 'fault', reasons: ['firmware 1.9.0-bad is blocked'] },
      stolen: { health: 'fault', reasons: [`stolen camera online at dock ${dock} slot 3`] },
      shelf: { health: 'warning', reasons: ['camera reports assignment to O00007, register says nobody'] },
    });

    // The device-state route and the live feed (fleet list, camera page) carry the same.
    for (const [k, serial] of Object.entries(serials)) {
      const state = await app.http().get(`/api/v1/cameras/${serial}/state`).set(admin).expect(200);
      expect({ k, health: state.body.health, reasons: state.body.reasons }).toEqual({ k, ...api[k] });
    }
    const forceWide = await liveSocket('admin');
    const inspector = await liveSocket('inspector', station);
    for (const sock of [forceWide, inspector]) {
      const rows = await eventually(async () => {
        const r = await feedRows(sock);
        return Object.values(serials).every((s) => r.get(s)?.health !== undefined) && r;
      }, 10_000);
      for (const [k, serial] of Object.entries(serials)) {
        const row = rows.get(serial)!;
        expect({ k, health: row.health, reasons: row.reasons }).toEqual({ k, ...api[k] });
      }
    }

    // Readiness: the camera's health as the API says it, and its reasons among the row's.
    const b = await eventually(async () => {
      const r = await board(station);
      return r.officers.every((o) => o.cameraHealth !== 'unknown') && r;
    }, 10_000);
    const watched = await inspector.emitWithAck('readiness:watch', station);
    if (!watched.ok) throw new Error(watched.error);
    for (const board of [b, watched.data]) {
      for (const [k, officer] of Object.entries(officers)) {
        const row = board.officers.find((o) => o.officer === officer)!;
        expect({ k, health: row.cameraHealth }).toEqual({ k, health: api[k]!.health });
        for (const reason of api[k]!.reasons) expect(row.reasons).toContain(reason);
        expect({ k, green: row.rag === 'green' }).toEqual({ k, green: api[k]!.health === 'ok' });
      }
    }
    const row = (k: keyof typeof officers) => b.officers.find((o) => o.officer === officers[k])!;
    // The officer whose camera was stolen keeps that reason (it was "no camera issued").
    expect(row('stolen')).toMatchObject({
      rag: 'red',
      camera: cams.stolen,
      reasons: [`camera ${cams.stolen} reported stolen`, `stolen camera online at dock ${dock} slot 3`],
    });
    expect(row('mismatch').rag).toBe('amber');
    expect(row('blocked').rag).toBe('red');
  }, 60_000);

  it('raises an alert, audited, when a camera reported stolen reports in, and tells the inspector where', async () => {
    const station = await newStation(app, admin);
    const dock = await newDock(app, admin, { station });
    const officer = await newOfficer(app, admin, { station });
    await newShiftNow(app, admin, station, [officer]);
    const serial = await newCamera(app, admin, { station });
    await issue(serial, officer);
    const cam = await device(serial);
    await report(cam, serial, { assignedTo: officer, battery: 90 });

    const inspector = await liveSocket('inspector', station);
    await eventually(async () => {
      const r = await inspector.emitWithAck('readiness:watch', station);
      return r.ok && r.data.officers[0]?.rag === 'green';
    }, 10_000);

    // Reported stolen while it is online: the officer turns red with the reason, and the alert
    // is raised at once (the camera reports nothing new).
    const reddened = next(inspector, 'readiness:alert', 10_000, (a) => a.officer === officer);
    await reportStolen(serial);
    expect(await reddened).toMatchObject({
      station,
      officer,
      from: 'green',
      to: 'red',
      reasons: [`camera ${serial} reported stolen`, 'stolen camera online not in a dock'],
    });
    const alerts = async () =>
      (await app.http().get('/api/v1/device-alerts').set(admin).expect(200)).body.items as Array<{
        kind: string;
        id: string;
        type: string;
        detail: string;
      }>;
    expect((await eventually(async () => (await alerts()).find((a) => a.id === serial), 5_000)).detail).toBe(
      'stolen camera online not in a dock',
    );

    // It turns up in a dock: the inspector is told where, although the officer was red already.
    const where = next(inspector, 'readiness:alert', 10_000, (a) =>
      a.reasons.includes(`stolen camera online at dock ${dock} slot 5`),
    );
    await cam.publishAsync(
      `bwv/v1/cameras/${serial}/events`,
      JSON.stringify({ type: 'docked', dock, slot: 5, ts: new Date().toISOString() }),
    );
    expect(await where).toMatchObject({ officer, from: 'red', to: 'red' });
    expect((await apiLive(serial))!).toMatchObject({
      health: 'fault',
      reasons: [`stolen camera online at dock ${dock} slot 5`],
    });

    // Audited as the device's alert, with what it said.
    const audit = await eventually(async () => {
      const res = await app
        .http()
        .get('/api/v1/audit')
        .query({ action: 'device.alert.reported-lost', targetId: serial })
        .set(admin)
        .expect(200);
      return (res.body.items as Array<{ summary: string }>)[0];
    }, 5_000);
    expect(audit.summary).toBe(`camera ${serial}: stolen camera online not in a dock`);
    expect((await alerts()).filter((a) => a.id === serial && a.type === 'reported-lost')).toHaveLength(1);
  }, 60_000);
});
