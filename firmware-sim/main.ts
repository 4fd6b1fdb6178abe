// The fleet simulator. Runs N cameras and M docks against a broker with realistic behaviour, or
// (--from-register) the cameras and docks the platform already has.
// Prints one JSON line of counters per second on stdout; lines on stdin: `rate HZ`, `stats` (below).
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseCli, reportFailuresInOneLine } from './cli.js';
import { parseFwFail, parseTrustedKeys, type FwFailRates } from './firmware.js';
import { buildFleet, type RegisterFleet } from './model.js';
import { startOffloads } from './offload-loop.js';
import { provision, readCredentials, readRegister, registerFleet, writeCredentials } from './provision.js';
import { runFleet, type Credential } from './runner.js';

/**
 * The platform's broker as the platform's own environment names it: MQTT_PORT (and MQTT_HOST when
 * it binds one address), so `MQTT_PORT=1884 npm start` and `MQTT_PORT=1884 npm run sim` meet.
 */
const envBroker = () => {
  const host = process.env.MQTT_HOST;
  const local = !host || host === '0.0.0.0' || host === '::';
  return `mqtt://${local ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${process.env.MQTT_PORT || '1883'}`;
};

const USAGE = `usage: npm run sim -- [options]
  npm run sim -- --cameras 100 --docks 10 --api http://127.0.0.1:3000 --token bwv_…
  npm run sim -- --cameras 10000 --docks 800 --credentials fleet.json --broker mqtt://127.0.0.1:1883
  npm run sim -- --from-register --api http://127.0.0.1:3000 --token bwv_… --offload-every 60
options:
  --cameras N, --docks M   fleet size (100, 10)
  --from-register          drive the cameras and docks the platform already has (e.g. the demo
                           force): read from its register with --api/--token (IT or admin),
                           issued cameras out with their holders, the rest in docks at their station
  --at-risk F              with --from-register: share of issued cameras starting at risk, 0–1
                           (low battery, storage nearly full or full) (0.15)
  --offload-every S        with --api: every S seconds a dock offloads a synthetic clip of a camera
                           docked in it (ffmpeg; the first one at once) (off)
  --broker URL             MQTT broker (mqtt://127.0.0.1:$MQTT_PORT, as the platform: 1883)
  --give-up S              stop with a message when no device could connect within S seconds (30)
  --rate HZ                telemetry messages per device per second (1)
  --seed S                 the same seed gives the same fleet and behaviour (1)
  --speed X                simulated seconds per real second (60)
  --prefix P               id prefix of serials and docks (SIM)
  --api URL, --token T     provision credentials through the platform (token also from BWV_TOKEN)
  --credentials FILE       read credentials from FILE if it exists, else provision and write it
  --register STATION       put the fleet in the register at that station first (stores or admin)
  --duration S             stop after S seconds
  --tap-share F            share of shift starts with a badge tap at the dock, 0–1 (0.3)
  --drops-per-hour F       dropped connections per device per hour (0.5)
  --connect-rate N         new connections per second while the fleet comes up (1000)
firmware updates (cameras and docks obey firmware-update commands):
  --trusted-keys FILE      PEM with the vendor's Ed25519 public keys (env FIRMWARE_TRUSTED_KEYS)
  --fw-speed X             simulated seconds per real second for updates (as --speed); an update
                           takes size/2 MB/s + 5 s verify + 60 s install + 30 s reboot, simulated
  --fw-fail SPEC           share of devices failing each way, e.g.
                           corrupt=0.02,install=0.01,vanish=0.01,old-version=0.01 (the same
                           devices for the same --seed; corrupt: every download of that device)`;

const {
  values: a,
  num,
  fail,
} = parseCli(USAGE, {
  cameras: { type: 'string', default: '100' },
  docks: { type: 'string', default: '10' },
  broker: { type: 'string', default: envBroker() },
  'from-register': { type: 'boolean', default: false },
  'at-risk': { type: 'string', default: '0.15' },
  'offload-every': { type: 'string' },
  'give-up': { type: 'string', default: '30' },
  rate: { type: 'string', default: '1' },
  seed: { type: 'string', default: '1' },
  speed: { type: 'string', default: '60' },
  prefix: { type: 'string', default: 'SIM' },
  api: { type: 'string' },
  token: { type: 'string', default: process.env.BWV_TOKEN },
  credentials: { type: 'string' },
  register: { type: 'string' },
  duration: { type: 'string' },
  'tap-share': { type: 'string', default: '0.3' },
  'drops-per-hour': { type: 'string', default: '0.5' },
  'connect-rate': { type: 'string', default: '1000' },
  'trusted-keys': { type: 'string', default: process.env.FIRMWARE_TRUSTED_KEYS },
  'fw-speed': { type: 'string' },
  'fw-fail': { type: 'string' },
});
const log = (line: string) => process.stderr.write(`[sim] ${line}\n`);
reportFailuresInOneLine('[sim]');

