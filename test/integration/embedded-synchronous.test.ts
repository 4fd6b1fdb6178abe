// Issue 19, "the desk is slower than it should feel": the embedded FerretDB ran SQLite with
// synchronous FULL, so every commit waited for an fsync of the log while holding the database's
// only write lock, and every other write (a check-out is five of them in a row) queued behind it
// or slept in SQLite's busy handler (docs/performance.md). It now runs NORMAL unless configured:
// commits are written to the log (kept through a crash of the process; ferretdb-supervision and
// crash tests kill it) and fsynced at checkpoints. strace counts the server's fsyncs during a burst
// of commits, which shows which one it runs.
import { afterAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { ensureFerretdbBinary, type Synchronous } from '../../src/db/ferretdb.js';

const run = promisify(execFile);

describe('the embedded database commits without an fsync each', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('is configured NORMAL by default, FULL on request, and nothing else', () => {
    const base = { BWV_ADMIN_PASSWORD: 'test-admin-password-1' };
    expect(loadConfig(base).EMBEDDED_DB_SYNCHRONOUS).toBe('normal');
    expect(loadConfig({ ...base, EMBEDDED_DB_SYNCHRONOUS: 'full' }).EMBEDDED_DB_SYNCHRONOUS).toBe('full');
    expect(() => loadConfig({ ...base, EMBEDDED_DB_SYNCHRONOUS: 'off' })).toThrow(/EMBEDDED_DB_SYNCHRONOUS/);
  });

  it('refuses a synchronous mode other than full or normal', async () => {
    const binary = await ensureFerretdbBinary();
    const dir = await mkdtemp(path.join(tmpdir(), 'bwv-sync-'));
    dirs.push(dir);
    const err = (await run(binary, ['-data', dir, '-synchronous', 'off']).catch((e: unknown) => e)) as {
      code?: number;
      stderr?: string;
    };
    expect(err.code).not.toBe(0);
    expect(err.stderr).toMatch(/-synchronous must be full or normal/);
  });

  it('fsyncs the log at each of 200 acknowledged commits with FULL, and not once with NORMAL', async () => {
    const binary = await ensureFerretdbBinary();
    const syncs: Record<Synchronous, number> = { full: 0, normal: 0 };
    for (const mode of ['full', 'normal'] as const) {
      const dir = await mkdtemp(path.join(tmpdir(), `bwv-sync-${mode}-`));
      dirs.push(dir);
      const counts = path.join(dir, 'strace.txt');
      // strace counts the server's fsync/fdatasync calls (all its threads) and writes them on exit.
      const server = spawn(
        'strace',
        [
          ...['-f', '-c', '-e', 'trace=fsync,fdatasync', '-o', counts],
          ...[binary, '-listen', '127.0.0.1:0', '-data', dir, '-synchronous', mode, '-exit-on-stdin-eof'],
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const exited = new Promise((r) => server.once('exit', r));
      const uri = await new Promise<string>((resolve) =>
        createInterface({ input: server.stdout }).on('line', (line) => {
          const m = /^LISTENING (\S+)/.exec(line);
          if (m?.[1]) resolve(m[1]);
        }),
      );
      const client = await new MongoClient(uri).connect();
      const col = client.db('sync').collection<{ _id: string; n: number }>('c');
      await col.insertOne({ _id: 'first', n: 0 }); // creates the table, its index and files
      for (let i = 0; i < 200; i++) await col.insertOne({ _id: `d${i}`, n: i });
      expect(await col.countDocuments()).toBe(201);
      await client.close();
      server.stdin.end(); // -exit-on-stdin-eof: it stops, and strace writes its counts
      await exited;
      const table = await readFile(counts, 'utf8');
      syncs[mode] = [
        ...table.matchAll(/^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?f(?:data)?sync$/gm),
      ].reduce((a, m) => a + Number(m[1]), 0);
    }
    expect(syncs.full).toBeGreaterThanOrEqual(200);
    // NORMAL: none for the commits; a checkpoint (at 1,000 pages of log, not reached here) or the
    // shutdown may sync a few times.
    expect(syncs.normal).toBeLessThan(20);
  });
});
