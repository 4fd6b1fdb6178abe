// The simulator's device side of firmware updates, with the test playing the platform: it sends
// `firmware-update` commands on the real broker as the platform's service identity and serves a
// signed artifact from a small HTTP server of its own (Basic with the device's credentials, Range).
// The simulated cameras and dock download, check, install, reboot and come back — or fail the way
// they were told to. (The platform's own download route and engine are tested with their helpers.)
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { FIRMWARE_STAGES } from '../../src/bus/topics.js';
import type { FwFailure } from '../../firmware-sim/firmware.js';
import { provision, registerFleet } from '../../firmware-sim/provision.js';
import { runFleet, type Credential, type RunningFleet } from '../../firmware-sim/runner.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { connect, eventually, uid } from '../helpers/mqtt.js';

const SERVICE_PASSWORD = 'sim-firmware-service-password-1';
const FW_SPEED = 100; // an update: (5 s verify + 60 s install + 30 s reboot) / 100 ≈ 1 s
const REBOOT_MS = (30 / FW_SPEED) * 1000;
const CAMERAS = 16; // one dock of 12 slots: some cameras are always out with an officer
const OLD = '2.4.1';
const NEW = '2.5.0';

interface Message {
  kind: string;
  id: string;
  channel: string;
  body: Record<string, unknown>;
  at: number;
}
interface Request {
  user: string;
  range: string | null;
  status: number;
}

