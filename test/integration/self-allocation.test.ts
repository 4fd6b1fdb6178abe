// Dock self-allocation over real MQTT: a badge tap pool-issues the fullest-charged healthy camera in
// the dock and the dock is told to release its slot; docking a pool camera checks it back in. Also
// the live part of GET /cameras/:serial, with its assignment-mismatch flag.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { startApp, type TestApp } from '../helpers/app.js';
import { newDock, newOfficer, newStation } from '../helpers/factories.js';
import { cameraTelemetry, connect, credentialsFor, eventually, register, uid } from '../helpers/mqtt.js';

let app: TestApp;
let it_: Record<string, string>;
let stores: Record<string, string>;

beforeAll(async () => {
  app = await startApp({ TELEMETRY_FLUSH_MS: '300' });
  it_ = await app.as('it');
  stores = await app.as('stores');
});
afterAll(() => app.close());

interface Dock {
  id: string;
  station: string;
  client: MqttClient;
  commands: Array<Record<string, unknown>>;
}

async function dockWithCameras(batteries: number[], faulty: number[] = []) {
  const id = `DOCK${uid()}`;
  const station = await register(app, 'dock', id);
  const client = await connect(
    app.platform.mqttUrl,
    await credentialsFor(app, it_, 'dock', id, { registered: true }),
  );
  const commands: Array<Record<string, unknown>> = [];
  client.on('message', (_t, p) => commands.push(JSON.parse(p.toString()) as Record<string, unknown>));
  await client.subscribeAsync(`bwv/v1/docks/${id}/commands`, { qos: 1 });
  const cameras = await Promise.all(
    batteries.map(async (battery, slot) => {
      const serial = `CAM${uid()}`;
      const cam = await connect(app.platform.mqttUrl, await credentialsFor(app, it_, 'camera', serial));
      await cam.publishAsync(
        `bwv/v1/cameras/${serial}/telemetry`,
        JSON.stringify(cameraTelemetry({ battery, charging: true, dock: { id, slot } })),
      );
      if (faulty.includes(slot)) {
        await cam.publishAsync(
          `bwv/v1/cameras/${serial}/events`,
          JSON.stringify({ ts: new Date().toISOString(), type: 'fault', code: 'E10', message: 'sensor' }),
        );
      }
      return { serial, client: cam, slot };
    }),
  );
  for (const c of cameras) {
    await eventually(async () => {
      const r = await app.http().get(`/api/v1/cameras/${c.serial}`).set(it_);
      return r.body.live?.online === true && (!faulty.includes(c.slot) || r.body.live.health === 'fault');
    });
  }
  const dock: Dock = { id, station, client, commands };
  return { dock, cameras };
}

const tap = (dock: Dock, officer: string) =>
  dock.client.publishAsync(
    `bwv/v1/docks/${dock.id}/events`,
    JSON.stringify({ ts: new Date().toISOString(), type: 'badge_tap', officer }),
    { qos: 1 },
  );

describe('dock self-allocation', () => {
  it('issues the fullest-charged healthy camera to the officer who taps, and releases its slot', async () => {
    const { dock, cameras } = await dockWithCameras([60, 90, 95], [2]);
    const officer = await newOfficer(app, stores, { station: dock.station });
    await tap(dock, officer);
    const cmd = await eventually(() => dock.commands.find((c) => c.type === 'release_slot'));
    expect(cmd).toMatchObject({
      camera: cameras[1]!.serial,
      slot: 1,
      officer,
      commandId: expect.any(String),
    });

    const cam = await app.http().get(`/api/v1/cameras/${cameras[1]!.serial}`).set(it_).expect(200);
    expect(cam.body).toMatchObject({ status: 'issued', holder: officer });
    // The camera still reports no assignment: the live view flags the difference.
    expect(cam.body.live).toMatchObject({ assignmentMismatch: true, health: 'warning' });
    expect(cam.body.live.reasons).toContain(`camera reports assignment to nobody, register says ${officer}`);

    const audit = await app
      .http()
      .get('/api/v1/audit')
      .query({ targetId: cameras[1]!.serial, action: 'camera.check-out' })
      .set(await app.as('admin'));
    expect(audit.body.items[0]).toMatchObject({ actor: { type: 'device', id: `dock:${dock.id}` } });

    // The dock releases it; the camera now reports its officer: no mismatch.
    const c = cameras[1]!;
    await c.client.publishAsync(
      `bwv/v1/cameras/${c.serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ battery: 90, dock: null, assignedTo: officer })),
    );
    await eventually(async () => {
      const r = await app.http().get(`/api/v1/cameras/${c.serial}`).set(it_);
      return r.body.live.assignmentMismatch === false && r.body.live.health === 'ok';
    });
    // Out of the dock, so no longer among the cameras a tap there chooses from.
    const inDock = app.platform.services.deviceState.camerasInDock(dock.id).map((v) => v.id);
    expect(inDock.sort()).toEqual([cameras[0]!.serial, cameras[2]!.serial].sort());

    // Back in the dock at the end of the shift: checked in, the camera confirming it.
    await dock.client.publishAsync(
      `bwv/v1/docks/${dock.id}/events`,
      JSON.stringify({ ts: new Date().toISOString(), type: 'docked', camera: c.serial, slot: 1 }),
      { qos: 1 },
    );
    await c.client.publishAsync(
      `bwv/v1/cameras/${c.serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ battery: 90, charging: true, dock: { id: dock.id, slot: 1 } })),
    );
    await eventually(async () => {
      const r = await app.http().get(`/api/v1/cameras/${c.serial}`).set(it_);
      return r.body.status === 'in_stock' && r.body.holder === null;
    });
    await Promise.all([dock.client.endAsync(), ...cameras.map((x) => x.client.endAsync())]);
  });

  it('gives two officers tapping at once two different cameras', async () => {
    const { dock, cameras } = await dockWithCameras([80, 80, 80]);
    const [a, b] = await Promise.all([
      newOfficer(app, stores, { station: dock.station }),
      newOfficer(app, stores, { station: dock.station }),
    ]);
    await Promise.all([tap(dock, a), tap(dock, b)]);
    const released = await eventually(() => {
      const r = dock.commands.filter((c) => c.type === 'release_slot');
      return r.length === 2 && r;
    });
    expect(new Set(released.map((r) => r.camera)).size).toBe(2);
    expect(new Set(released.map((r) => r.officer))).toEqual(new Set([a, b]));
    await Promise.all([dock.client.endAsync(), ...cameras.map((x) => x.client.endAsync())]);
  });

  it('denies a tap when no healthy camera is in the dock', async () => {
    const { dock, cameras } = await dockWithCameras([70], [0]);
    const officer = await newOfficer(app, stores, { station: dock.station });
    await tap(dock, officer);
    const deny = await eventually(() => dock.commands.find((c) => c.type === 'deny'));
    expect(deny).toMatchObject({ officer, reason: 'no-camera-available' });
    await Promise.all([dock.client.endAsync(), ...cameras.map((x) => x.client.endAsync())]);
  });
});

