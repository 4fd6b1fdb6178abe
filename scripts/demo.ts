// The demo in one command: seeds the demo force into its own data folder (again and again: only
// what is missing is added, the roster rolls forward), starts the platform on it, puts cameras in
// the hands of the officers on shift now (the desk at shift change), runs the simulator on the
// seeded devices (cameras report, docks offload synthetic clips, some officers at risk) and prints
// where to log in. Ctrl-C stops the simulator, then the platform.
// Run: npm run demo [-- --small] [-- --data DIR]   (PORT and MQTT_PORT as for npm start)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { startPlatform, type Platform } from '../src/platform.js';
import { systemContext, type Role } from '../src/shared/index.js';
import { DEMO, DEMO_SMALL } from './demo-force.js';
import { seedEverything } from './demo-seed.js';
import { issueForShiftsNow } from './demo-shift.js';

const USAGE = `usage: npm run demo [-- options]
options:
  --data DIR          the demo's own data folder (data/demo); another folder, another demo
  --small             a tenth of the force (130 officers, 150 cameras, 24 docks): seeds in seconds
  --rate HZ           telemetry per device per second (0.2)
  --offload-every S   a dock offloads a synthetic clip every S seconds (60; the first at once)
environment: PORT (3000), MQTT_PORT (1883), HOST, LOG_LEVEL (warn), as for npm start`;

