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
  for (const f of ['main.go', 'go.mod', 'go.sum', 'build.sh', 'more-to-come.patch'])
    hash.update(await readFile(path.join(sourceDir, f)));
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
  uri: string;
  /** Resolves when the child exits, with its exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts FerretDB on a free loopback port with its data under dataDir. */
export async function startEmbeddedDb(
  dataDir: string,
  log: (msg: string) => void = () => {},
): Promise<EmbeddedDb> {
  const binary = await ensureFerretdbBinary(log);
  await mkdir(dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    ['-listen', '127.0.0.1:0', '-data', dataDir, '-exit-on-stdin-eof'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new EmbeddedDbError('FerretDB did not start within 30 s')), 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^LISTENING (\S+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new EmbeddedDbError(`FerretDB exited during start-up (code ${code})`));
    });
  });

  return {
    uri,
    exited,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
