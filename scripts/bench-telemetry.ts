// npm run bench:telemetry — how much telemetry the platform ingests on this machine.
// Starts the platform (embedded broker and database) and the fleet simulator, steps the telemetry
// rate up, and for each step reports: offered and ingested msg/s, whether a backlog grows,
// publish-to-visible latency p50/p99 (probe publishes → reading visible through the API), CPU in
// cores (the platform with FerretDB, and the simulator, which shares the machine), the hypervisor's
// steal and memory. Then runs the same simulator against Debian's Mosquitto alone, with one
// subscriber counting, as the broker ceiling.
// Env: BENCH_CAMERAS (10000), BENCH_DOCKS (800), BENCH_RATES ("0.5,1,1.5,2"), BENCH_STEP_S (20);
// MQTT_BROKER_NICE is passed on to the platform (0 shows it without the broker thread's priority).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { adminToken, freePorts, meter, percentile, runSim, startPlatformProcess } from './bench-support.js';

const CAMERAS = Number(process.env.BENCH_CAMERAS ?? 10_000);
const DOCKS = Number(process.env.BENCH_DOCKS ?? 800);
const RATES = (process.env.BENCH_RATES ?? '0.5,1,1.5,2').split(',').map(Number);
const STEP_S = Number(process.env.BENCH_STEP_S ?? 20);
// Unmeasured time at each new rate. Timelines of 1 msg/s steps showed slow probes bunched in the
// first ten seconds or so after the step up (the fleet joins at 0.1 msg/s), then fewer: a transition,
// not the sustained rate this measures.
const WARMUP_S = 15;
const PASSWORD = 'bench-admin-password';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

interface StepResult {
  offered: number;
  ingested: number;
  backlogGrowth: number;
  p50: number;
  p99: number;
  cores: number;
  simCores: number;
  /** Share of the machine's CPU time the hypervisor gave to other guests (steal), percent. */
  stealPct: number;
  rssMb: number;
}

const telemetry = (storageUsedMb: number) =>
  JSON.stringify({
    ts: new Date().toISOString(),
    battery: 50,
    charging: false,
    storageUsedMb,
    storageTotalMb: 64_000,
    firmware: 'probe',
    recording: false,
    dock: null,
    assignedTo: null,
  });

/** Publishes a marked reading and waits until `visible(marker)`; records the latency. */
function probeLoop(client: MqttClient, serial: string, visible: (marker: number) => Promise<boolean>) {
  const samples: number[] = [];
  let stop = false;
  let marker = 0;
  const done = (async () => {
    while (!stop) {
      marker++;
      const t0 = performance.now();
      client.publish(`bwv/v1/cameras/${serial}/telemetry`, telemetry(marker));
      while (
        !stop &&
        !(await visible(marker).catch(
          (err: Error) => (
            log(`probe: ${err.message} ${String((err.cause as Error | undefined)?.message)}`),
            false
          ),
        ))
      ) {
        if (performance.now() - t0 > 10_000) break;
        await sleep(10);
      }
      samples.push(performance.now() - t0);
      await sleep(100);
    }
  })();
  return {
    take: () => samples.splice(0),
    async stop() {
      stop = true;
      await done;
    },
  };
}

/** CPU time the hypervisor gave other guests (steal), as a percentage of all since the last call. */
function stealMeter() {
  const read = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { steal: f[7] ?? 0, total: f.reduce((a, b) => a + b, 0) };
  };
  let last = read();
  return () => {
    const now = read();
    const pct = (100 * (now.steal - last.steal)) / Math.max(1, now.total - last.total);
    last = now;
    return pct;
  };
}

