// Where a check-out's time goes, with SQLite's synchronous FULL beside NORMAL in the same run: two
// platforms in this process, each on its own embedded FerretDB (EMBEDDED_DB_SYNCHRONOUS full and
// normal), with 12 stations, 300 officers and 300 cameras of the demo force. Then
//   1. one request at a time, alternating between them: every database command each check-out and
//      check-in sends (driver command monitoring), when it started and how long it took;
//   2. paced desks on both at once (PROBE_DESKS each, one check-out + one check-in a second) for
//      PROBE_SECONDS: p50/p99 of each, under the same machine load.
// Run: npx tsx scripts/probe-desk.ts   (PROBE_PAIRS=30 PROBE_DESKS=10 PROBE_SECONDS=20)
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { startPlatform, type Platform } from '../src/platform.js';
import { systemContext } from '../src/shared/index.js';
import { camerasCsv, officersCsv } from './demo-force.js';
import { percentile } from './bench-support.js';

const PAIRS = Number(process.env.PROBE_PAIRS ?? 30);
const DESKS = Number(process.env.PROBE_DESKS ?? 10);
const SECONDS = Number(process.env.PROBE_SECONDS ?? 20);
const MODES = ['full', 'normal'] as const;
type Mode = (typeof MODES)[number];
interface Cmd {
  name: string;
  coll: string;
  at: number;
  ms: number;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Command monitoring on the connections the platforms open.
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with its own `this` below
const openUri = mongoose.Connection.prototype.openUri;
mongoose.Connection.prototype.openUri = function (this: mongoose.Connection, uri: string, opts = {}) {
  return openUri.call(this, uri, { ...opts, monitorCommands: true });
};

async function start(mode: Mode) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `bwv-probe-${mode}-`));
  const platform = await startPlatform(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      BWV_ADMIN_PASSWORD: 'probe-admin-password',
      EMBEDDED_DB_SYNCHRONOUS: mode,
    }),
  );
  await platform.ready;
  const commands: Cmd[] = [];
  const started = new Map<number, Cmd>();
  return { mode, dataDir, platform, commands, started };
}

/** Seeds part of the demo force; returns a stores token and pairs of camera and officer. */
async function seed(platform: Platform) {
  const { people, fleet, users } = platform.services;
  for (const code of ['CEN', 'NTH', 'STH', 'EST', 'WST', 'HBR', 'AIR', 'RVS', 'HLT', 'MKT', 'VLY', 'CST'])
    await people.createStation({ code, name: code }, systemContext);
  const first = (csv: string, n: number) =>
    csv
      .split('\n')
      .slice(0, n + 1)
      .join('\n');
  await people.importOfficers(first(officersCsv(), 300), false, systemContext);
  await fleet.importCameras(first(camerasCsv(), 300), false, systemContext);
  await users.create(
    { username: 'probe', displayName: 'Probe', role: 'stores', password: 'probe-desk-quartz-5f2c' },
    systemContext,
  );
  const { token } = await users.createToken('probe', 'probe', systemContext);
  const pairs: Array<{ camera: string; officer: string }> = [];
  for (const station of await people.listStations()) {
    const cams = (await fleet.listCameras({ station: station.code, status: 'in_stock' }, 500, 0)).items;
    const offs = (await people.listOfficers({ station: station.code, active: true }, 500, 0)).items;
    for (let i = 0; i < Math.min(cams.length, offs.length); i++)
      pairs.push({ camera: cams[i]!.serial, officer: offs[i]!.number });
  }
  return { token, pairs };
}