describe('a dock’s claim that a camera is back (issue 14, finding 9)', () => {
  const docked = (dock: Dock, camera: string, slot: number) =>
    dock.client.publishAsync(
      `bwv/v1/docks/${dock.id}/events`,
      JSON.stringify({ ts: new Date().toISOString(), type: 'docked', camera, slot }),
      { qos: 1 },
    );
  const cameraIn = (c: { serial: string; client: MqttClient }, dock: string | null, slot = 0) =>
    c.client.publishAsync(
      `bwv/v1/cameras/${c.serial}/telemetry`,
      JSON.stringify(
        cameraTelemetry({ battery: 50, charging: dock !== null, dock: dock && { id: dock, slot } }),
      ),
    );
  const cameraStatus = async (serial: string) =>
    (await app.http().get(`/api/v1/cameras/${serial}`).set(it_).expect(200)).body as {
      status: string;
      holder: string | null;
    };

  /** A dock at a station of its own, connected and listening to its commands. */
  async function dockElsewhere(): Promise<Dock> {
    const admin = await app.as('admin');
    const station = await newStation(app, admin);
    const id = `DOCK${uid()}`;
    await newDock(app, admin, { station, id });
    const client = await connect(
      app.platform.mqttUrl,
      await credentialsFor(app, it_, 'dock', id, { registered: true }),
    );
    return { id, station, client, commands: [] };
  }

  it('checks a pool camera in only at a dock of its station, once the camera itself reports docking there', async () => {
    const { dock, cameras } = await dockWithCameras([80]);
    const c = cameras[0]!;
    const officer = await newOfficer(app, stores, { station: dock.station });
    await tap(dock, officer);
    await eventually(() => dock.commands.find((x) => x.type === 'release_slot'));
    await cameraIn(c, null); // out with the officer
    await eventually(async () => (await cameraStatus(c.serial)).status === 'issued');

    // A dock at another station claims it, and the camera even says it sits there: refused.
    const other = await dockElsewhere();
    await cameraIn(c, other.id, 3);
    await docked(other, c.serial, 3);
    const admin = await app.as('admin');
    const refused = await eventually(async () => {
      const r = await app
        .http()
        .get('/api/v1/audit')
        .query({ action: 'dock.claim.refused', targetId: other.id })
        .set(admin);
      return (r.body.items as Array<{ summary: string; actor: unknown }>)[0];
    });
    expect(refused.actor).toMatchObject({ type: 'device', id: `dock:${other.id}` });
    expect(refused.summary).toContain(c.serial);
    expect(await cameraStatus(c.serial)).toMatchObject({ status: 'issued', holder: officer });
    const stats = await app.http().get('/api/v1/telemetry/stats').set(it_).expect(200);
    expect(stats.body.refused['dock.claim.refused']).toBeGreaterThanOrEqual(1);

    // Its own station's dock claims it while the camera says it is out: not checked in.
    await cameraIn(c, null);
    await docked(dock, c.serial, 0);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await cameraStatus(c.serial)).toMatchObject({ status: 'issued', holder: officer });

    // The camera reports sitting in that slot: the claim is corroborated, the camera checked in.
    await cameraIn(c, dock.id, 0);
    await eventually(async () => (await cameraStatus(c.serial)).status === 'in_stock');
    await Promise.all([dock.client.endAsync(), other.client.endAsync(), c.client.endAsync()]);
  });
});
