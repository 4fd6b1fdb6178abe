// npm run bench:firmware [-- --quick] — a firmware campaign over a whole simulated fleet.
// Starts the platform (embedded broker and database) as a process and the fleet simulator, puts
// 10% of the cameras in officers' hands on a shift running now, uploads signed camera and dock
// artifacts, and runs one campaign per kind (canary, then waves) while the simulator plays every
// device's side for real (download, hash and signature check, install, reboot) with 2% injected
// failures. A bus observer (a service identity subscribed to every command topic) counts what was
// really sent: how fast devices were notified, and whether any issued camera got a command.
// Telemetry latency (publish → visible through the API) is probed before the campaign and during
// it, side by side. Then a second campaign with 30% install failures must pause itself in its
// canary, and nothing outside the canary may be commanded.
// Prints its figures, then one JSON line last.
// Env: BENCH_CAMERAS (1500; --quick 200), BENCH_DOCKS (120; --quick 16), BENCH_SPEED (simulated
// seconds per real second for firmware steps, 20: an update's 95 simulated seconds take about 5 s).
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { provision, registerFleet, writeCredentials } from '../firmware-sim/provision.js';
import { buildFleet } from '../firmware-sim/model.js';
import { UNSETTLED } from '../src/firmware/updates.states.js';
import {
  adminToken,
  cpuSplit,
  freePorts,
  percentile,
  runSim,
  startPlatformProcess,
} from './bench-support.js';

const QUICK = process.argv.includes('--quick');
const CAMERAS = Number(process.env.BENCH_CAMERAS ?? (QUICK ? 200 : 1500));
const DOCKS = Number(process.env.BENCH_DOCKS ?? (QUICK ? 16 : 120));
const SPEED = Number(process.env.BENCH_SPEED ?? 20);
const STATIONS = QUICK ? 2 : 8;
const PASSWORD = 'bench-admin-password';
const SERVICE_PASSWORD = 'bench-service-password';
const PREFIX = 'FW';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

type Json = Record<string, unknown>;

/** A small API client with one bearer token. */
function api(url: string, token: string) {
  const call = async (method: string, p: string, body?: unknown, type = 'application/json') => {
    const res = await fetch(`${url}/api/v1/${p}`, {
      method,
      signal: AbortSignal.timeout(60_000),
      headers: { Authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': type }) },
      body:
        body === undefined
          ? undefined
          : body instanceof Uint8Array
            ? new Blob([Uint8Array.from(body)])
            : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${p}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as Json;
  };
  return {
    get: (p: string) => call('GET', p),
    post: (p: string, body: unknown = {}, type?: string) => call('POST', p, body, type),
    put: (p: string, body: unknown) => call('PUT', p, body),
  };
}

/** A user of `role` with an API token of their own. */
async function userToken(url: string, admin: ReturnType<typeof api>, username: string, role: string) {
  const password = `bench-${username}-pw-0123`;
  await admin.post('users', { username, displayName: username, role, password });
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'bench' }),
  });
  return api(url, ((await res.json()) as { token: string }).token);
}

/** Every firmware-update command on the bus: when, to whom. */
function observeCommands(client: MqttClient) {
  const sent: Array<{ t: number; device: string }> = [];
  client.on('message', (topic, payload) => {
    const cmd = JSON.parse(payload.toString()) as { type?: string };
    if (cmd.type === 'firmware-update') sent.push({ t: Date.now(), device: topic.split('/')[3]! });
  });
  return {
    sent,
    /** The most commands seen in any window of `ms` (60 s: the most sent in one real minute). */
    peakIn(ms = 60_000) {
      let best = 0;
      for (let i = 0, j = 0; j < sent.length; j++) {
        while (sent[j]!.t - sent[i]!.t > ms) i++;
        best = Math.max(best, j - i + 1);
      }
      return best;
    },
  };
}

/** Publish → visible latency of telemetry, from a camera of its own (as bench:telemetry). */
async function telemetryProbe(url: string, broker: string, admin: ReturnType<typeof api>, station: string) {
  const serial = 'PROBE1';
  await admin.post('cameras', { serial, model: 'PROBE-CAM', assetTag: `AT-${serial}`, station });
  const creds = (await admin.post(`cameras/${serial}/credentials`)) as { username: string; password: string };
  const client = await mqtt.connectAsync(broker, { ...creds, clientId: creds.username, reconnectPeriod: 0 });
  let samples: number[] = [];
  let stop = false;
  let marker = 0;
  const done = (async () => {
    while (!stop) {
      marker++;
      const t0 = performance.now();
      client.publish(
        `bwv/v1/cameras/${serial}/telemetry`,
        JSON.stringify({
          ts: new Date().toISOString(),
          battery: 50,
          charging: false,
          storageUsedMb: marker,
          storageTotalMb: 64_000,
          firmware: '9.9.9',
          recording: false,
          dock: null,
          assignedTo: null,
        }),
      );
      for (;;) {
        const s = (await admin.get(`cameras/${serial}/state`).catch(() => ({}))) as {
          storage?: { usedMb: number };
        };
        if (s.storage?.usedMb === marker || performance.now() - t0 > 10_000) break;
        await sleep(10);
      }
      samples.push(performance.now() - t0);
      await sleep(200);
    }
  })();
  return {
    take() {
      const out = samples;
      samples = [];
      return out;
    },
    async stop() {
      stop = true;
      await done;
      await client.endAsync();
    },
  };
}

