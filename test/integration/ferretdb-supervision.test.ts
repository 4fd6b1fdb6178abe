// Finding 4: the embedded FerretDB is supervised. A child killed with SIGKILL is started again on
// the same port and data directory, after a backoff that doubles while it keeps dying; a client
// on the same URI reconnects by itself and finds every write acknowledged before the kill.
import { afterAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedDb, type EmbeddedDb } from '../../src/db/ferretdb.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not seen in ${ms} ms`);
    await sleep(20);
  }
}

describe('embedded FerretDB supervision', () => {
  let db: EmbeddedDb | undefined;
  let dir: string;
  afterAll(async () => {
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('restarts a killed child on the same port with doubling backoff, losing no acknowledged write', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bwv-supervise-'));
    const exits: Array<{ signal: string | null; restartInMs: number }> = [];
    const restarts: Array<number | undefined> = [];
    db = await startEmbeddedDb(dir, () => {}, {
      onExit: ({ signal, restartInMs }) => exits.push({ signal, restartInMs }),
      onRestarted: ({ pid }) => restarts.push(pid),
    });
    const mongo = await MongoClient.connect(db.uri, { serverSelectionTimeoutMS: 20_000 });
    try {
      const docs = mongo.db('supervised').collection<{ _id: number }>('docs');
      await docs.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i })));

      for (let kill = 1; kill <= 2; kill++) {
        const pid = db.pid()!;
        process.kill(pid, 'SIGKILL');
        await waitFor('restart', () => (restarts.length === kill ? true : undefined));
        expect(db.pid()).not.toBe(pid);
        await docs.insertOne({ _id: 100 + kill }); // the driver reconnects to the same URI
      }
      // Each exit is reported once; the second comes quickly after the first restart, so it waits longer.
      expect(exits).toEqual([
        { signal: 'SIGKILL', restartInMs: 500 },
        { signal: 'SIGKILL', restartInMs: 1000 },
      ]);
      expect(await docs.countDocuments()).toBe(52);
    } finally {
      await mongo.close();
    }
    const pid = db.pid()!;
    await db.stop();
    expect(() => process.kill(pid, 0)).toThrow(); // stopped for good, not restarted
    await sleep(700);
    expect(restarts.length).toBe(2);
  }, 60_000);
});
