// The whole path of a firmware update, with nothing played by the test: IT uploads a vendor-signed
// artifact, a second IT user approves the campaign, the engine commands the simulator's cameras over
// the real broker, they download it from the platform's own route with their device credentials,
// check its size, SHA-256 and signature against the vendor key, install, reboot and report the new
// version — or fail the way the simulator was told to, and the campaign stops itself.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import type { FwFailure } from '../../firmware-sim/firmware.js';
import { provision, registerFleet } from '../../firmware-sim/provision.js';
import { runFleet, type Credential, type RunningFleet } from '../../firmware-sim/runner.js';
import { generateVendorKeys, signArtifact, type VendorKeys } from '../../src/firmware/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { campaignDevices, campaignWhen } from '../helpers/firmware.js';
import { connect, eventually, uid } from '../helpers/mqtt.js';

const SERVICE_PASSWORD = `svc-${randomBytes(12).toString('hex')}`;
const CAMERAS = 200;
const DOCKS = 15; // some cameras are always out with officers, undocked, and must wait

interface Heard {
  device: string;
  channel: string;
  body: Record<string, unknown>;
}

describe('a firmware campaign carried out by simulated devices', () => {
  let app: TestApp;
  let fleet: RunningFleet;
  let bus: MqttClient;
  let vendor: VendorKeys;
  let itA: Record<string, string>;
  let itB: Record<string, string>;
  const heard: Heard[] = [];
  const failures = new Map<string, FwFailure | FwFailure[]>();
  const prefix = `W${uid()}`;
  const serials = Array.from({ length: CAMERAS }, (_, i) => `${prefix}C${String(i + 1).padStart(5, '0')}`);
  let docked: string[] = [];
  let undocked: string[] = [];

  const commandsTo = (serial: string) =>
    heard.filter((h) => h.device === serial && h.channel === 'commands' && h.body.type === 'firmware-update');
  const firmwareOf = (serial: string) =>
    app.platform.services.deviceState.reading('camera', serial)?.camera?.firmware ?? null;

  async function upload(version: string) {
    const bytes = randomBytes(300_000);
    const res = await app
      .http()
      .post('/api/v1/firmware/artifacts')
      .query({ kind: 'camera', model: 'SIM-CAM', version, signature: signArtifact(bytes, vendor.privatePem) })
      .set(itA)
      .set('content-type', 'application/octet-stream')
      .send(bytes);
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function campaign(body: Record<string, unknown>) {
    const created = await app.http().post('/api/v1/firmware/campaigns').set(itA).send(body);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // The creator may not approve their own campaign; the second IT user does.
    await app.http().post(`/api/v1/firmware/campaigns/${id}/approve`).set(itA).expect(403);
    await app.http().post(`/api/v1/firmware/campaigns/${id}/approve`).set(itB).expect(200);
    return id;
  }

  beforeAll(async () => {
    vendor = generateVendorKeys();
    const dir = await mkdtemp(path.join(tmpdir(), 'bwv-fw-sim-'));
    const trusted = path.join(dir, 'trusted.pem');
    await writeFile(trusted, vendor.publicPem);
    app = await startApp({
      MQTT_SERVICE_PASSWORD: SERVICE_PASSWORD,
      FIRMWARE_TRUSTED_KEYS: trusted,
      FIRMWARE_TICK_MS: '200',
      FIRMWARE_STEP_TIMEOUT_S: '10',
      FIRMWARE_RETRY_BASE_S: '1',
    });
    const admin = await app.as('admin');
    itA = await app.as('it');
    itB = await app.as('it');
    const token = admin.Authorization!.replace(/^Bearer /, '');
    const docks = Array.from({ length: DOCKS }, (_, i) => `${prefix}D${String(i + 1).padStart(4, '0')}`);
    await registerFleet({
      api: app.url,
      token,
      station: `ST${uid()}`,
      docks,
      cameras: serials,
      log: () => {},
    });
    const creds = await provision({
      api: app.url,
      token,
      devices: [
        ...docks.map((id) => ({ kind: 'dock' as const, id })),
        ...serials.map((id) => ({ kind: 'camera' as const, id })),
      ],
      log: () => {},
    });

    bus = await connect(
      app.platform.mqttUrl,
      { username: app.platform.config.MQTT_SERVICE_USERNAME, password: SERVICE_PASSWORD },
      { clientId: `bwv-test-${uid()}` },
    );
    bus.on('message', (topic, payload) => {
      const [, , , device, channel] = topic.split('/');
      if (!device?.startsWith(prefix)) return;
      heard.push({
        device,
        channel: channel!,
        body: JSON.parse(payload.toString()) as Record<string, unknown>,
      });
    });
    await bus.subscribeAsync(['bwv/v1/cameras/+/commands', 'bwv/v1/cameras/+/telemetry'], { qos: 1 });

    fleet = await runFleet({
      broker: app.platform.mqttUrl,
      cameras: CAMERAS,
      docks: DOCKS,
      prefix,
      rate: 1,
      seed: 16,
      speed: 1, // shifts stand still: who is docked now stays docked
      fwSpeed: 60, // an update's simulated 95 s take about 1.6 s
      connectRate: 100,
      tapShare: 0,
      dropsPerHour: 0,
      credentials: new Map<string, Credential>(creds.map((c) => [`${c.kind}:${c.id}`, c])),
      trustedKeys: vendor.publicPem,
      fwFailures: failures,
      log: () => {},
    });
    const live = await eventually(() => {
      const seen = new Map<string, Record<string, unknown>>();
      for (const h of heard) if (h.channel === 'telemetry') seen.set(h.device, h.body);
      return seen.size === CAMERAS && seen;
    }, 15_000);
    docked = serials.filter((s) => live.get(s)!.dock !== null);
    undocked = serials.filter((s) => live.get(s)!.dock === null);
    expect(docked.length).toBeGreaterThanOrEqual(100);
    expect(undocked.length).toBeGreaterThanOrEqual(1);
    await eventually(() => serials.every((s) => firmwareOf(s) === '2.4.1'), 10_000);
  }, 90_000);

  afterAll(async () => {
    await fleet?.stop();
    await bus?.endAsync();
    await app?.close();
  });

  it('updates the docked cameras wave by wave through 5% failures, and leaves the undocked waiting', async () => {
    const artifact = await upload('2.5.0');
    // 5% of the fleet fails, each way a device can: a bad flash, a download corrupted every time
    // (its hash fails), one that never comes back after its reboot, one that boots its old version.
    const modes = ['install', 'corrupt', 'vanish', 'old-version'] as const;
    const failing = new Map(
      docked
        .filter((_, i) => i % Math.floor(docked.length / 10) === 7)
        .slice(0, 10)
        .map((s, i) => [s, modes[i % modes.length]!]),
    );
    for (const [s, mode] of failing)
      failures.set(`camera:${s}`, mode === 'corrupt' ? Array<FwFailure>(8).fill('corrupt') : mode);
    const id = await campaign({
      name: 'SIM-CAM 2.5.0',
      kind: 'camera',
      model: 'SIM-CAM',
      artifact,
      devices: serials,
      canarySize: 5,
      groups: [25, 75],
      successThreshold: 80, // of the wave's devices that ended (waiting is not an end)
      errorThreshold: { count: null, percent: 25 },
      maxRetries: 1,
    });

    // Every docked camera ends, one way or the other; the undocked ones are still waiting, as such.
    const done = await eventually(async () => {
      const devices = await campaignDevices(app, itA, id);
      const ended = docked.every((s) => ['succeeded', 'failed'].includes(devices.get(s)!.state));
      return ended && devices;
    }, 150_000); // slack: the whole file takes ~35 s on a quiet machine, over 90 s at load 9
    for (const s of docked.filter((x) => !failing.has(x))) {
      expect(done.get(s)!.state).toBe('succeeded');
      expect(firmwareOf(s)).toBe('2.5.0'); // the platform heard it from the device itself
    }
    const why = {
      install: /install/,
      corrupt: /sha256/,
      vanish: /no report for 10 s/,
      'old-version': /came back on 2\.4\.1/,
    };
    for (const [s, mode] of failing) {
      expect(done.get(s)).toMatchObject({ state: 'failed', reason: expect.stringMatching(why[mode]) });
      expect(firmwareOf(s)).not.toBe('2.5.0');
    }
    for (const s of undocked) {
      expect(done.get(s)).toMatchObject({ state: 'waiting', reason: expect.stringMatching(/dock/i) });
      expect(commandsTo(s)).toEqual([]);
      expect(firmwareOf(s)).toBe('2.4.1');
    }
    // Wave by wave: no camera beyond the canary was commanded before every canary camera had ended.
    const waveOf = (s: string) => done.get(s)!.wave;
    const canary = serials.filter((s) => waveOf(s) === 0);
    expect(canary).toHaveLength(5);
    const firstLater = heard.findIndex(
      (h) => h.channel === 'commands' && h.body.type === 'firmware-update' && waveOf(h.device) > 0,
    );
    for (const s of canary.filter((x) => !failing.has(x))) {
      const back = heard.findIndex(
        (h) => h.device === s && h.channel === 'telemetry' && h.body.firmware === '2.5.0',
      );
      expect(back).toBeGreaterThanOrEqual(0);
      expect(firstLater).toBeGreaterThan(back);
    }
    // One command per attempt: a device that succeeded was commanded exactly once.
    for (const s of docked.filter((x) => !failing.has(x))) expect(commandsTo(s)).toHaveLength(1);
    const summary = await campaignWhen(app, itA, id, (c) => c.status === 'running');
    // Waves advance past waiting devices; the last one runs on: the officers' cameras are updated
    // when they come back.
    expect(summary.waves.map((w) => w.status)).toEqual(['done', 'done', 'running']);
    expect(summary.waiting).toEqual([{ reason: 'not docked', count: undocked.length }]);
  }, 240_000);

  it('pauses itself when the canary fails and commands nothing outside it', async () => {
    const artifact = await upload('2.6.0');
    const updated = docked.filter((s) => firmwareOf(s) === '2.5.0').slice(0, 40);
    for (const s of updated) failures.set(`camera:${s}`, 'install');
    const before = heard.length;
    const id = await campaign({
      name: 'SIM-CAM 2.6.0',
      kind: 'camera',
      model: 'SIM-CAM',
      artifact,
      devices: updated,
      fromRange: '2.5.0',
      canarySize: 4,
      groups: [100],
      successThreshold: 90,
      errorThreshold: { count: 2, percent: null },
    });
    const paused = await campaignWhen(app, itA, id, (c) => c.status === 'paused', 60_000);
    expect(JSON.stringify(paused)).toMatch(/error threshold/i);
    const commanded = new Set(
      heard
        .slice(before)
        .filter((h) => h.channel === 'commands' && h.body.type === 'firmware-update')
        .map((h) => h.device),
    );
    const devices = await campaignDevices(app, itA, id);
    const canary = [...devices].filter(([, d]) => d.wave === 0).map(([s]) => s);
    expect(canary).toHaveLength(4);
    for (const s of commanded) expect(canary).toContain(s);
    for (const s of updated) expect(firmwareOf(s)).toBe('2.5.0');
  }, 90_000);
});