const keys = () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, privateKey };
};

async function uploadArtifact(
  it: ReturnType<typeof api>,
  privateKey: ReturnType<typeof keys>['privateKey'],
  kind: 'camera' | 'dock',
  model: string,
  version: string,
  size: number,
) {
  const bytes = new Uint8Array(size).map((_, i) => (i * 31 + version.length) & 0xff);
  const signature = sign(null, bytes, privateKey).toString('base64');
  const q = new URLSearchParams({ kind, model, version, signature });
  const artifact = await it.post(`firmware/artifacts?${q}`, bytes, 'application/octet-stream');
  await it.put(`firmware/versions/${kind}/${model}/${version}`, { status: 'approved', reason: 'bench' });
  return artifact.id as string;
}

interface Progress {
  status: string;
  currentWave: number;
  pausedReason: string | null;
  total: number;
  counts: Record<string, number>;
  waiting: Array<{ reason: string; count: number }>;
}

/** Polls campaigns until each is finished (completed, paused, or only waiting devices are left). */
async function awaitCampaigns(it: ReturnType<typeof api>, ids: string[], limitS: number) {
  const t0 = Date.now();
  for (;;) {
    const all = (await Promise.all(
      ids.map((id) => it.get(`firmware/campaigns/${id}`)),
    )) as unknown as Progress[];
    const settled = all.every(
      (c) =>
        ['completed', 'paused', 'canceled'].includes(c.status) ||
        UNSETTLED.every((s) => (c.counts[s] ?? 0) === 0),
    );
    if (settled || Date.now() - t0 > limitS * 1000) return all;
    if ((Date.now() - t0) % 10_000 < 1_000)
      log(all.map((c) => `${c.status} wave ${c.currentWave} ${JSON.stringify(c.counts)}`).join(' | '));
    await sleep(1_000);
  }
}

const vendor = keys();

/**
 * A platform of its own (fresh embedded database), the fleet registered and provisioned, 10% of the
 * cameras issued to officers on a shift running now, a bus observer, and the simulator running with
 * the failures `fail` (its `--fw-fail`). Each run gets its own: see the README on why run 2 does not
 * reuse run 1's platform.
 */