const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('simulated devices updating their firmware', () => {
  let app: TestApp;
  let fleet: RunningFleet;
  let service: MqttClient;
  let server: http.Server;
  let base: string;
  const messages: Message[] = [];
  const requests: Request[] = [];
  const cutOnce = new Set<string>();
  const failures = new Map<string, FwFailure | FwFailure[]>();
  const artifact = randomBytes(200_000);
  const etag = `"${sha256(artifact)}"`;
  // The devices trust two vendor keys (a retired one and the current one); a third is a stranger's.
  const retired = generateKeyPairSync('ed25519');
  const current = generateKeyPairSync('ed25519');
  const stranger = generateKeyPairSync('ed25519');
  const prefix = `F${uid()}`;
  const dock = `${prefix}D0001`;
  const serials = Array.from({ length: CAMERAS }, (_, i) => `${prefix}C${String(i + 1).padStart(5, '0')}`);
  let docked: string[] = [];
  let undocked: string[] = [];

  beforeAll(async () => {
    app = await startApp({ MQTT_SERVICE_PASSWORD: SERVICE_PASSWORD });
    const admin = await app.as('admin');
    const token = admin.Authorization!.replace(/^Bearer /, '');
    const station = `ST${uid()}`;
    await registerFleet({ api: app.url, token, station, docks: [dock], cameras: serials, log: () => {} });
    const creds = await provision({
      api: app.url,
      token,
      devices: [{ kind: 'dock', id: dock }, ...serials.map((id) => ({ kind: 'camera' as const, id }))],
      log: () => {},
    });
    const passwords = new Map(creds.map((c) => [c.username, c.password]));

    server = http.createServer((req, res) => {
      const basic = Buffer.from(
        (req.headers.authorization ?? '').replace(/^Basic /, ''),
        'base64',
      ).toString();
      const colon = basic.indexOf(':', basic.indexOf(':') + 1); // the username is `camera:{serial}`
      const user = basic.slice(0, colon);
      const password = basic.slice(colon + 1);
      const answer = (status: number, headers: http.OutgoingHttpHeaders = {}) => {
        requests.push({ user, range: req.headers.range ?? null, status });
        res.writeHead(status, { etag, 'accept-ranges': 'bytes', ...headers });
      };
      if (!passwords.has(user) || passwords.get(user) !== password) {
        answer(401, { 'www-authenticate': 'Basic' });
        res.end();
        return;
      }
      if (req.url !== '/fw/camera.bin') {
        answer(404);
        res.end();
        return;
      }
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const ifRange = req.headers['if-range'];
      const start = range && (!ifRange || ifRange === etag) ? Number(range[1]) : 0;
      if (start >= artifact.length) {
        answer(416, { 'content-range': `bytes */${artifact.length}` });
        res.end();
        return;
      }
      if (start > 0) {
        answer(206, {
          'content-range': `bytes ${start}-${artifact.length - 1}/${artifact.length}`,
          'content-length': artifact.length - start,
        });
      } else answer(200, { 'content-length': artifact.length });
      if (cutOnce.delete(user)) {
        // The link breaks halfway through.
        res.write(artifact.subarray(start, artifact.length / 2));
        setTimeout(() => req.socket.destroy(), 100);
      } else res.end(artifact.subarray(start));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    service = await connect(
      app.platform.mqttUrl,
      { username: app.platform.config.MQTT_SERVICE_USERNAME, password: SERVICE_PASSWORD },
      { clientId: `bwv-test-${uid()}` },
    );
    service.on('message', (topic, payload) => {
      const [, , plural, id, channel] = topic.split('/');
      if (!id?.startsWith(prefix)) return;
      const body = JSON.parse(payload.toString()) as Record<string, unknown>;
      messages.push({
        kind: plural === 'docks' ? 'dock' : 'camera',
        id,
        channel: channel!,
        body,
        at: Date.now(),
      });
    });
    await service.subscribeAsync(
      ['cameras', 'docks'].flatMap((k) => ['acks', 'status', 'telemetry'].map((c) => `bwv/v1/${k}/+/${c}`)),
      { qos: 1 },
    );

    fleet = await runFleet({
      broker: app.platform.mqttUrl,
      cameras: CAMERAS,
      docks: 1,
      prefix,
      rate: 4,
      seed: 11,
      speed: 1, // shifts stand still: who is docked now stays docked
      fwSpeed: FW_SPEED,
      connectRate: 100,
      tapShare: 0,
      dropsPerHour: 0,
      credentials: new Map<string, Credential>(creds.map((c) => [`${c.kind}:${c.id}`, c])),
      log: () => {},
      trustedKeys: pem(retired.publicKey) + pem(current.publicKey),
      fwFailures: failures,
    });
    // Where each camera is, from its own telemetry.
    const latest = await eventually(() => {
      const seen = new Map<string, Record<string, unknown>>();
      for (const m of messages) if (m.channel === 'telemetry' && m.kind === 'camera') seen.set(m.id, m.body);
      return seen.size === CAMERAS && seen;
    }, 10_000);
    docked = serials.filter((s) => latest.get(s)!.dock !== null && latest.get(s)!.assignedTo === null);
    undocked = serials.filter((s) => latest.get(s)!.dock === null);
    expect(docked.length).toBeGreaterThanOrEqual(7);
    expect(undocked.length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
    await service?.endAsync();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await app?.close();
  });

  const command = (fields: Record<string, unknown> = {}) => ({
    commandId: randomBytes(8).toString('hex'),
    ts: new Date().toISOString(),
    type: 'firmware-update',
    version: NEW,
    url: `${base}/fw/camera.bin`,
    size: artifact.length,
    sha256: sha256(artifact),
    signature: sign(null, artifact, current.privateKey).toString('base64'),
    ...fields,
  });
  const send = async (kind: 'camera' | 'dock', id: string, cmd: Record<string, unknown>) => {
    await service.publishAsync(`bwv/v1/${kind}s/${id}/commands`, JSON.stringify(cmd), { qos: 1 });
    return messages.length; // messages from here on came after the command
  };
  const acks = (commandId: unknown) =>
    messages.filter((m) => m.channel === 'acks' && m.body.commandId === commandId).map((m) => m.body);
  const from = (id: string, since: number) => messages.slice(since).filter((m) => m.id === id);
  const stageList = (list: Array<Record<string, unknown>>) =>
    list.map((a) => a.stage).filter((s, i, all) => s !== all[i - 1]);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /**
   * The device's messages after its `rebooting` ack: the presence changes, when it went offline,
   * when it was heard again (any message but an offline status), and its first telemetry since.
   */
  const reboot = (id: string, since: number) => {
    const after = from(id, since);
    const rest = after.slice(
      after.findIndex((m) => m.channel === 'acks' && m.body.stage === 'rebooting') + 1,
    );
    const isOffline = (m: Message) => m.channel === 'status' && m.body.online === false;
    // The device says it goes offline, and the broker says so again when the session ends.
    const statuses = rest
      .filter((m) => m.channel === 'status')
      .map((m) => m.body.online)
      .filter((s, i, all) => s !== all[i - 1]);
    const away = rest.slice(Math.max(0, rest.findIndex(isOffline)));
    const offlineAt = rest.find(isOffline)?.at;
    const backAt = offlineAt === undefined ? undefined : away.find((m) => !isOffline(m))?.at;
    const back = offlineAt === undefined ? undefined : away.find((m) => m.channel === 'telemetry');
    return { statuses, offlineAt, backAt, back };
  };
  /** Waits until the device is back: online again and reporting telemetry. */
  const rebooted = (id: string, since: number) =>
    eventually(() => {
      const r = reboot(id, since);
      return r.back && r.statuses.includes(true) && r;
    }, 15_000);

  it('downloads as itself, resumes a broken download, verifies, installs, reboots and comes back on the new version; a redelivery starts nothing', async () => {
    const serial = docked[0]!;
    cutOnce.add(`camera:${serial}`);
    const cmd = command();
    const since = await send('camera', serial, cmd);
    const sent = Date.now();
    await send('camera', serial, cmd); // QoS 1 redelivery while it works
    const done = await rebooted(serial, since);

    expect(done.back!.body.firmware).toBe(NEW);
    expect(done.statuses.slice(0, 2)).toEqual([false, true]);
    // Realistic durations, compressed: verify + install + reboot are 95 simulated seconds; silent
    // for the reboot's 30.
    expect(done.backAt! - sent).toBeGreaterThanOrEqual(((95 * 1000) / FW_SPEED) * 0.9);
    expect(done.backAt! - done.offlineAt!).toBeGreaterThanOrEqual(REBOOT_MS * 0.9);

    const list = acks(cmd.commandId);
    expect(list.every((a) => a.ok === true)).toBe(true);
    expect(stageList(list)).toEqual([...FIRMWARE_STAGES]);
    const progress = list.filter((a) => a.stage === 'downloading').map((a) => a.progress as number);
    expect(progress[0]).toBe(0);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(Math.max(...progress)).toBeLessThanOrEqual(100);

    // Its own credentials; the second request asks for the rest of the file.
    const mine = requests.filter((r) => r.user === `camera:${serial}`);
    expect(mine.map((r) => r.status)).toEqual([200, 206]);
    expect(mine[0]!.range).toBeNull();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(mine[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThan(artifact.length);

    // The same command id once more, after the update: nothing new (no ack, no download, no reboot).
    const before = messages.length;
    await send('camera', serial, cmd);
    await sleep(1_500);
    expect(acks(cmd.commandId).length).toBe(list.length);
    expect(requests.filter((r) => r.user === `camera:${serial}`)).toHaveLength(2);
    expect(from(serial, before).filter((m) => m.channel === 'status')).toEqual([]);
    expect(fleet.stats().firmware).toMatchObject({ redelivered: 2, busy: 0 });
    expect(fleet.stats().firmware.succeeded).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('corrupt: the hash does not match, it says so at verifying and keeps its old version', async () => {
    const serial = docked[1]!;
    failures.set(`camera:${serial}`, 'corrupt');
    const cmd = command();
    const since = await send('camera', serial, cmd);
    const last = await eventually(() => acks(cmd.commandId).find((a) => a.ok === false), 10_000);
    expect(last).toMatchObject({ stage: 'verifying', detail: 'sha256 mismatch' });
    expect(stageList(acks(cmd.commandId))).toEqual(['downloading', 'downloaded', 'verifying']);
    await sleep(REBOOT_MS * 2);
    const after = from(serial, since);
    expect(after.filter((m) => m.channel === 'status')).toEqual([]);
    expect(after.filter((m) => m.channel === 'telemetry').every((m) => m.body.firmware === OLD)).toBe(true);
    expect(fleet.stats().firmware.failed.corrupt).toBe(1);
  });

  it('install: it fails at installing and does not reboot', async () => {
    const serial = docked[2]!;
    failures.set(`camera:${serial}`, 'install');
    const cmd = command();
    const since = await send('camera', serial, cmd);
    const last = await eventually(() => acks(cmd.commandId).find((a) => a.ok === false), 10_000);
    expect(last).toMatchObject({ stage: 'installing', detail: expect.stringMatching(/install failed/) });
    expect(stageList(acks(cmd.commandId))).toEqual(['downloading', 'downloaded', 'verifying', 'installing']);
    await sleep(REBOOT_MS * 2);
    expect(from(serial, since).filter((m) => m.channel === 'status')).toEqual([]);
    expect(fleet.stats().firmware.failed.install).toBe(1);
  });

  it('vanish: it reboots and never comes back', async () => {
    const serial = docked[3]!;
    failures.set(`camera:${serial}`, 'vanish');
    const cmd = command();
    const since = await send('camera', serial, cmd);
    await eventually(() => reboot(serial, since).offlineAt, 10_000);
    await sleep(REBOOT_MS * 5);
    const r = reboot(serial, since);
    expect(r.statuses).toEqual([false]);
    expect(r.backAt).toBeUndefined();
    expect(fleet.stats().firmware.failed.vanish).toBe(1);
  });

  it('old-version: it reboots and comes back on the version it had', async () => {
    const serial = docked[4]!;
    failures.set(`camera:${serial}`, 'old-version');
    const cmd = command();
    const since = await send('camera', serial, cmd);
    const r = await rebooted(serial, since);
    expect(r.statuses.slice(0, 2)).toEqual([false, true]);
    expect(r.back!.body.firmware).toBe(OLD);
    expect(stageList(acks(cmd.commandId))).toEqual([...FIRMWARE_STAGES]);
    expect(fleet.stats().firmware.failed['old-version']).toBe(1);
  });

  it('refuses an artifact signed by a key it does not trust, and a download the server refuses', async () => {
    const bad = command({ signature: sign(null, artifact, stranger.privateKey).toString('base64') });
    await send('camera', docked[5]!, bad);
    const refused = command({ url: `${base}/fw/missing.bin` });
    await send('camera', docked[6]!, refused);
    expect(await eventually(() => acks(bad.commandId).find((a) => a.ok === false), 10_000)).toMatchObject({
      stage: 'verifying',
      detail: 'signature not valid for any trusted key',
    });
    expect(await eventually(() => acks(refused.commandId).find((a) => a.ok === false), 10_000)).toMatchObject(
      {
        stage: 'downloading',
        detail: 'download refused: HTTP 404',
      },
    );
    expect(fleet.stats().firmware.failed).toMatchObject({ verify: 1, download: 1 });
  });

  it('a camera out with an officer still obeys, and is counted as commanded while issued', async () => {
    const serial = undocked[0]!;
    const cmd = command();
    const since = await send('camera', serial, cmd);
    const r = await rebooted(serial, since);
    expect(r.back!.body).toMatchObject({ firmware: NEW, dock: null });
    // Only this one: every other command went to a docked camera.
    expect(fleet.stats().firmware.issuedCommanded).toBe(1);
  });

  it('a dock, on semantic versions, updates too', async () => {
    const first = messages.find((m) => m.id === dock && m.channel === 'telemetry');
    expect(first?.body.firmware).toBe('1.3.0');
    const cmd = command({ version: '1.4.0' });
    const since = await send('dock', dock, cmd);
    const r = await rebooted(dock, since);
    expect(r.back!.body.firmware).toBe('1.4.0');
    expect(stageList(acks(cmd.commandId))).toEqual([...FIRMWARE_STAGES]);
    expect(requests.filter((q) => q.user === `dock:${dock}`).map((q) => q.status)).toEqual([200]);
  });
});
