// npm run bench:dashboard — the fleet overview under a 10,000-device fleet, in headless chromium.
// Seeds the demo force into a fresh embedded database, starts the platform and the fleet simulator
// (BENCH_CAMERAS + BENCH_DOCKS devices at BENCH_RATE messages/s each), opens the fleet overview as
// a force-wide user and prints:
//   - time to first meaningful render (navigation start → device rows on screen, the whole fleet counted)
//   - JavaScript shipped, gzipped
//   - live-update latency p50/p99: a probe camera publishes a new battery level over MQTT → the
//     page shows it (measured in the page by a MutationObserver, same clock)
//   - Socket.IO bytes per second per client: on the wire (a second client with permessage-deflate,
//     counting TCP bytes) and decompressed (the browser's frames)
// The simulated fleet is registered at a station SIM beside the demo force's 1,500 cameras.
// The page is opened once the fleet has reported for BENCH_SETTLE_S: 10,000 devices joining within
// seconds (retained presence, first readings, a shift's check-outs) is a storm of its own, and the
// figures are for an inspector opening the dashboard while the fleet runs as usual.
// Env: BENCH_CAMERAS (9200), BENCH_DOCKS (800), BENCH_RATE (1), BENCH_PROBES (40), BENCH_BYTES_S (15),
// BENCH_SETTLE_S (30). `npm run bench:dashboard -- --quick` (or BENCH_QUICK=1): 2,000 devices, no
// demo force, shorter waits: a minute or two on a loaded machine (the full run takes several).
// The bytes per client are those of a socket showing what the page shows (the fleet list's rows on
// screen: src/realtime/views.ts); the JSON line printed last holds the figures.
/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { connect as netConnect, type NetConnectOpts } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import mqtt from 'mqtt';
import { launchChromium } from '../test/helpers/browser.js';
import WebSocket from 'ws';
import { buildFleet } from '../firmware-sim/model.js';
import { provision, registerFleet } from '../firmware-sim/provision.js';
import { writeFile } from 'node:fs/promises';
import {
  adminToken,
  freePorts,
  meter,
  percentile,
  root,
  runSim,
  startPlatformProcess,
} from './bench-support.js';

