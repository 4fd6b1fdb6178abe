// Runs the platform as a real process (`tsx src/main.ts`, what `npm start` runs) for lifecycle tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '../..');

export interface PlatformProcess {
  child: ChildProcess;
  /** Every stdout line parsed as a log record (non-JSON lines are kept as { msg }). */
  logs: Array<Record<string, unknown>>;
  stderr: () => string;
  /** Resolves with the HTTP base URL once the process logs it. */
  url: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLog(pred: (l: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
}

/** Platform processes still running, so a test that fails half-way does not leave one behind. */
const running = new Set<ChildProcess>();

/**
 * Stops any platform a test started and did not stop (call it in afterEach): SIGTERM, which tsx
 * passes on to the platform, then SIGKILL if it is still there after 10 s.
 */
export async function killLeftoverPlatforms() {
  await Promise.all(
    [...running].map(async (child) => {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }),
  );
}

export function runPlatform(env: Record<string, string>, args: string[] = []): PlatformProcess {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts', ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line });
    }
    waiters.forEach((w) => w());
  });
  running.add(child);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const waitForLog = (pred: (l: Record<string, unknown>) => boolean, ms = 60_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`log not seen in ${ms} ms; stderr: ${stderr}`)), ms);
      const check = () => {
        const hit = logs.find(pred);
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
        }
      };
      waiters.push(check);
      check();
      void exit.then(() => {
        clearTimeout(timer);
        setTimeout(() => reject(new Error(`process exited; stderr: ${stderr}`)), 50);
      });
    });
  const url = waitForLog((l) => l.msg === 'HTTP listening').then((l) => String(l.url));
  url.catch(() => undefined); // a test that expects an early exit never awaits the URL
  return { child, logs, stderr: () => stderr, url, exit, waitForLog };
}

/** Pids of every descendant of `pid` (children, grandchildren, …), read from /proc. */
export function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      // stat: "pid (comm) state ppid …"; comm may contain spaces and parentheses.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      parentOf.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length > 0;) {
    const children = [...parentOf].filter(([, ppid]) => frontier.includes(ppid)).map(([p]) => p);
    found.push(...children);
    frontier = children;
  }
  return found;
}

/** The descendant of `pid` whose command line contains `text` (e.g. the FerretDB child), or undefined. */
export function descendantRunning(pid: number, text: string): number | undefined {
  return descendantsOf(pid).find((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}