const cameras = num('cameras', a.cameras);
const docks = num('docks', a.docks);
const behaviour = {
  rate: num('rate', a.rate),
  seed: num('seed', a.seed),
  speed: num('speed', a.speed),
  connectRate: num('connect-rate', a['connect-rate']),
  tapShare: num('tap-share', a['tap-share']),
  dropsPerHour: num('drops-per-hour', a['drops-per-hour']),
};
const duration = a.duration === undefined ? null : num('duration', a.duration);
const atRisk = num('at-risk', a['at-risk']);
if (atRisk > 1) fail('--at-risk is a share, 0–1');
const offloadEvery = a['offload-every'] === undefined ? null : num('offload-every', a['offload-every']);
if (offloadEvery === 0) fail('--offload-every must be more than 0');
if (offloadEvery !== null && !a.api) fail('--offload-every needs --api URL (docks offload to the platform)');
const giveUp = num('give-up', a['give-up']);
if (a['from-register'] && a.register) fail('--from-register drives the register as it is; drop --register');
const fwSpeed = a['fw-speed'] === undefined ? undefined : num('fw-speed', a['fw-speed']);
if (fwSpeed === 0) fail('--fw-speed must be more than 0');
let fwFail: FwFailRates = {};
try {
  fwFail = parseFwFail(a['fw-fail'] ?? '');
} catch (err) {
  fail((err as Error).message);
}
let trustedKeys: string | undefined;
if (a['trusted-keys']) {
  try {
    trustedKeys = readFileSync(a['trusted-keys'], 'utf8');
  } catch (err) {
    fail(`--trusted-keys: cannot read ${a['trusted-keys']} (${(err as NodeJS.ErrnoException).code})`);
  }
  let keys = 0;
  try {
    keys = parseTrustedKeys(trustedKeys ?? '').length;
  } catch {
    // counted as none below
  }
  if (keys === 0) fail(`--trusted-keys: ${a['trusted-keys']} holds no Ed25519 public key`);
}
const prefix = a.prefix;
let register: RegisterFleet | undefined;
if (a['from-register']) {
  const need = '--from-register reads the register: give --api URL and --token (or BWV_TOKEN)';
  register = {
    ...(await readRegister({ api: a.api || fail(need), token: a.token || fail(need), log })),
    atRisk,
  };
}
const layout = register
  ? { docks: register.docks, cameras: register.cameras }
  : buildFleet({ cameras, docks, prefix, rngFor: () => () => 0 });
const wanted = [
  ...layout.docks.map((d) => ({ kind: 'dock' as const, id: d.id })),
  ...layout.cameras.map((c) => ({ kind: 'camera' as const, id: c.serial })),
];

let creds: Credential[];
if (a.credentials && existsSync(a.credentials)) {
  creds = await readCredentials(a.credentials);
  log(`read ${creds.length} credentials from ${a.credentials}`);
} else {
  const need = 'give --api URL and --token (or BWV_TOKEN), or --credentials FILE';
  const api = a.api || fail(need);
  const token = a.token || fail(need);
  if (a.register) {
    await registerFleet({
      api,
      token,
      station: a.register,
      docks: layout.docks.map((d) => d.id),
      cameras: layout.cameras.map((c) => c.serial),
      log,
    });
  }
  creds = await provision({ api, token, devices: wanted, log });
  if (a.credentials) await writeCredentials(a.credentials, creds);
  log(`provisioned ${creds.length} devices`);
}

const fleet = await runFleet({
  broker: a.broker,
  cameras: layout.cameras.length,
  docks: layout.docks.length,
  prefix,
  ...(register && { register }),
  ...behaviour,
  credentials: new Map(creds.map((c) => [`${c.kind}:${c.id}`, c])),
  log,
  ...(fwSpeed !== undefined && { fwSpeed }),
  ...(trustedKeys !== undefined && { trustedKeys }),
  fwFail,
});

const started = Date.now();
// Not silent, and not for ever: until a first device is in, each few seconds say what the broker
// answers; none in within --give-up seconds is a wrong address or a platform that is not running.
// Once in, a broker that goes away is retried with back-off (runner.ts), and said so every 30 s.
let lastSaid = 0;
let everUp = false;
let downSince: number | null = null;
const watchdog = setInterval(() => {
  const s = fleet.stats();
  const now = Date.now();
  if (s.connected > 0) {
    everUp = true;
    downSince = null;
    return;
  }
  downSince ??= now;
  const why = s.lastConnectError ?? 'no answer';
  if (!everUp && giveUp > 0 && now - started >= giveUp * 1000) {
    log(
      `stopped: no device could connect to ${a.broker} in ${giveUp} s (${why}). Is the platform running, ` +
        'and is that its MQTT port? The simulator takes MQTT_PORT (and MQTT_HOST) from the environment as ' +
        'the platform does, or --broker URL.',
    );
    process.exit(1);
  }
  if (now - lastSaid >= (everUp ? 30_000 : 5_000)) {
    lastSaid = now;
    log(
      everUp
        ? `no device connected to ${a.broker} for ${Math.round((now - downSince) / 1000)} s (${why}); retrying with back-off`
        : `waiting for ${a.broker} (${why})`,
    );
  }
}, 1_000);
const offloads =
  offloadEvery !== null && a.api
    ? startOffloads({ api: a.api, everyMs: offloadEvery * 1000, fleet, credentials: creds, log })
    : null;
const printStats = () => {
  const mem = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ t: Math.round((Date.now() - started) / 1000), ...fleet.stats(), ...(offloads && { offloads: offloads.stats() }), rssMb: Math.round(mem.rss / 2 ** 20) })}\n`,
  );
};
const ticker = setInterval(printStats, 1_000);

// `rate HZ` changes the rate; `stats` prints the counters now (the benchmark reads them beside the
// platform's, where a line up to a second old skewed its msg/s by a few percent).
createInterface({ input: process.stdin }).on('line', (line) => {
  const m = /^rate ([\d.]+)$/.exec(line.trim());
  if (m) fleet.setRate(Number(m[1]));
  if (line.trim() === 'stats') printStats();
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  clearInterval(watchdog);
  log('stopping');
  void Promise.all([fleet.stop(), offloads?.stop()]).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (duration !== null) setTimeout(stop, duration * 1000);
