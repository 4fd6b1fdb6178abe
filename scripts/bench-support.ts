// Shared by the benchmarks: run the platform as a process, log in, sample a process tree's CPU and memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const root = path.resolve(import.meta.dirname, '..');

/** n distinct free ports (held open together while choosing, so they cannot repeat). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** The node flags `npm start` and `npm run sim` give (package.json; README, telemetry, says why). */
const NODE_FLAGS = ['--max-semi-space-size=64'];

/**
 * Runs `src/main.ts` in its own node (through tsx's loader, as `npm start` does). Flags in
 * BENCH_PLATFORM_NODE_ARGS reach that node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile a run.
 */
export async function startPlatformProcess(env: Record<string, string>) {
  const nodeArgs = process.env.BENCH_PLATFORM_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...NODE_FLAGS, ...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    // BENCH_PLATFORM_LOG=file keeps the platform's log (stdout) there, for a run that went wrong;
    // BENCH_PLATFORM_ERR=file its stderr, where the embedded FerretDB's goroutine dump lands on SIGQUIT.
    stdio: [
      'ignore',
      process.env.BENCH_PLATFORM_LOG ? openSync(process.env.BENCH_PLATFORM_LOG, 'a') : 'ignore',
      'pipe',
    ],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  if (process.env.BENCH_PLATFORM_ERR)
    child.stderr!.on('data', (d: Buffer) => appendFileSync(process.env.BENCH_PLATFORM_ERR!, d));
  const url = `http://127.0.0.1:${env.PORT}`;
  let exited = false;
  child.once('exit', (code, signal) => {
    exited = true;
    if (code !== 0) process.stderr.write(`platform exited (${code ?? signal}) ${stderr}\n`);
  });
  for (const deadline = Date.now() + 180_000; ;) {
    if (exited) throw new Error(`platform exited: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`platform not ready: ${stderr}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  return { child, url };
}

export async function adminToken(api: string, password: string): Promise<string> {
  const login = await fetch(`${api}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!login.ok) throw new Error(`login: ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const res = await fetch(`${api}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (!res.ok) throw new Error(`token: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** All pids in the tree under `pid` (the platform and its FerretDB child). */
function tree(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const kids = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const k of kids ? kids.split(/\s+/) : []) out.push(...tree(Number(k)));
    }
  } catch {
    /* exited */
  }
  return out;
}

/** CPU seconds (user+system) and RSS bytes of one process. */
function usage(pid: number) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    const rssPages = Number(f[21]);
    return { cpu: ticks / 100, rss: rssPages * 4096 };
  } catch {
    return { cpu: 0, rss: 0 };
  }
}

/**
 * CPU seconds used so far by a process and all its descendants, running or ended: each living
 * process's own time plus that of the children it has reaped. (A process's own "children" figures
 * count only reaped children, so model processes kept alive between clips would go uncounted.)
 */
export function treeCpuSeconds(pid = process.pid): number {
  let total = 0;
  for (const p of tree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
    } catch {
      /* exited between listing and reading: its time is in its parent's reaped figures */
    }
  }
  return total;
}

/** CPU seconds used so far by a process tree, split into the embedded FerretDB and the rest. */
export function cpuSplit(pid: number): { ferretdb: number; platform: number } {
  const out = { ferretdb: 0, platform: 0 };
  for (const p of tree(pid)) {
    let comm = '';
    try {
      comm = readFileSync(`/proc/${p}/comm`, 'utf8');
    } catch {
      continue; // exited
    }
    out[comm.startsWith('ferretdb') ? 'ferretdb' : 'platform'] += usage(p).cpu;
  }
  return out;
}

/** Samples a process tree: cpu() gives cores used since the last call, rssMb() the tree's memory. */
export function meter(pid: number) {
  const total = () => tree(pid).reduce((a, p) => a + usage(p).cpu, 0);
  let last = { t: Date.now(), cpu: total() };
  return {
    cores() {
      const now = { t: Date.now(), cpu: total() };
      const cores = (now.cpu - last.cpu) / ((now.t - last.t) / 1000);
      last = now;
      return cores;
    },
    rssMb: () => Math.round(tree(pid).reduce((a, p) => a + usage(p).rss, 0) / 2 ** 20),
  };
}

export function runSim(args: string[]) {
  const child: ChildProcess = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    [...NODE_FLAGS, 'firmware-sim/main.ts', ...args],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let latest: Record<string, number> = {};
  let waiting: Array<(stats: Record<string, number>) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      latest = JSON.parse(line) as Record<string, number>;
    } catch {
      return;
    }
    waiting.forEach((resolve) => resolve(latest));
    waiting = [];
  });
  return {
    child,
    /** The counters of the last per-second line (up to a second old). */
    stats: () => latest,
    /** The counters as of now: asks the simulator for a line (the last one if none comes in 2 s). */
    sample: () =>
      new Promise<Record<string, number>>((resolve) => {
        waiting.push(resolve);
        setTimeout(() => resolve(latest), 2_000).unref();
        if (child.exitCode === null) child.stdin!.write('stats\n');
      }),
  };
}

export const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