async function bringUp(fail: string) {
  const work = await mkdtemp(path.join(tmpdir(), 'bwv-bench-fw-'));
  const [port, mqttPort] = (await freePorts(2)) as [number, number];
  const trusted = path.join(work, 'trusted.pem');
  await writeFile(trusted, vendor.publicPem);
  const { child, url } = await startPlatformProcess({
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    DATA_DIR: path.join(work, 'data'),
    BWV_ADMIN_PASSWORD: PASSWORD,
    MQTT_SERVICE_PASSWORD: SERVICE_PASSWORD,
    LOG_LEVEL: process.env.BENCH_PLATFORM_LOG_LEVEL ?? 'warn',
    FIRMWARE_TRUSTED_KEYS: trusted,
    FIRMWARE_TICK_MS: '500',
    // The longest step (install, 60 simulated s) takes 60/SPEED real s; a silent device fails soon after.
    FIRMWARE_STEP_TIMEOUT_S: String(Math.ceil(60 / SPEED) + 12),
    FIRMWARE_RETRY_BASE_S: '2',
  });
  const broker = `mqtt://127.0.0.1:${mqttPort}`;
  let sim: ReturnType<typeof runSim> | null = null;
  const close = async () => {
    sim?.child.kill('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(late);
    }
    await rm(work, { recursive: true, force: true });
  };
  try {
    const admin = api(url, await adminToken(url, PASSWORD));
    const token = await adminToken(url, PASSWORD);
    const itA = await userToken(url, admin, 'it-alice', 'it');
    const itB = await userToken(url, admin, 'it-bob', 'it');

    // The fleet: docks spread over stations, each camera at its home dock's station.
    const layout = buildFleet({ cameras: CAMERAS, docks: DOCKS, prefix: PREFIX, rngFor: () => () => 0 });
    const stationOf = (dockIndex: number) => `FW${String((dockIndex % STATIONS) + 1).padStart(2, '0')}`;
    for (let s = 0; s < STATIONS; s++) {
      const docks = layout.docks.filter((_, d) => d % STATIONS === s).map((d) => d.id);
      const cameras = layout.cameras.filter((_, i) => (i % DOCKS) % STATIONS === s).map((c) => c.serial);
      await registerFleet({ api: url, token, station: stationOf(s), docks, cameras, log });
    }
    const creds = await provision({
      api: url,
      token,
      devices: [
        ...layout.docks.map((d) => ({ kind: 'dock' as const, id: d.id })),
        ...layout.cameras.map((c) => ({ kind: 'camera' as const, id: c.serial })),
      ],
      log,
    });
    const credFile = path.join(work, 'fleet.json');
    await writeCredentials(credFile, creds);

    // 10% of cameras issued to officers on a shift running now.
    const issued = layout.cameras.filter((_, i) => i % 10 === 5).map((c, n) => ({ serial: c.serial, n }));
    const now = Date.now();
    for (let s = 0; s < STATIONS; s++) {
      const mine = issued.filter(({ serial }) => {
        const i = layout.cameras.findIndex((c) => c.serial === serial);
        return (i % DOCKS) % STATIONS === s;
      });
      const officers = mine.map(({ n }) => `OFW${String(n).padStart(5, '0')}`);
      for (const number of officers)
        await admin.post('officers', { number, name: `Officer ${number}`, station: stationOf(s) });
      if (officers.length)
        await admin.post('shifts', {
          station: stationOf(s),
          team: 'A',
          start: new Date(now - 3_600_000).toISOString(),
          end: new Date(now + 8 * 3_600_000).toISOString(),
          officers,
        });
      for (const [k, { serial }] of mine.entries())
        await admin.post('checkouts', { camera: serial, officer: officers[k], mode: 'personal' });
    }
    log(`${issued.length} cameras issued to officers on shift`);

    const observer = await mqtt.connectAsync(broker, {
      username: 'service:platform',
      password: SERVICE_PASSWORD,
      clientId: 'service:bench-observer',
    });
    await observer.subscribeAsync(['bwv/v1/cameras/+/commands', 'bwv/v1/docks/+/commands'], { qos: 1 });
    const commands = observeCommands(observer);

    const startSim = (fail: string) =>
      runSim([
        ...['--cameras', String(CAMERAS), '--docks', String(DOCKS), '--prefix', PREFIX, '--broker', broker],
        ...['--credentials', credFile, '--seed', '7', '--drops-per-hour', '0', '--tap-share', '0'],
        // Everything SPEED× faster: firmware steps, and the docks' offloads (a dock offloading clips
        // waits); over a few minutes' run shifts hardly move.
        ...['--speed', String(SPEED), '--trusted-keys', trusted, '--fw-fail', fail],
      ]);
    const connected = async (s: ReturnType<typeof runSim>) => {
      while ((s.stats().connected ?? 0) < CAMERAS + DOCKS) {
        if (s.child.exitCode !== null) throw new Error('simulator exited');
        await sleep(500);
      }
      await sleep(3_000); // first telemetry of every device
    };
    sim = startSim(fail);
    await connected(sim);
    log('fleet connected');
    return { url, child, broker, admin, itA, itB, issued, stationOf, commands, observer, close };
  } catch (err) {
    await close();
    throw err;
  }
}

