// The embedded database: FerretDB (SQLite backend) built from scripts/ferretdb on demand
// and run as a child process on a free loopback port. See docs/database.md.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sourceDir = path.join(root, 'scripts/ferretdb');
const cacheDir = path.join(root, '.cache/ferretdb');
/** What the binary is built from (scripts/ferretdb/): a change to any of them builds a new one. */
const BUILD_INPUTS = [
  'main.go',
  'go.mod',
  'go.sum',
  'build.sh',
  'more-to-come.patch',
  'update-statements.patch',
];

export class EmbeddedDbError extends Error {}

/** Path of the FerretDB binary for the current sources, building it first if needed. */
export async function ensureFerretdbBinary(log: (msg: string) => void = () => {}): Promise<string> {
  let goVersion: string;
  try {
    goVersion = (await run('go', ['env', 'GOVERSION'])).stdout.trim();
  } catch {
    throw new EmbeddedDbError(
      'The embedded database needs the Go toolchain to build FerretDB, and `go` was not found. ' +
        'Install Go 1.24 or newer (Debian: apt-get install golang-go) or set MONGODB_URI to a MongoDB server.',
    );
  }
  const hash = createHash('sha256').update(goVersion);
  for (const f of BUILD_INPUTS) hash.update(await readFile(path.join(sourceDir, f)));
  const binary = path.join(cacheDir, `ferretdb-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(binary)) return binary;

  log('Building the embedded FerretDB (first run only; about a minute)…');
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  try {
    await run('bash', [path.join(sourceDir, 'build.sh'), tmp], { maxBuffer: 16 << 20 });
    await rename(tmp, binary); // atomic: a concurrent builder never sees half a binary
  } catch (err) {
    await rm(tmp, { force: true });
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    throw new EmbeddedDbError(`Building FerretDB failed:\n${stderr}`);
  }
  return binary;
}

export interface EmbeddedDb {
  /** The URI it listens on; a restarted child listens on the same one. */
  uri: string;
  /** The running child's pid; undefined while it is down. */
  pid(): number | undefined;
  /** Stops supervising and stops the child. */
  stop(): Promise<void>;
}

/** What the supervisor reports, for the caller to log. */
export interface SupervisorHooks {
  /** The child exited on its own; a restart follows in `restartInMs`. */
  onExit?(info: { code: number | null; signal: NodeJS.Signals | null; restartInMs: number }): void;
  /** A restart attempt failed (e.g. the port is taken now); the next follows in `retryInMs`. */
  onRestartFailed?(info: { reason: string; retryInMs: number }): void;
  /** The child is up again. */
  onRestarted?(info: { pid: number | undefined; attempt: number }): void;
}

/**
 * SQLite's `PRAGMA synchronous` for the embedded database (WAL mode). `normal`: a commit is written
 * to the log but fsynced only at checkpoints, so it survives a crash or kill of FerretDB or the
 * platform, and the database stays consistent, but the last commits before a power cut or kernel
 * crash can be lost. `full` (SQLite's default) fsyncs every commit; on this kind of disk that is
 * 2–30 ms holding the single writer lock, which every other write then waits for (docs/performance.md).
 */
export type Synchronous = 'full' | 'normal';
export const DEFAULT_SYNCHRONOUS: Synchronous = 'normal';

/** Restart backoff (0.5 s doubling to 30 s); a child that ran this long resets it. */
export const RESTART_BACKOFF = { firstMs: 500, maxMs: 30_000, stableMs: 60_000 } as const;

/**
 * Starts FerretDB on a free loopback port with its data under dataDir, and keeps it running: if the
 * child dies (a crash, the OOM killer, kill -9) it is started again on the same port and data, so
 * the driver's connection string stays valid and it reconnects by itself; until then the platform's
 * /readyz says 503. Committed writes are in the SQLite files, which a new child reopens.
 */
export async function startEmbeddedDb(
  dataDir: string,
  log: (msg: string) => void = () => {},
  hooks: SupervisorHooks = {},
  synchronous: Synchronous = DEFAULT_SYNCHRONOUS,
): Promise<EmbeddedDb> {
  const binary = await ensureFerretdbBinary(log);
  await mkdir(dataDir, { recursive: true });
  let child: Child | null = await spawnFerretdb(binary, '127.0.0.1:0', dataDir, synchronous);
  const uri = child.uri;
  const listen = new URL(uri).host; // the port the first child bound, kept for every restart
  let stopping = false;
  let delay: number = RESTART_BACKOFF.firstMs;
  let timer: NodeJS.Timeout | null = null;
  let attempt = 0;

  const watch = (c: Child) => {
    const startedAt = Date.now();
    void c.exited.then(({ code, signal }) => {
      if (stopping) return;
      child = null;
      if (Date.now() - startedAt >= RESTART_BACKOFF.stableMs) delay = RESTART_BACKOFF.firstMs;
      hooks.onExit?.({ code, signal, restartInMs: delay });
      restartLater();
    });
  };
  const restartLater = () => {
    const wait = delay;
    delay = Math.min(delay * 2, RESTART_BACKOFF.maxMs);
    timer = setTimeout(() => {
      timer = null;
      attempt++;
      spawnFerretdb(binary, listen, dataDir, synchronous).then(
        async (c) => {
          if (stopping) return c.stop();
          child = c;
          hooks.onRestarted?.({ pid: c.pid, attempt });
          watch(c);
        },
        (err: unknown) => {
          if (stopping) return;
          hooks.onRestartFailed?.({ reason: (err as Error).message, retryInMs: delay });
          restartLater();
        },
      );
    }, wait);
  };
  watch(child);

  return {
    uri,
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await child?.stop();
    },
  };
}

interface Child {
  uri: string;
  pid: number | undefined;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Runs one FerretDB child on `listen` (host:port, port 0 for any) and waits until it listens. */
async function spawnFerretdb(
  binary: string,
  listen: string,
  dataDir: string,
  synchronous: Synchronous,
): Promise<Child> {
  const child: ChildProcess = spawn(
    binary,
    ['-listen', listen, '-data', dataDir, '-synchronous', synchronous, '-exit-on-stdin-eof'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };

  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new EmbeddedDbError('FerretDB did not start within 30 s'));
      void stop();
    }, 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^LISTENING (\S+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new EmbeddedDbError(`FerretDB exited during start-up (code ${code})`));
    });
  });
  return { uri, pid: child.pid, exited, stop };
}