const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const CAMERAS = Number(process.env.BENCH_CAMERAS ?? (QUICK ? 1_900 : 9_200));
const DOCKS = Number(process.env.BENCH_DOCKS ?? (QUICK ? 100 : 800));
const RATE = Number(process.env.BENCH_RATE ?? 1);
const PROBES = Number(process.env.BENCH_PROBES ?? (QUICK ? 10 : 40));
const BYTES_S = Number(process.env.BENCH_BYTES_S ?? (QUICK ? 10 : 15));
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? (QUICK ? 5 : 30));
const PASSWORD = 'bench-admin-password';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${s}\n`);

/**
 * In the page: when each step of the first load ended (Navigation, Resource and User Timing).
 * A string, not a function: tsx names inner functions with a helper the page does not have.
 */
const LOAD_STEPS = `(() => {
  const at = (t) => (t === undefined ? null : Math.round(t));
  const res = performance.getEntriesByType('resource');
  const first = (re) => res.find((r) => re.test(r.name));
  const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime;
  return {
    html: at(performance.getEntriesByType('navigation')[0]?.responseEnd),
    script: at(first(/\\/assets\\/.*\\.js$/)?.responseEnd),
    me: at(first(/\\/api\\/v1\\/me$/)?.responseEnd),
    socketConnected: at(mark('live:connected')),
    snapshot: at(mark('live:snapshot')),
  };
})()`;

function jsGzipBytes() {
  const dir = path.join(root, 'web/dist/assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((n, f) => n + gzipSync(readFileSync(path.join(dir, f)), { level: 9 }).length, 0);
}

async function sessionCookie(url: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  return login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Registers the simulator's fleet (same ids as firmware-sim) and issues its MQTT credentials in bulk. */
async function provisionFleet(url: string, token: string, file: string) {
  const layout = buildFleet({ cameras: CAMERAS, docks: DOCKS, prefix: 'SIM', rngFor: () => () => 0 });
  const devices = [
    ...layout.docks.map((d) => ({ kind: 'dock' as const, id: d.id })),
    ...layout.cameras.map((c) => ({ kind: 'camera' as const, id: c.serial })),
  ];
  // Credentials are issued only for registered devices: put the simulated fleet in the register.
  await registerFleet({
    api: url,
    token,
    station: 'SIM',
    docks: layout.docks.map((d) => d.id),
    cameras: layout.cameras.map((c) => c.serial),
    log,
  });
  const out = await provision({ api: url, token, devices, log });
  await writeFile(file, JSON.stringify(out), { mode: 0o600 });
}

/**
 * A bare Engine.IO/Socket.IO client over `ws` with permessage-deflate that shows the same rows as the
 * page (`view`), counting bytes on its TCP socket (on the wire) and its messages' bytes
 * (decompressed). The socket is the one `ws` is given (createConnection): counting on the upgrade
 * response's socket, as before, counted nothing, and printed 0.0 KiB/s on the wire.
 */
function wireCounter(url: string, cookie: string, rows: string[]) {
  let wire = 0;
  let frames = 0;
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, {
    headers: { cookie },
    perMessageDeflate: true,
    createConnection: ((opts: NetConnectOpts) => {
      const socket = netConnect(opts);
      socket.on('data', (d: Buffer) => (wire += d.length));
      return socket;
    }) as typeof netConnect,
  });
  ws.on('message', (data: Buffer) => {
    frames += data.length;
    const s = data.toString();
    if (s.startsWith('0')) ws.send('40');
    else if (s.startsWith('40')) ws.send(`42${JSON.stringify(['view', { devices: rows }])}`);
    else if (s === '2') ws.send('3');
  });
  return { wire: () => wire, frames: () => frames, close: () => ws.close() };
}

/**
 * One Socket.IO connection timed from outside the browser, in ms from the request: the upgrade
 * answered (session and user read), Engine.IO's open packet, connected (the namespace admitted
 * it), the snapshot received;
 * and, for comparison, a plain HTTP request of the same session and the health endpoint.
 */
async function connectTiming(url: string, cookie: string, perMessageDeflate: boolean) {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const steps: Record<string, number> = {};
  await new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      headers: { cookie },
      perMessageDeflate,
    });
    const timer = setTimeout(() => (ws.terminate(), reject(new Error('no snapshot in 30 s'))), 30_000);
    ws.on('upgrade', () => (steps.upgraded = ms()));
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const m = data.toString();
      if (m.startsWith('0')) {
        steps.opened = ms();
        ws.send('40');
      } else if (m.startsWith('40')) steps.connected = ms();
      else if (m.startsWith('42["snapshot"')) {
        steps.snapshot = ms();
        clearTimeout(timer);
        ws.close();
        resolve();
      }
    });
  });
  const timed = async (path: string, headers: Record<string, string> = {}) => {
    const t = performance.now();
    await (await fetch(`${url}${path}`, { headers })).arrayBuffer();
    return Math.round(performance.now() - t);
  };
  return { ...steps, me: await timed('/api/v1/me', { cookie }), healthz: await timed('/healthz') };
}

const work = await mkdtemp(path.join(tmpdir(), 'bwv-bench-dash-'));
const [httpPort, mqttPort] = (await freePorts(2)) as [number, number];
const env = {
  DATA_DIR: work,
  PORT: String(httpPort),
  MQTT_PORT: String(mqttPort),
  BWV_ADMIN_PASSWORD: PASSWORD,
  LOG_LEVEL: 'warn',
};
let platform: Awaited<ReturnType<typeof startPlatformProcess>> | null = null;
let sim: ReturnType<typeof runSim> | null = null;
try {
  execFileSync('bash', ['scripts/build-web.sh'], { cwd: root, stdio: 'inherit' });
  if (!QUICK) {
    log('seeding the demo force');
    execFileSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/seed-demo.ts'], {
      cwd: root,
      env: { ...process.env, ...env, PORT: '0', MQTT_PORT: '0' },
      stdio: 'inherit',
    });
  }
  platform = await startPlatformProcess(env);
  const { url } = platform;
  const token = await adminToken(url, PASSWORD);
  const credFile = path.join(work, 'fleet.json');
  await provisionFleet(url, token, credFile);
  // The live-latency probe: a camera of its own at the simulated station, registered before the
  // page opens so its row is in the snapshot (credentials are issued for registered devices only).
  await fetch(`${url}/api/v1/cameras`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ serial: 'PROBE1', model: 'SIM-CAM', assetTag: 'AT-PROBE1', station: 'SIM' }),
  });
  const creds = (await (
    await fetch(`${url}/api/v1/cameras/PROBE1/credentials`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    })
  ).json()) as { username: string; password: string };
  log(`simulator: ${CAMERAS} cameras + ${DOCKS} docks at ${RATE} msg/s each`);
  sim = runSim([
    ...['--cameras', String(CAMERAS), '--docks', String(DOCKS), '--rate', String(RATE)],
    ...['--broker', `mqtt://127.0.0.1:${mqttPort}`, '--api', url, '--token', token],
    ...['--credentials', credFile, '--seed', '5', '--drops-per-hour', '0'],
    // Real time, as bench:telemetry: the demo clock's shift changes are a check-out storm.
    ...['--speed', '1'],
  ]);
  const t0 = Date.now();
  // Go on once nearly all are up (or after two minutes): a straggler must not stall the benchmark.
  while ((sim.stats().connected ?? 0) < 0.98 * (CAMERAS + DOCKS) && Date.now() - t0 < 120_000) {
    if (sim.child.exitCode !== null) throw new Error('simulator exited');
    await sleep(500);
  }
  log(`simulator counters: ${JSON.stringify(sim.stats())}`);
  log(`fleet connected in ${Math.round((Date.now() - t0) / 1000)} s`);

  // The same launch as the browser tests: Debian's chromium, kept off the closed network. Started
  // and given a blank tab before the wait: an inspector's browser is already running (on their own
  // machine), and Chromium starting up here takes the CPU the platform runs on.
  const { browser } = await launchChromium();
  const cpu = meter(platform.child.pid!);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const cookie = await sessionCookie(url);
    await context.addCookies([
      { name: 'bwv.sid', value: decodeURIComponent(cookie.split('=').slice(1).join('=')), url },
    ]);
    const page = await context.newPage();
    log(`letting it report for ${SETTLE_S} s`);
    await sleep(SETTLE_S * 1000);
    let frameBytes = 0;
    page.on('websocket', (ws) =>
      ws.on(
        'framereceived',
        (f) =>
          (frameBytes += typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length),
      ),
    );

    // First meaningful render: the device list shows rows, and its count the whole simulated fleet
    // (the snapshot arrived; live diffs alone are not the fleet).
    await page.goto(`${url}/#/fleet`);
    await page.waitForFunction(
      (fleet) =>
        document.querySelectorAll('[data-device]').length > 5 &&
        Number(
          /of (\d+)/.exec(document.querySelector('[data-testid=device-count]')?.textContent ?? '')?.[1],
        ) >= fleet,
      CAMERAS + DOCKS,
      { timeout: 60_000, polling: 'raf' },
    );
    const firstRender = await page.evaluate(() => performance.now());
    const shown = await page.getByTestId('device-count').textContent();
    log(`first render ${Math.round(firstRender)} ms (${shown})`);
    log(`where it went (ms after navigation start): ${JSON.stringify(await page.evaluate(LOAD_STEPS))}`);
    for (const deflate of [true, false, true, false]) {
      const timed = await connectTiming(url, cookie, deflate);
      log(`a socket's connection (permessage-deflate ${deflate}), timed: ${JSON.stringify(timed)}`);
    }

    // Bytes per second per client, over BYTES_S seconds: the page's frames (decompressed, as the
    // browser hands them over), and a second client showing the same rows, counted on the wire.
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-device]')].map(
        (el) => `${el.textContent?.startsWith('Dock ') ? 'dock' : 'camera'}:${el.dataset.device ?? ''}`,
      ),
    );
    const wire = wireCounter(url, cookie, rows);
    await sleep(3_000);
    const [w0, d0, f0] = [wire.wire(), wire.frames(), frameBytes];
    cpu.cores();
    await sleep(BYTES_S * 1000);
    const wireRate = (wire.wire() - w0) / BYTES_S;
    const wireDecompressed = (wire.frames() - d0) / BYTES_S;
    const frameRate = (frameBytes - f0) / BYTES_S;
    const cores = cpu.cores();
    wire.close();

    // Live-update latency: a probe camera publishes a new battery level; the page reports when its row shows it.
    const probe = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      ...creds,
      clientId: creds.username,
      reconnectPeriod: 0,
    });
    const publish = (battery: number) =>
      probe.publishAsync(
        'bwv/v1/cameras/PROBE1/telemetry',
        JSON.stringify({
          ts: new Date().toISOString(),
          battery,
          charging: false,
          storageUsedMb: 100,
          storageTotalMb: 64_000,
          firmware: 'probe',
          recording: false,
          dock: null,
          assignedTo: null,
        }),
      );
    await publish(50);
    await page.getByLabel('Search serial or officer').fill('PROBE1');
    await page.waitForSelector('[data-device="PROBE1"]', { timeout: 30_000 });
    // No named function inside: tsx's transform would wrap it in a `__name` helper the page lacks.
    await page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { seen: Record<string, number> }).seen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-device="PROBE1"] [data-field="battery"]')?.textContent;
        if (text && !(text in seen)) seen[text] = Date.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const latencies: number[] = [];
    for (let i = 0; i < PROBES; i++) {
      const battery = 1 + (i % 98);
      await page.evaluate(
        (b) => delete (window as unknown as { seen: Record<string, number> }).seen[`${b}%`],
        battery,
      );
      const sent = Date.now();
      await publish(battery);
      const handle = await page.waitForFunction(
        (b) => (window as unknown as { seen: Record<string, number> }).seen[`${b}%`],
        battery,
        { timeout: 10_000, polling: 20 },
      );
      latencies.push(((await handle.jsonValue()) as number) - sent);
      await sleep(300 + Math.random() * 400);
    }
    await probe.endAsync();

    const p = (q: number) => Math.round(percentile(latencies, q));
    const js = jsGzipBytes();
    const ingest = sim.stats();
    console.log(`
Dashboard benchmark: ${CAMERAS + DOCKS} simulated devices at ${RATE} msg/s each (demo force seeded: 1,500 cameras, 120 docks in the register)
  time to first meaningful render   ${Math.round(firstRender)} ms   (target < 2000)   [${shown}]
  JavaScript shipped (gzip -9)      ${(js / 1024).toFixed(1)} KiB   (target < 250 KB)
  live-update latency (n=${latencies.length})     p50 ${p(50)} ms, p99 ${p(99)} ms   (target p99 < 1500)
  socket bytes/s per client         ${(wireRate / 1024).toFixed(1)} KiB/s on the wire (permessage-deflate), ${(wireDecompressed / 1024).toFixed(1)} KiB/s decompressed; the page ${(frameRate / 1024).toFixed(1)} KiB/s decompressed (target < 50, ${rows.length} rows shown)
  platform CPU while streaming      ${cores.toFixed(2)} cores (platform + FerretDB)
  simulator counters                ${JSON.stringify(ingest)}`);
    // Last, one JSON line for scripts (bench:report).
    console.log(
      JSON.stringify({
        devices: CAMERAS + DOCKS,
        rate: RATE,
        quick: QUICK,
        firstRenderMs: Math.round(firstRender),
        jsGzipKiB: Number((js / 1024).toFixed(1)),
        liveLatencyMs: { p50: p(50), p99: p(99), n: latencies.length },
        socketKiBps: {
          wire: Number((wireRate / 1024).toFixed(2)),
          decompressed: Number((wireDecompressed / 1024).toFixed(2)),
          page: Number((frameRate / 1024).toFixed(2)),
          rowsShown: rows.length,
        },
        platformCores: Number(cores.toFixed(2)),
      }),
    );
  } finally {
    await browser.close();
  }
} finally {
  sim?.child.kill('SIGTERM');
  if (sim) await new Promise((r) => sim!.child.once('exit', r));
  platform?.child.kill('SIGTERM');
  if (platform) await new Promise((r) => platform!.child.once('exit', r));
  await rm(work, { recursive: true, force: true });
}