let args;
try {
  args = parseArgs({
    options: {
      data: { type: 'string', default: 'data/demo' },
      small: { type: 'boolean', default: false },
      rate: { type: 'string', default: '0.2' },
      'offload-every': { type: 'string', default: '60' },
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
for (const name of ['rate', 'offload-every'] as const) {
  if (!(Number(args[name]) > 0)) {
    process.stderr.write(`--${name} must be a number above 0 (got "${args[name]}")\n\n${USAGE}\n`);
    process.exit(2);
  }
}

const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(args.data);
const say = (line: string) => process.stdout.write(`[demo] ${line}\n`);
/** A path as the user would type it: relative under the current folder, else absolute. */
const shown = (p: string) => {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
};

/** The demo's users: one per role, the desk and the inspector at Central. */
const USERS: Array<{ username: string; displayName: string; role: Role; station?: string }> = [
  { username: 'admin', displayName: 'Administrator', role: 'admin' },
  { username: 'stores.cen', displayName: 'Stores desk, Central', role: 'stores', station: 'CEN' },
  { username: 'inspector.cen', displayName: 'Duty inspector, Central', role: 'inspector', station: 'CEN' },
  { username: 'it', displayName: 'IT', role: 'it' },
  { username: 'auditor', displayName: 'Auditor', role: 'auditor' },
  { username: 'reviewer', displayName: 'Redaction reviewer', role: 'reviewer' },
  { username: 'programme', displayName: 'Programme lead', role: 'programme-lead' },
  { username: 'board', displayName: 'Programme board', role: 'board' },
];
/** The token the simulator reads the register and provisions devices with (IT's). */
const SIM_TOKEN_NAME = 'demo simulator';

/**
 * The demo users' passwords: generated on the first run, kept in the data folder (readable by its
 * owner only) and printed on every run, since a demo is for showing. A user whose password is not
 * in the file (the file deleted, a folder seeded by `seed:demo`) gets a new one.
 */
async function demoLogins(): Promise<{ passwords: Record<string, string>; fresh: Set<string> }> {
  const file = path.join(dataDir, 'demo-logins.json');
  const passwords = existsSync(file)
    ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, string>)
    : {};
  const fresh = new Set<string>();
  for (const u of USERS) {
    if (typeof passwords[u.username] === 'string') continue;
    passwords[u.username] = `demo-${randomBytes(12).toString('base64url')}`;
    fresh.add(u.username);
  }
  await writeFile(file, JSON.stringify(passwords, null, 2), { mode: 0o600 });
  return { passwords, fresh };
}

async function ensureUsers(s: Platform['services'], logins: Awaited<ReturnType<typeof demoLogins>>) {
  const existing = new Set((await s.users.list()).map((u) => u.username));
  for (const u of USERS) {
    const password = logins.passwords[u.username]!;
    if (!existing.has(u.username))
      await s.users.create({ ...u, station: u.station ?? null, password }, systemContext);
    else if (logins.fresh.has(u.username)) await s.users.update(u.username, { password }, systemContext);
  }
  // One live simulator token: the last run's is revoked.
  for (const t of await s.users.tokensOf('it'))
    if (t.name === SIM_TOKEN_NAME && !t.revokedAt)
      await s.users.revokeToken(t.id, { username: 'it', role: 'it' }, systemContext);
  return (await s.users.createToken('it', SIM_TOKEN_NAME, systemContext)).token;
}

await mkdir(dataDir, { recursive: true });
const logins = await demoLogins();
let config;
try {
  config = loadConfig({
    LOG_LEVEL: 'warn',
    ...process.env,
    // The demo always runs on the embedded database and broker in its own folder: never a real one.
    MONGODB_URI: '',
    MQTT_URL: '',
    DATA_DIR: dataDir,
    BWV_ADMIN_PASSWORD: logins.passwords.admin,
  });
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}

say(`data folder ${shown(dataDir)}; starting the platform…`);
const platform = await startPlatform(config);
let sim: ChildProcess | null = null;
let shiftTimer: NodeJS.Timeout | null = null;
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  if (shiftTimer) clearInterval(shiftTimer);
  const deadline = setTimeout(() => process.exit(1), 20_000).unref();
  const child = sim;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await platform.close().catch(() => undefined);
  clearTimeout(deadline);
  say('stopped.');
  // As main.ts: agenda leaves timers behind after it stopped.
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0));

try {
  await platform.ready;
  await seedEverything(platform.services, { size: args.small ? DEMO_SMALL : DEMO, log: say });
  const token = await ensureUsers(platform.services, logins);
  const desk = async () => {
    const r = await issueForShiftsNow(platform.services);
    say(
      `desk: ${r.onDuty} officers on shift now; ${r.issued} cameras issued, ${r.returned} returned from officers off shift, ` +
        `${r.without} on shift without a camera${r.refused ? `, ${r.refused} check-outs refused` : ''}.`,
    );
  };
  await desk();
  // Shifts change while the demo runs (every 8 hours): the desk follows.
  shiftTimer = setInterval(() => {
    desk().catch((err: unknown) => say(`desk: ${(err as Error).message}`));
  }, 5 * 60_000);

  const mqttPort = new URL(platform.mqttUrl).port;
  sim = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--max-semi-space-size=64',
      path.join(root, 'firmware-sim/main.ts'),
      ...['--from-register', '--api', `http://127.0.0.1:${new URL(platform.url).port}`],
      ...['--rate', args.rate],
      ...['--speed', '1', '--offload-every', args['offload-every'], '--drops-per-hour', '0.1'],
    ],
    {
      cwd: root,
      // The simulator finds the broker as the platform's environment names it (MQTT_PORT).
      env: { ...process.env, MQTT_PORT: mqttPort, MQTT_HOST: '127.0.0.1', BWV_TOKEN: token },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  sim.once('exit', (code, signal) => {
    if (stopping) return;
    say(`the simulator stopped (${signal ?? `exit code ${code}`}); stopping the demo.`);
    void stop(1);
  });

  const users = USERS.map((u) => `    ${u.username.padEnd(14)} ${logins.passwords[u.username]}   ${u.role}`);
  const url = platform.url.replace('//0.0.0.0:', '//localhost:').replace('//127.0.0.1:', '//localhost:');
  process.stdout.write(
    [
      '',
      `  The demo force is moving. Log in at ${url} as:`,
      ...users,
      `  (passwords generated on the first run, kept in ${shown(path.join(dataDir, 'demo-logins.json'))})`,
      `  Devices: MQTT on port ${mqttPort}. Ctrl-C stops everything.`,
      '',
      `[demo] ready: ${url} (login admin)`,
      '',
    ].join('\n'),
  );
} catch (err) {
  process.stderr.write(`[demo] could not start: ${(err as Error).message}\n`);
  await stop(1);
}
