// API benchmark: seeds the demo force into a fresh embedded database, starts the platform as its own
// process (as `npm start` would), and drives it with 50 concurrent clients (autocannon) for a fixed
// time: camera reads, then check-out/check-in pairs (as fast as the clients can go, then paced at
// one pair a second per client); the same read load on a bare Express endpoint in its own process
// is the ceiling for this machine. Prints throughput, p50/p99 and CPU per request.
// Run: npm run bench:api   (BENCH_SECONDS=15 and BENCH_CONNECTIONS=50 by default)
import { systemContext } from '../src/shared/index.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import express from 'express';
import { loadConfig } from '../src/config.js';
import { startPlatform } from '../src/platform.js';
import { cpuSplit, freePorts, root, startPlatformProcess } from './bench-support.js';
import { seedDemo } from './demo-force.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

// Child mode: the bare Express ceiling, alone in its process like the platform is.
if (process.argv[2] === '--bare') {
  const app = express();
  app.get('/bare/:serial', (req, res) => {
    res.json({ serial: req.params.serial, status: 'in_stock', holder: null });
  });
  app.listen(Number(process.argv[3]), '127.0.0.1');
} else {
  await main();
}

async function waitFor(url: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Figures {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU milliseconds per request in the platform's processes and in its FerretDB (null: not measured). */
  cpu: { platform: number; ferretdb: number } | null;
}

type Cpu = { platform: number; ferretdb: number };

function figures(
  name: string,
  latencies: number[],
  seconds: number,
  errors: number,
  cpu: Cpu | null = null,
): Figures {
  const sorted = latencies.slice().sort((a, b) => a - b);
  const per = (s: number) => (1000 * s) / Math.max(1, sorted.length + errors);
  return {
    name,
    requests: sorted.length,
    rps: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors,
    cpu: cpu && { platform: per(cpu.platform), ferretdb: per(cpu.ferretdb) },
  };
}

/** CPU seconds a process tree used while `run` ran. */
async function measuringCpu<T>(pid: number, run: () => Promise<T>): Promise<[T, Cpu]> {
  const before = cpuSplit(pid);
  const result = await run();
  const after = cpuSplit(pid);
  return [result, { platform: after.platform - before.platform, ferretdb: after.ferretdb - before.ferretdb }];
}

/** Runs autocannon; `tag` names each response's kind by its position in the client's sequence. */
async function load(
  opts: autocannon.Options,
  tag: (nth: number) => string,
): Promise<Map<string, { latencies: number[]; errors: number }>> {
  const byKind = new Map<string, { latencies: number[]; errors: number }>();
  const result = await autocannon({
    connections: CONNECTIONS,
    duration: SECONDS,
    ...opts,
    setupClient: (client) => {
      opts.setupClient?.(client);
      let nth = 0;
      client.on('response', (status, _bytes, ms) => {
        const kind = tag(nth++);
        const bucket = byKind.get(kind) ?? { latencies: [], errors: 0 };
        if (status >= 200 && status < 300) bucket.latencies.push(ms);
        else bucket.errors++;
        byKind.set(kind, bucket);
      });
    },
  });
  if (result.errors > 0 || result.timeouts > 0) {
    console.warn(`  (${opts.title}: ${result.errors} socket errors, ${result.timeouts} timeouts)`);
  }
  return byKind;
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bwv-bench-'));
  const children: ChildProcess[] = [];
  try {
    // 1. Seed the demo force and prepare a stores user, then close (the server runs separately).
    process.stdout.write('Seeding the demo force into a fresh embedded database… ');
    const seedConfig = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      BWV_ADMIN_PASSWORD: 'bench-admin-password',
    });
    const seeder = await startPlatform(seedConfig);
    await seeder.ready;
    const { people, fleet, users } = seeder.services;
    const summary = await seedDemo(seeder.services);
    await users.create(
      {
        username: 'bench-stores',
        displayName: 'Bench stores desk',
        role: 'stores',
        password: 'bench-desk-quartz-5f2c',
      },
      systemContext,
    );
    const { token } = await users.createToken('bench-stores', 'bench', systemContext);
    const serials = (await fleet.allCameras({})).map((c) => c.serial);
    // One in-stock camera and one officer at the same station per client, so no client contends
    // with another: the figure is the cost of a check-out and a check-in, not of refusals.
    const pairs: Array<{ camera: string; officer: string }> = [];
    for (const station of await people.listStations()) {
      const cams = (await fleet.listCameras({ station: station.code, status: 'in_stock' }, 500, 0)).items;
      const offs = (await people.listOfficers({ station: station.code, active: true }, 500, 0)).items;
      for (let i = 0; i < Math.min(cams.length, offs.length); i++) {
        pairs.push({ camera: cams[i]!.serial, officer: offs[i]!.number });
      }
    }
    await seeder.close();
    console.log(`done (${JSON.stringify(summary)}).`);

    // 2. The platform, as its own process on that database (as `npm start` runs it).
    const [apiPort, barePort] = await freePorts(2);
    const platform = await startPlatformProcess({
      PORT: String(apiPort),
      MQTT_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      BWV_ADMIN_PASSWORD: 'bench-admin-password',
    });
    children.push(platform.child);
    children.push(
      spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/bench-api.ts', '--bare', String(barePort)], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );
    await waitFor(`http://127.0.0.1:${barePort}/bare/x`);
    const api = platform.url;
    const pid = platform.child.pid!;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const pick = () => serials[Math.floor(Math.random() * serials.length)]!;

    console.log(
      `Load: ${CONNECTIONS} concurrent clients, ${SECONDS} s per scenario, node ${process.version}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB\n`,
    );
    const results: Figures[] = [];

    const bare = await load(
      {
        title: 'bare',
        url: `http://127.0.0.1:${barePort}`,
        requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: `/bare/${pick()}` }) }],
      },
      () => 'read',
    );
    results.push(
      figures(
        'bare Express GET (ceiling)',
        bare.get('read')?.latencies ?? [],
        SECONDS,
        bare.get('read')?.errors ?? 0,
      ),
    );

    const [reads, readsCpu] = await measuringCpu(pid, () =>
      load(
        {
          title: 'reads',
          url: api,
          headers: auth,
          requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: `/api/v1/cameras/${pick()}` }) }],
        },
        () => 'read',
      ),
    );
    results.push(
      figures(
        'GET /api/v1/cameras/:serial',
        reads.get('read')?.latencies ?? [],
        SECONDS,
        reads.get('read')?.errors ?? 0,
        readsCpu,
      ),
    );

    // Check-out/check-in pairs, first as fast as 50 clients can go (saturation: latency is then
    // 50 ÷ throughput, Little's law), then paced like 50 busy stores desks at shift change: each
    // one check-out and one check-in a second (3,000 check-outs a minute), which is the latency a
    // person at a counter sees.
    for (const paced of [false, true]) {
      // Fresh pairs for the paced run: the saturated run stops mid-pair, leaving cameras issued.
      let nextPair = paced ? CONNECTIONS : 0;
      const [pairsRun, pairsCpu] = await measuringCpu(pid, () =>
        load(
          {
            title: paced ? 'paced pairs' : 'pairs',
            url: api,
            headers: auth,
            ...(paced && { connectionRate: 2 }),
            setupClient: (client) => {
              const pair = pairs[nextPair++ % pairs.length]!;
              client.setRequests([
                {
                  method: 'POST',
                  path: '/api/v1/checkouts',
                  body: JSON.stringify({ ...pair, mode: 'pool' }),
                },
                {
                  method: 'POST',
                  path: '/api/v1/checkins',
                  body: JSON.stringify({ camera: pair.camera, condition: 'ok' }),
                },
              ]);
            },
          },
          (nth) => (nth % 2 === 0 ? 'check-out' : 'check-in'),
        ),
      );
      for (const kind of ['check-out', 'check-in']) {
        const b = pairsRun.get(kind) ?? { latencies: [], errors: 0 };
        results.push(
          figures(
            `POST /api/v1/${kind === 'check-out' ? 'checkouts' : 'checkins'}${paced ? ' (paced, 1 pair/s per client)' : ''}`,
            b.latencies,
            SECONDS,
            b.errors,
            pairsCpu, // shared by check-outs and check-ins: per request of either kind
          ),
        );
      }
    }

    const ceiling = results[0]!.rps;
    console.log(
      '| scenario | requests | req/s | p50 ms | p99 ms | non-2xx | vs bare | CPU ms/request: platform + FerretDB |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const cpuCell = (c: Figures['cpu']) => (c ? `${c.platform.toFixed(2)} + ${c.ferretdb.toFixed(2)}` : '');
    for (const r of results) {
      console.log(
        `| ${r.name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${((100 * r.rps) / ceiling).toFixed(1)}% | ${cpuCell(r.cpu)} |`,
      );
    }
    const out = results.find((r) => r.name === 'POST /api/v1/checkouts')!;
    const pacedOut = results.find((r) => r.name.startsWith('POST /api/v1/checkouts (paced'))!;
    const read = results[1]!;
    console.log(
      `\nTargets: p99 check-out < 50 ms: ${out.p99.toFixed(1)} ms at saturation (${out.p99 < 50 ? 'met' : 'MISSED'}), ` +
        `${pacedOut.p99.toFixed(1)} ms paced (${pacedOut.p99 < 50 ? 'met' : 'MISSED'}); ` +
        `reads ≥ 1/3 of bare Express: ${((100 * read.rps) / ceiling).toFixed(1)}% (${read.rps >= ceiling / 3 ? 'met' : 'MISSED'}).`,
    );
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
    await rm(dataDir, { recursive: true, force: true });
  }
}
