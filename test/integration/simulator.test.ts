// Self-allocation end to end with the fleet simulator (firmware-sim), as a demo runs it: simulated
// officers badge-tap at a simulated dock when their shift starts, the platform pool-issues a camera
// from that dock and tells the dock which slot to release, and the camera docked at the end of the
// shift is checked back in. Real aedes broker, real MQTT clients, real embedded database.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { provision, registerFleet } from '../../firmware-sim/provision.js';
import { runFleet, type Credential, type RunningFleet } from '../../firmware-sim/runner.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newOfficer } from '../helpers/factories.js';
import { eventually, uid } from '../helpers/mqtt.js';

interface AuditItem {
  action: string;
  actor: { type: string; id: string };
  target: { id: string };
}

describe('self-allocation with the simulator', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let fleet: RunningFleet | null = null;
  beforeAll(async () => {
    app = await startApp();
    admin = await app.as('admin');
  });
  afterAll(async () => {
    await fleet?.stop();
    await app.close();
  });

  it('issues a camera on a badge tap, releases its slot, and checks it in when docked again', async () => {
    const prefix = `S${uid()}`;
    const station = `ST${uid()}`;
    const cameras = Array.from({ length: 6 }, (_, i) => `${prefix}C${String(i + 1).padStart(5, '0')}`);
    const dock = `${prefix}D0001`;
    const token = admin.Authorization!.replace(/^Bearer /, '');
    await registerFleet({ api: app.url, token, station, docks: [dock], cameras, log: () => {} });
    // The simulator's officers (O00001… by camera) work at the dock's station.
    for (let i = 1; i <= cameras.length; i++)
      await newOfficer(app, admin, { station, number: `O${String(i).padStart(5, '0')}` });
    const creds = await provision({
      api: app.url,
      token,
      devices: [{ kind: 'dock', id: dock }, ...cameras.map((id) => ({ kind: 'camera' as const, id }))],
      log: () => {},
    });

    fleet = await runFleet({
      broker: app.platform.mqttUrl,
      cameras: cameras.length,
      docks: 1,
      prefix,
      rate: 2,
      seed: 7,
      speed: 7_200, // two simulated hours a second: a ten-hour shift in five seconds
      connectRate: 100,
      tapShare: 1, // every officer taps at the dock
      dropsPerHour: 0,
      credentials: new Map<string, Credential>(creds.map((c) => [`${c.kind}:${c.id}`, c])),
      log: () => {},
    });

    const byDock = async (action: string) => {
      const res = await app.http().get(`/api/v1/audit?action=${action}&limit=100`).set(admin).expect(200);
      return (res.body.items as AuditItem[]).filter((e) => e.actor.id === `dock:${dock}`);
    };
    const [issued] = await eventually(async () => {
      const found = await byDock('camera.check-out');
      return found.length > 0 && found;
    }, 20_000);
    expect(cameras).toContain(issued!.target.id);
    // The dock is told which slot to release just after the check-out is recorded.
    await eventually(() => fleet!.stats().commands > 0, 5_000);

    const [returned] = await eventually(async () => {
      const found = await byDock('camera.check-in');
      return found.length > 0 && found;
    }, 30_000);
    expect(cameras).toContain(returned!.target.id);
    const history = await app.http().get(`/api/v1/cameras/${returned!.target.id}/history`).set(admin);
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['check-out', 'check-in']),
    );
  }, 90_000);
});
