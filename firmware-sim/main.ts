// The fleet simulator. Runs N cameras and M docks against a broker with realistic behaviour.
//   npm run sim -- --cameras 100 --docks 10 --api http://127.0.0.1:3000 --token bwv_…
//   npm run sim -- --cameras 10000 --docks 800 --credentials fleet.json --broker mqtt://127.0.0.1:1883
// Options: --broker URL (default mqtt://127.0.0.1:1883) --rate HZ (per device, default 1) --seed S
// --speed X (simulated seconds per second, default 60) --prefix P (id prefix, default SIM)
// --credentials FILE (read it if it exists, else provision through --api/--token and write it)
// --register STATION (put the fleet in the register at that station first; stores or admin token)
// --duration S (stop after S seconds) --tap-share F (0–1) --drops-per-hour F --connect-rate N
// Prints one JSON line of counters per second on stdout; a line `rate HZ` on stdin changes the rate.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { buildFleet } from './model.js';
import { provision, readCredentials, registerFleet, writeCredentials } from './provision.js';
import { runFleet, type Credential } from './runner.js';

const { values: a } = parseArgs({
  options: {
    cameras: { type: 'string', default: '100' },
    docks: { type: 'string', default: '10' },
    broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    rate: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    speed: { type: 'string', default: '60' },
    prefix: { type: 'string', default: 'SIM' },
    api: { type: 'string' },
    token: { type: 'string', default: process.env.BWV_TOKEN },
    credentials: { type: 'string' },
    /** Register the fleet's docks and cameras at this station first (needs a stores/admin token). */
    register: { type: 'string' },
    duration: { type: 'string' },
    'tap-share': { type: 'string', default: '0.3' },
    'drops-per-hour': { type: 'string', default: '0.5' },
    'connect-rate': { type: 'string', default: '1000' },
  },
});
const num = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
  return n;
};
const log = (line: string) => process.stderr.write(`[sim] ${line}\n`);

const cameras = num('cameras', a.cameras);
const docks = num('docks', a.docks);
const prefix = a.prefix;
const layout = buildFleet({ cameras, docks, prefix, rngFor: () => () => 0 });
const wanted = [
  ...layout.docks.map((d) => ({ kind: 'dock' as const, id: d.id })),
  ...layout.cameras.map((c) => ({ kind: 'camera' as const, id: c.serial })),
];

let creds: Credential[];
if (a.credentials && existsSync(a.credentials)) {
  creds = await readCredentials(a.credentials);
  log(`read ${creds.length} credentials from ${a.credentials}`);
} else {
  if (!a.api || !a.token) throw new Error('give --api URL and --token (or BWV_TOKEN), or --credentials FILE');
  if (a.register) {
    await registerFleet({
      api: a.api,
      token: a.token,
      station: a.register,
      docks: layout.docks.map((d) => d.id),
      cameras: layout.cameras.map((c) => c.serial),
      log,
    });
  }
  creds = await provision({ api: a.api, token: a.token, devices: wanted, log });
  if (a.credentials) await writeCredentials(a.credentials, creds);
  log(`provisioned ${creds.length} devices`);
}

const fleet = await runFleet({
  broker: a.broker,
  cameras,
  docks,
  prefix,
  rate: num('rate', a.rate),
  seed: num('seed', a.seed),
  speed: num('speed', a.speed),
  connectRate: num('connect-rate', a['connect-rate']),
  tapShare: num('tap-share', a['tap-share']),
  dropsPerHour: num('drops-per-hour', a['drops-per-hour']),
  credentials: new Map(creds.map((c) => [`${c.kind}:${c.id}`, c])),
  log,
});

const started = Date.now();
const ticker = setInterval(() => {
  const mem = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ t: Math.round((Date.now() - started) / 1000), ...fleet.stats(), rssMb: Math.round(mem.rss / 2 ** 20) })}\n`,
  );
}, 1_000);

createInterface({ input: process.stdin }).on('line', (line) => {
  const m = /^rate ([\d.]+)$/.exec(line.trim());
  if (m) fleet.setRate(Number(m[1]));
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  log('stopping');
  void fleet.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (a.duration) setTimeout(stop, num('duration', a.duration) * 1000);