async function stepThrough(
  sim: ReturnType<typeof runSim>,
  received: () => Promise<number>,
  probes: Array<{ take: () => number[] }>,
  m: { cores(): number; rssMb(): number },
): Promise<Array<StepResult & { rate: number }>> {
  const results = [];
  const simMeter = meter(sim.child.pid!);
  const steal = stealMeter();
  for (const rate of RATES) {
    sim.child.stdin!.write(`rate ${rate}\n`);
    await sleep(WARMUP_S * 1000);
    probes.forEach((p) => p.take());
    m.cores();
    simMeter.cores();
    steal();
    const t0 = Date.now();
    const [sent0, recv0] = await Promise.all([sim.sample().then((s) => s.published ?? 0), received()]);
    await sleep(STEP_S * 1000);
    const dt = (Date.now() - t0) / 1000;
    const [sent1, recv1] = await Promise.all([sim.sample().then((s) => s.published ?? 0), received()]);
    const lat = probes.flatMap((p) => p.take());
    const r = {
      rate,
      offered: Math.round((sent1 - sent0) / dt),
      ingested: Math.round((recv1 - recv0) / dt),
      backlogGrowth: Math.round((sent1 - recv1 - (sent0 - recv0)) / dt),
      p50: Math.round(percentile(lat, 50)),
      p99: Math.round(percentile(lat, 99)),
      cores: Number(m.cores().toFixed(2)),
      simCores: Number(simMeter.cores().toFixed(2)),
      stealPct: Number(steal().toFixed(1)),
      rssMb: m.rssMb(),
    };
    log(JSON.stringify(r));
    results.push(r);
  }
  return results;
}