const platforms: Array<Awaited<ReturnType<typeof start>> & Awaited<ReturnType<typeof seed>>> = [];
for (const mode of MODES) {
  const p = await start(mode);
  // The connection this platform just opened is the last one mongoose knows.
  const client = mongoose.connections
    .filter((c) => c.readyState === mongoose.ConnectionStates.connected)
    .at(-1)!
    .getClient();
  client.on('commandStarted', (e) => {
    const target = (e.command as Record<string, unknown>)[e.commandName];
    const coll = typeof target === 'string' ? target : '';
    p.started.set(e.requestId, { name: e.commandName, coll, at: performance.now(), ms: 0 });
  });
  client.on('commandSucceeded', (e) => finish(e.requestId));
  client.on('commandFailed', (e) => finish(e.requestId));
  const finish = (id: number) => {
    const c = p.started.get(id);
    if (!c) return;
    p.started.delete(id);
    c.ms = performance.now() - c.at;
    p.commands.push(c);
  };
  platforms.push({ ...p, ...(await seed(p.platform)) });
}

try {
  const call = async (
    p: (typeof platforms)[number],
    kind: 'check-out' | 'check-in',
    pair: { camera: string; officer: string },
  ) => {
    const [url, body] =
      kind === 'check-out'
        ? ['/api/v1/checkouts', { ...pair, mode: 'pool' }]
        : ['/api/v1/checkins', { camera: pair.camera, condition: 'ok' }];
    const t0 = performance.now();
    const res = await fetch(p.platform.url + url, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.text();
    if (!res.ok) throw new Error(`${p.mode} ${kind}: ${res.status}`);
    return { t0, ms: performance.now() - t0 };
  };

  // 1. One request at a time.
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const traces = new Map<string, Array<{ ms: number; cmds: Cmd[] }>>();
  for (let i = 0; i < PAIRS; i++) {
    for (const p of platforms) {
      for (const kind of ['check-out', 'check-in'] as const) {
        const before = p.commands.length;
        const { t0, ms } = await call(p, kind, p.pairs[i]!);
        const cmds = p.commands.splice(before).map((c) => ({ ...c, at: c.at - t0 }));
        if (i >= 3)
          traces.set(`${p.mode} ${kind}`, [...(traces.get(`${p.mode} ${kind}`) ?? []), { ms, cmds }]);
        await sleep(50);
      }
    }
  }
  for (const [key, ts] of traces) {
    const ms = ts.map((t) => t.ms);
    const db = ts.map((t) => t.cmds.reduce((a, c) => a + c.ms, 0));
    console.log(
      `\n${key}, one at a time: p50 ${percentile(ms, 50).toFixed(1)} ms, p90 ${percentile(ms, 90).toFixed(1)} ms; ` +
        `${(ts.reduce((a, t) => a + t.cmds.length, 0) / ts.length).toFixed(1)} commands, ${percentile(db, 50).toFixed(1)} ms in them (p50)`,
    );
    const sample = ts.find((t) => t.ms === percentile(ms, 50))!;
    for (const c of sample.cmds)
      console.log(
        `   +${c.at.toFixed(1).padStart(6)} ms ${c.ms.toFixed(1).padStart(6)} ms  ${c.name} ${c.coll}`,
      );
    console.log(`   = ${sample.ms.toFixed(1)} ms`);
  }

  // 2. Paced desks on both platforms at once.
  const paced = new Map<string, number[]>();
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    platforms.flatMap((p) =>
      Array.from({ length: DESKS }, async (_, d) => {
        const pair = p.pairs[PAIRS + d]!;
        await sleep((1000 * d) / DESKS);
        while (performance.now() < deadline) {
          const t = performance.now();
          for (const kind of ['check-out', 'check-in'] as const) {
            const { ms } = await call(p, kind, pair);
            paced.set(`${p.mode} ${kind}`, [...(paced.get(`${p.mode} ${kind}`) ?? []), ms]);
          }
          await sleep(Math.max(0, 1000 - (performance.now() - t)));
        }
      }),
    ),
  );
  console.log(
    `\n${DESKS} desks on each, one check-out + one check-in a second each, ${SECONDS} s, both at once (load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}):`,
  );
  for (const [key, ms] of paced)
    console.log(
      `  ${key.padEnd(16)} n ${ms.length}  p50 ${percentile(ms, 50).toFixed(1)}  p99 ${percentile(ms, 99).toFixed(1)} ms`,
    );
} finally {
  for (const p of platforms) {
    await p.platform.close();
    await rm(p.dataDir, { recursive: true, force: true });
  }
}