let up = await bringUp('corrupt=0.005,install=0.005,vanish=0.005,old-version=0.005');
try {
  const { url, child, broker, admin, itA, itB, issued, stationOf, commands } = up;
  const probe = await telemetryProbe(url, broker, admin, stationOf(0));
  await sleep(QUICK ? 8_000 : 20_000);
  const idleLatency = probe.take();

  const camArtifact = await uploadArtifact(itA, vendor.privateKey, 'camera', 'SIM-CAM', '2.5.0', 256 * 1024);
  const dockArtifact = await uploadArtifact(
    itA,
    vendor.privateKey,
    'dock',
    'SIM-DOCK12',
    '1.4.0',
    128 * 1024,
  );
  const settings = { successThreshold: 90, errorThreshold: { percent: 10 }, groups: [25, 75] };
  const camCampaign = await itA.post('firmware/campaigns', {
    name: 'Cameras 2.5.0',
    artifact: camArtifact,
    canarySize: 20,
    ...settings,
  });
  const dockCampaign = await itA.post('firmware/campaigns', {
    name: 'Docks 1.4.0',
    artifact: dockArtifact,
    canarySize: 4,
    ...settings,
  });
  const cpu0 = cpuSplit(child.pid!);
  const t0 = Date.now();
  await itB.post(`firmware/campaigns/${camCampaign.id as string}/approve`);
  await itB.post(`firmware/campaigns/${dockCampaign.id as string}/approve`);
  const finished = await awaitCampaigns(itA, [camCampaign.id as string, dockCampaign.id as string], 900);
  const wallSeconds = Math.round((Date.now() - t0) / 1000);
  const cpu1 = cpuSplit(child.pid!);
  const campaignLatency = probe.take();
  await probe.stop();
  const sum = (state: string) => finished.reduce((a, c) => a + (c.counts[state] ?? 0), 0);
  const issuedSet = new Set(issued.map((c) => c.serial));
  const main = {
    devices: finished.reduce((a, c) => a + c.total, 0),
    succeeded: sum('succeeded'),
    failed: sum('failed'),
    waiting: sum('waiting'),
    statuses: finished.map((c) => c.status),
    issuedCommanded: commands.sent.filter((c) => issuedSet.has(c.device)).length,
    notifiedPerMinute: commands.peakIn(60_000),
    // A wave's eligible devices are all sent within seconds, then the wave waits for them: the
    // engine's pace shows in its busiest 10 s, a minute's count is bounded by how many are eligible.
    notifiedPerMinuteAtPeak: commands.peakIn(10_000) * 6,
    waitingReasons: finished
      .flatMap((c) => c.waiting)
      .reduce<Record<string, number>>((acc, w) => {
        const reason = w.reason.replace(/^officer \S+/, 'officer …');
        acc[reason] = (acc[reason] ?? 0) + w.count;
        return acc;
      }, {}),
    wallSeconds,
    platformCpuSeconds: Number((cpu1.platform - cpu0.platform).toFixed(1)),
    ferretdbCpuSeconds: Number((cpu1.ferretdb - cpu0.ferretdb).toFixed(1)),
    telemetryP99Ms: {
      idle: Math.round(percentile(idleLatency, 99)),
      campaign: Math.round(percentile(campaignLatency, 99)),
    },
  };
  log(JSON.stringify(main));

  // Run 2: a fresh platform and fleet, with 30% install failures; the canary must stop it.
  await up.observer.endAsync();
  await up.close();
  up = await bringUp('install=0.3');
  const run2 = up;
  const bad = await uploadArtifact(run2.itA, vendor.privateKey, 'camera', 'SIM-CAM', '2.6.0', 256 * 1024);
  const before = run2.commands.sent.length;
  const risky = await run2.itA.post('firmware/campaigns', {
    name: 'Cameras 2.6.0',
    artifact: bad,
    canarySize: 20,
    ...settings,
  });
  await run2.itB.post(`firmware/campaigns/${risky.id as string}/approve`);
  const [paused] = await awaitCampaigns(run2.itA, [risky.id as string], 600);
  await sleep(5_000); // anything sent after the pause would show by now
  const canary = new Set(
    (
      (await run2.itA.get(`firmware/campaigns/${risky.id as string}/devices?wave=0&limit=500`))
        .items as Array<{
        device: string;
      }>
    ).map((d) => d.device),
  );
  const sentRun2 = run2.commands.sent.slice(before);
  const canaryRun = {
    autoPaused: paused!.status === 'paused',
    pausedReason: paused!.pausedReason,
    commanded: new Set(sentRun2.map((c) => c.device)).size,
    commandedAfterPause: sentRun2.filter((c) => !canary.has(c.device)).length,
  };
  log(JSON.stringify(canaryRun));

  console.log(`\nFirmware campaign, ${CAMERAS} cameras + ${DOCKS} docks, simulator speed ${SPEED}×:`);
  console.log(
    `  succeeded ${main.succeeded}, failed ${main.failed}, waiting ${main.waiting} of ${main.devices}; ` +
      `${main.wallSeconds} s; peak ${main.notifiedPerMinute} devices notified in a minute, ` +
      `${main.notifiedPerMinuteAtPeak} a minute at the busiest 10 s (ThingsBoard's default pace: 100)`,
  );
  console.log(`  why devices still wait: ${JSON.stringify(main.waitingReasons)}`);
  console.log(`  issued cameras commanded: ${main.issuedCommanded}`);
  console.log(
    `  CPU: platform ${main.platformCpuSeconds} s, FerretDB ${main.ferretdbCpuSeconds} s; telemetry p99 ${main.telemetryP99Ms.idle} ms before the campaign, ${main.telemetryP99Ms.campaign} ms during it`,
  );
  console.log(
    `Canary with 30% failures: auto-paused ${canaryRun.autoPaused} (${canaryRun.pausedReason}); ` +
      `${canaryRun.commanded} devices commanded, ${canaryRun.commandedAfterPause} outside the canary`,
  );
  console.log(JSON.stringify({ ...main, canaryFailureRun: canaryRun }));
  await run2.observer.endAsync();
} finally {
  await up.close();
}