async function platformPhase(work: string) {
  const [port, mqttPort] = (await freePorts(2)) as [number, number];
  const { child, url } = await startPlatformProcess({
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    DATA_DIR: path.join(work, 'data'),
    BWV_ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
    ...(process.env.MQTT_BROKER_NICE && { MQTT_BROKER_NICE: process.env.MQTT_BROKER_NICE }),
  });
  try {
    const token = await adminToken(url, PASSWORD);
    const broker = `mqtt://127.0.0.1:${mqttPort}`;
    const credFile = path.join(work, 'fleet.json');
    log(`provisioning ${CAMERAS} cameras and ${DOCKS} docks through the API`);
    const t0 = Date.now();
    const sim = runSim([
      ...['--cameras', String(CAMERAS), '--docks', String(DOCKS), '--broker', broker, '--rate', '0.1'],
      ...[
        '--api',
        url,
        '--token',
        token,
        '--register',
        'SIM',
        '--credentials',
        credFile,
        '--seed',
        '7',
        '--drops-per-hour',
        '0',
        // Real time: the simulator's demo clock (60×) makes the fleet's shift changes about a
        // hundred self-allocation check-outs a second, a load no force has, not telemetry.
        '--speed',
        '1',
      ],
    ]);
    while ((sim.stats().connected ?? 0) < CAMERAS + DOCKS) {
      if (sim.child.exitCode !== null) throw new Error('simulator exited');
      await sleep(500);
    }
    log(`fleet provisioned and connected in ${Math.round((Date.now() - t0) / 1000)} s`);

    const headers = { Authorization: `Bearer ${token}` };
    const probes = await Promise.all(
      ['PROBE1', 'PROBE2'].map(async (serial) => {
        await fetch(`${url}/api/v1/cameras`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ serial, model: 'SIM-CAM', assetTag: `AT-${serial}`, station: 'SIM' }),
        });
        const res = await fetch(`${url}/api/v1/cameras/${serial}/credentials`, { method: 'POST', headers });
        const creds = (await res.json()) as { username: string; password: string };
        const client = await mqtt.connectAsync(broker, {
          ...creds,
          clientId: creds.username,
          reconnectPeriod: 0,
        });
        return probeLoop(client, serial, async (marker) => {
          const r = await fetch(`${url}/api/v1/cameras/${serial}/state`, { headers });
          return r.ok && ((await r.json()) as { storage?: { usedMb: number } }).storage?.usedMb === marker;
        });
      }),
    );
    const received = async () => {
      const r = await fetch(`${url}/api/v1/telemetry/stats`, { headers });
      return ((await r.json()) as { received: number }).received;
    };
    const results = await stepThrough(sim, received, probes, meter(child.pid!));
    await Promise.all(probes.map((p) => p.stop()));
    sim.child.kill('SIGTERM');
    await new Promise((r) => sim.child.once('exit', r));
    return { results, credFile };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function mosquittoPhase(work: string, credFile: string) {
  const [port] = (await freePorts(1)) as [number];
  const conf = path.join(work, 'mosquitto.conf');
  // The ceiling: the broker alone, no authentication, no persistence.
  await writeFile(
    conf,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n`,
  );
  const broker = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  await sleep(500);
  const url = `mqtt://127.0.0.1:${port}`;
  try {
    const sub = await mqtt.connectAsync(url, { clientId: 'bench-counter' });
    let count = 0;
    const waiting = new Map<number, (v: boolean) => void>();
    sub.on('message', (topic, payload) => {
      count++;
      if (topic.includes('/PROBE')) {
        const marker = (JSON.parse(payload.toString()) as { storageUsedMb: number }).storageUsedMb;
        waiting.get(marker)?.(true);
      }
    });
    await sub.subscribeAsync('bwv/v1/#', { qos: 1 });
    const sim = runSim([
      ...['--cameras', String(CAMERAS), '--docks', String(DOCKS), '--broker', url, '--rate', '0.1'],
      ...['--credentials', credFile, '--seed', '7', '--drops-per-hour', '0', '--speed', '1'],
    ]);
    while ((sim.stats().connected ?? 0) < CAMERAS + DOCKS) {
      if (sim.child.exitCode !== null) throw new Error('simulator exited');
      await sleep(500);
    }
    const probeClient = await mqtt.connectAsync(url, { clientId: 'bench-probe' });
    const seen = new Set<number>();
    sub.on('message', (topic, payload) => {
      if (topic.includes('/PROBE'))
        seen.add((JSON.parse(payload.toString()) as { storageUsedMb: number }).storageUsedMb);
    });
    const probe = probeLoop(probeClient, 'PROBE1', (marker) => Promise.resolve(seen.has(marker)));
    const results = await stepThrough(sim, () => Promise.resolve(count), [probe], meter(broker.pid!));
    await probe.stop();
    sim.child.kill('SIGTERM');
    await new Promise((r) => sim.child.once('exit', r));
    await Promise.all([sub.endAsync(), probeClient.endAsync()]);
    return results;
  } finally {
    broker.kill('SIGTERM');
  }
}

const work = await mkdtemp(path.join(tmpdir(), 'bwv-bench-'));
try {
  log(`${CAMERAS} cameras, ${DOCKS} docks; rates per device: ${RATES.join(', ')} Hz; ${STEP_S} s per step`);
  const platform = await platformPhase(work);
  const ceiling = await mosquittoPhase(work, platform.credFile);
  const keepsUp = (r: StepResult) => r.backlogGrowth <= r.offered * 0.02 && r.p99 < 1000;
  const best = [...platform.results].reverse().find(keepsUp);
  const table = (rows: Array<StepResult & { rate: number }>) =>
    rows
      .map(
        (r) =>
          `| ${r.rate} | ${r.offered} | ${r.ingested} | ${r.backlogGrowth} | ${r.p50} | ${r.p99} | ${r.cores} | ${r.simCores} | ${r.stealPct} | ${r.rssMb} |`,
      )
      .join('\n');
  const head =
    '| Hz/device | offered msg/s | ingested msg/s | backlog growth msg/s | p50 ms | p99 ms | CPU cores | sim cores | steal % | RSS MB |\n|---|---|---|---|---|---|---|---|---|---|';
  console.log(
    `\nPlatform (embedded aedes + ingestion + FerretDB), ${CAMERAS + DOCKS} devices:\n${head}\n${table(platform.results)}`,
  );
  console.log(`\nMosquitto alone (broker ceiling, one counting subscriber):\n${head}\n${table(ceiling)}`);
  console.log(
    `\nHighest sustained rate: ${best ? `${best.offered} msg/s (${best.rate} Hz per device), p50 ${best.p50} ms, p99 ${best.p99} ms` : 'none of the steps kept up'}`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
