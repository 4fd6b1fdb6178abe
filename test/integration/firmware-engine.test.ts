// The firmware engine with real parts: the platform, its broker and database, devices played by
// real MQTT clients that answer each `firmware-update` command, and a service client that hears
// every command the broker carries to any device (what "never commanded" is asserted on).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newShiftNow, newStation } from '../helpers/factories.js';
import {
  campaignDevices,
  campaignWhen,
  closeDb,
  newArtifact,
  SERVICE_PASSWORD,
  TestCamera,
  watchCommands,
  type DeviceOptions,
} from '../helpers/firmware.js';
import { cameraTelemetry, eventually, uid } from '../helpers/mqtt.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the firmware engine', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let itA: Record<string, string>;
  let itB: Record<string, string>;
  let watcher: Awaited<ReturnType<typeof watchCommands>>;
  let artifact: string;
  const cameras: TestCamera[] = [];

  beforeAll(async () => {
    app = await startApp({
      MQTT_SERVICE_PASSWORD: SERVICE_PASSWORD,
      FIRMWARE_TICK_MS: '200',
      FIRMWARE_RETRY_BASE_S: '0.2',
      FIRMWARE_STEP_TIMEOUT_S: '5',
    });
    admin = await app.as('admin');
    itA = await app.as('it');
    itB = await app.as('it');
    watcher = await watchCommands(app);
    artifact = await newArtifact(app, { version: '2.5.0' });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(cameras.map((c) => c.stop()));
    await watcher?.close();
    await closeDb();
    await app?.close();
  });

  /** Cameras at a station of their own, registered, connected and reporting. */
  async function fleet(n: number, opts: (i: number) => DeviceOptions = () => ({})) {
    const station = await newStation(app, admin);
    const made: TestCamera[] = [];
    // Serials in the order of `i`: the wave plan orders a station's spares by serial.
    const prefix = `FW${uid()}`;
    for (let i = 0; i < n; i++) {
      const serial = await newCamera(app, admin, {
        station,
        serial: `${prefix}${String(i).padStart(2, '0')}`,
      });
      const cam = await new TestCamera(serial, opts(i)).start(app, admin, true);
      made.push(cam);
      cameras.push(cam);
    }
    // Targeting reads the version each device reports: wait until the platform has heard them all.
    const state = app.platform.services.deviceState;
    await eventually(() => made.every((c) => state.reading('camera', c.serial)?.camera));
    return { station, cameras: made, serials: made.map((c) => c.serial) };
  }

  async function campaign(devices: string[], settings: Record<string, unknown> = {}) {
    const res = await app
      .http()
      .post('/api/v1/firmware/campaigns')
      .set(itA)
      .send({ name: `test ${uid()}`, artifact, devices, ...settings });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    await app.http().post(`/api/v1/firmware/campaigns/${id}/approve`).set(itB).expect(200);
    return id;
  }

  it('runs the canary, then each wave once the one before has succeeded', async () => {
    const f = await fleet(6);
    const id = await campaign(f.serials, { canarySize: 2, groups: [50, 50] });
    const done = await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    expect(done.waves.map((w) => [w.size, w.status, w.counts.succeeded])).toEqual([
      [2, 'done', 2],
      [2, 'done', 2],
      [2, 'done', 2],
    ]);
    const devices = await campaignDevices(app, itA, id);
    const sentAt = (wave: number) =>
      [...devices.values()].filter((d) => d.wave === wave).map((d) => watcher.to(d.device)[0]!.at);
    // Each device got exactly one command, and no wave's before the previous wave had succeeded.
    for (const s of f.serials) expect(watcher.to(s)).toHaveLength(1);
    expect(Math.min(...sentAt(1))).toBeGreaterThan(Math.max(...sentAt(0)));
    expect(Math.min(...sentAt(2))).toBeGreaterThan(Math.max(...sentAt(1)));
    for (const c of f.cameras) expect(c.firmware).toBe('2.5.0');
  });

  it('pauses itself when 30% of the canary fails, and commands no device outside the canary', async () => {
    // The canary is the first ten (spares at one station, by serial); three of them fail.
    const f = await fleet(20, (i) => ({ behaviour: i < 3 ? 'fail-install' : 'ok' }));
    const id = await campaign(f.serials, {
      canarySize: 10,
      groups: [100],
      successThreshold: 90,
      errorThreshold: { percent: 50 },
    });
    const paused = await campaignWhen(app, itA, id, (c) => c.status === 'paused');
    expect(paused.pausedReason).toBe('wave 0 (canary): 70% succeeded, below the 90% threshold');
    expect(paused.waves[0]!.counts).toEqual({ succeeded: 7, failed: 3 });
    expect(paused.failures.map((x) => x.reason)).toEqual(
      Array(3).fill('installing failed: flash write error'),
    );
    await sleep(1_000); // ticks go by: still nothing for wave 1
    const devices = await campaignDevices(app, itA, id);
    const outside = [...devices.values()].filter((d) => d.wave !== 0).map((d) => d.device);
    expect(outside).toHaveLength(10);
    for (const d of outside) expect(watcher.to(d)).toEqual([]);
    expect((await campaignWhen(app, itA, id, () => true)).status).toBe('paused');

    // The pause is audited as the engine's own, with its reason.
    const audit = await app.http().get(`/api/v1/audit?targetId=${id}`).set(admin).expect(200);
    const pause = (
      audit.body.items as Array<{ action: string; actor: { id: string }; summary: string }>
    ).find((e) => e.action === 'firmware.campaign.pause');
    expect(pause?.actor.id).toBe('firmware-engine');
    expect(pause?.summary).toContain('70% succeeded, below the 90% threshold');
  });

  it('never commands an issued camera nor one held by an officer on shift; updates them once returned', async () => {
    const f = await fleet(4);
    const [onShift, issued] = f.cameras;
    const o1 = await newOfficer(app, admin, { station: f.station });
    const o2 = await newOfficer(app, admin, { station: f.station });
    await newShiftNow(app, admin, f.station, [o1]);
    for (const [cam, officer] of [
      [onShift!, o1],
      [issued!, o2],
    ] as const) {
      await app
        .http()
        .post('/api/v1/checkouts')
        .set(admin)
        .send({ camera: cam.serial, officer, mode: 'pool' })
        .expect(201);
    }
    // Spares first: the two cameras in stock are the canary, the issued ones wave 1.
    const id = await campaign(f.serials, { canarySize: 2, groups: [100] });
    const waiting = await campaignWhen(app, itA, id, (c) => c.waiting.length === 2);
    expect(waiting.waiting).toEqual(
      expect.arrayContaining([
        { reason: `officer ${o1} is on shift`, count: 1 },
        { reason: `issued to officer ${o2}`, count: 1 },
      ]),
    );
    expect(waiting.status).toBe('running');
    await sleep(1_000);
    expect(watcher.to(onShift!.serial)).toEqual([]);
    expect(watcher.to(issued!.serial)).toEqual([]);

    const returned = Date.now();
    for (const cam of [onShift!, issued!]) {
      await app
        .http()
        .post('/api/v1/checkins')
        .set(admin)
        .send({ camera: cam.serial, condition: 'ok' })
        .expect(200);
    }
    const done = await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    expect(done.counts).toEqual({ succeeded: 4 });
    for (const cam of [onShift!, issued!]) {
      expect(watcher.to(cam.serial)).toHaveLength(1);
      expect(watcher.to(cam.serial)[0]!.at).toBeGreaterThan(returned);
    }
  });

  it('waits for an undocked, recording or flat camera and sends once it is fit', async () => {
    const f = await fleet(3, (i) => [{ docked: false }, { recording: true }, { battery: 10 }][i]!);
    const id = await campaign(f.serials, { canarySize: 0, groups: [100], minBattery: 30 });
    const waiting = await campaignWhen(app, itA, id, (c) => c.waiting.length === 3);
    expect(waiting.waiting.map((w) => w.reason).sort()).toEqual([
      'battery below 30% and not charging',
      'not docked',
      'recording',
    ]);
    await sleep(600);
    for (const s of f.serials) expect(watcher.to(s)).toEqual([]);
    await f.cameras[0]!.report({ dock: { id: 'DOCKT', slot: 2 } });
    await f.cameras[1]!.report({ recording: false });
    await f.cameras[2]!.report({ charging: true });
    await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    for (const s of f.serials) expect(watcher.to(s)).toHaveLength(1);
  });

  it('fails a silent device by timeout, which counts toward the error threshold', async () => {
    const f = await fleet(3, (i) => ({ behaviour: i === 1 ? 'silent' : 'ok' }));
    const id = await campaign(f.serials, {
      canarySize: 3,
      groups: [100],
      stepTimeoutS: 1,
      errorThreshold: { count: 1 },
    });
    const paused = await campaignWhen(app, itA, id, (c) => c.status === 'paused');
    expect(paused.pausedReason).toBe('error threshold: 1 of 3 devices failed (33%)');
    expect(paused.failures).toEqual([
      expect.objectContaining({
        device: f.serials[1],
        reason: 'no report for 1 s after the command was sent',
      }),
    ]);
    expect(watcher.to(f.serials[1]!)).toHaveLength(1);
  });

  it('retries a failed download with a new command id, up to maxRetries', async () => {
    const f = await fleet(2, (i) => ({ behaviour: { failDownloads: i === 0 ? 2 : 10 } }));
    const id = await campaign(f.serials, {
      canarySize: 0,
      groups: [100],
      maxRetries: 2,
      errorThreshold: { count: 10 },
      successThreshold: 0,
    });
    const done = await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    expect(done.counts).toEqual({ succeeded: 1, failed: 1 });
    const [flaky, broken] = f.serials.map((s) => watcher.to(s));
    expect(flaky).toHaveLength(3);
    expect(broken).toHaveLength(3);
    for (const cmds of [flaky!, broken!]) expect(new Set(cmds.map((c) => c.commandId)).size).toBe(3);
    expect(done.failures).toEqual([
      expect.objectContaining({
        device: f.serials[1],
        reason: 'downloading failed: connection reset (attempt 3 of 3)',
      }),
    ]);
  });

  it('counts a device a success only after telemetry on the new version after rebooting; replays change nothing', async () => {
    const f = await fleet(1, () => ({ behaviour: 'manual' }));
    const cam = f.cameras[0]!;
    const id = await campaign(f.serials, { canarySize: 0, groups: [100] });
    const state = async () => (await campaignDevices(app, itA, id)).get(cam.serial)!.state;
    const cmd = await eventually(() => cam.commands[0]);
    await eventually(async () => (await state()) === 'sent');

    await cam.ack(cmd.commandId, { stage: 'downloading', progress: 40 });
    await cam.ack(cmd.commandId, { stage: 'downloaded' });
    await eventually(async () => (await state()) === 'downloaded');
    // A replayed earlier step, another command's ack, a stray failure of an unknown command.
    await cam.ack(cmd.commandId, { stage: 'downloading', progress: 40 });
    await cam.ack('not-this-command', { stage: 'rebooting' });
    await cam.ack('not-this-command', { ok: false, stage: 'verifying', detail: 'bad' });
    await cam.ack(cmd.commandId, { stage: 'verifying' });
    await cam.ack(cmd.commandId, { stage: 'installing' });
    await eventually(async () => (await state()) === 'installing');
    // The new version reported before any reboot is not a success.
    cam.firmware = '2.5.0';
    await cam.report();
    await sleep(600);
    expect(await state()).toBe('installing');

    const beforeReboot = new Date().toISOString();
    await sleep(5);
    await cam.ack(cmd.commandId, { stage: 'rebooting' });
    await eventually(async () => (await state()) === 'rebooting');
    // A reading stamped before the reboot says nothing either.
    await cam.client.publishAsync(
      cam.topic('telemetry'),
      JSON.stringify(
        cameraTelemetry({ firmware: '2.5.0', dock: { id: 'DOCKT', slot: 1 }, ts: beforeReboot }),
      ),
    );
    await sleep(600);
    expect(await state()).toBe('rebooting');

    await cam.reboot('2.5.0');
    await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    expect(await state()).toBe('succeeded');
    // Replays after the end change nothing.
    await cam.ack(cmd.commandId, { ok: false, stage: 'verifying', detail: 'late' });
    await cam.ack(cmd.commandId, { stage: 'rebooting' });
    await sleep(400);
    expect(await state()).toBe('succeeded');
    expect(cam.commands).toHaveLength(1);
  });

  it('fails a device that comes back on its old version', async () => {
    const f = await fleet(1, () => ({ behaviour: 'old-version' }));
    const id = await campaign(f.serials, {
      canarySize: 0,
      groups: [100],
      successThreshold: 0,
      errorThreshold: { count: 5 },
    });
    const done = await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    expect(done.failures).toEqual([
      expect.objectContaining({ device: f.serials[0], reason: 'came back on 2.4.1' }),
    ]);
  });

  it('waits for a person to approve each later wave when asked to (never the creator)', async () => {
    const f = await fleet(4);
    const id = await campaign(f.serials, { canarySize: 2, groups: [100], approveEachWave: true });
    const waiting = await campaignWhen(app, itA, id, (c) => c.waves[1]!.status === 'awaiting-approval');
    expect(waiting.waves[0]!.status).toBe('done');
    const devices = await campaignDevices(app, itA, id);
    const later = f.serials.filter((s) => devices.get(s)!.wave === 1);
    await sleep(600);
    for (const s of later) expect(watcher.to(s)).toEqual([]);
    const own = await app.http().post(`/api/v1/firmware/campaigns/${id}/approve`).set(itA);
    expect(own.status).toBe(403);
    await app.http().post(`/api/v1/firmware/campaigns/${id}/approve`).set(admin).expect(200);
    const done = await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    expect(done.waves.map((w) => w.status)).toEqual(['done', 'done']);
  });

  it('rolls the updated devices back to their previous version, as a new campaign under the same rule', async () => {
    const f = await fleet(2);
    const id = await campaign(f.serials, { canarySize: 0, groups: [100] });
    await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    const missing = await app.http().post(`/api/v1/firmware/campaigns/${id}/rollback`).set(itA);
    expect([missing.status, missing.body.type]).toEqual([409, '/problems/firmware-rollback-unavailable']);
    expect(missing.body.detail).toMatch(/2\.4\.1/);

    await newArtifact(app, { version: '2.4.1' });
    const rb = await app.http().post(`/api/v1/firmware/campaigns/${id}/rollback`).set(itA).expect(201);
    expect(rb.body).toMatchObject({
      status: 'awaiting-approval',
      rollbackOf: id,
      version: '2.4.1',
      fromRange: '2.5.0',
      total: 2,
    });
    expect(new Set(rb.body.devices)).toEqual(new Set(f.serials));
    await app.http().post(`/api/v1/firmware/campaigns/${rb.body.id}/approve`).set(itA).expect(403);
    await app.http().post(`/api/v1/firmware/campaigns/${rb.body.id}/approve`).set(itB).expect(200);
    await campaignWhen(app, itA, rb.body.id, (c) => c.status === 'completed');
    for (const c of f.cameras) expect(c.firmware).toBe('2.4.1');
  });
});
