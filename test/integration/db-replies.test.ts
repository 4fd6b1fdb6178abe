// Finding 15 (issue 14): under load the driver raised `BSON element "cursor" is missing` and, at the
// same moment, a valid token was refused and a telemetry read found a document without samples.
// Cause: FerretDB v1.24.2 answered OP_MSG requests flagged moreToCome (w:0 writes, such as
// connect-mongo's expired-session sweep), which the client never reads; the Node driver does not
// match replies to requests, so that connection's next command read the stray reply and every later
// command the reply of the one before. Fixed in scripts/ferretdb/more-to-come.patch.
// Here the sweep runs every 120 ms (the platform's runs every 10 minutes) while concurrent reads
// and writes share the platform's pool, and every command must get its own answer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import MongoStore from 'connect-mongo';
import type { CommandFailedEvent } from 'mongodb';
import { createConnection, type Connection } from '../../src/db/connection.js';
import { EMBEDDED_POOL_SIZE } from '../../src/db/database.js';
import { testDbName } from '../helpers/app.js';

interface Thing {
  _id: string;
  group: number;
  v: number;
  samples: number[];
  label?: string;
}

const GROUPS = 6;
const THINGS: Thing[] = Array.from({ length: 60 }, (_, i) => ({
  _id: `thing-${String(i).padStart(2, '0')}`,
  group: i % GROUPS,
  v: i,
  samples: [i, i * 2, i * 3],
}));
const inGroup = (g: number) => THINGS.filter((t) => t.group === g);
const WORKERS = 8; // twice the pool: commands queue for connections as under load
const ROUNDS = 12;

describe('database replies under concurrent load', () => {
  let conn: Connection;
  const sessions = () => conn.collection<{ _id: string; expires: Date; session: object }>('sessions');
  let store: MongoStore;
  const unexpectedReplies: CommandFailedEvent[] = [];

  beforeAll(async () => {
    const uri = new URL(process.env.BWV_TEST_MONGODB_URI!);
    uri.searchParams.set('maxPoolSize', String(EMBEDDED_POOL_SIZE));
    conn = createConnection();
    await conn.openUri(uri.toString(), { dbName: testDbName(), monitorCommands: true });
    conn.getClient().on('commandFailed', (e) => {
      if (e.failure.name === 'MongoUnexpectedServerResponseError') unexpectedReplies.push(e);
    });
    await conn.collection<Thing>('things').insertMany(THINGS);
    await conn
      .collection<{ _id: string; n: number }>('counters')
      .insertMany(Array.from({ length: WORKERS }, (_, w) => ({ _id: `worker-${w}`, n: 0 })));
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3_600_000);
    await sessions().insertMany([
      ...Array.from({ length: 20 }, (_, i) => ({ _id: `expired-${i}`, expires: past, session: {} })),
      ...Array.from({ length: 5 }, (_, i) => ({ _id: `live-${i}`, expires: future, session: {} })),
    ]);
  });

  afterAll(async () => {
    await store?.close(); // stops the sweep and closes the shared client
    await conn.close();
  });

  it('gives every query its own answer while the session sweep sends unacknowledged deletes', async () => {
    // The platform's session store (src/auth/session.ts), sweeping every 120 ms instead of 10 minutes.
    store = MongoStore.create({
      client: conn.getClient(),
      dbName: conn.name,
      collectionName: 'sessions',
      autoRemove: 'interval',
      autoRemoveInterval: 0.002,
      stringify: false,
    });
    const things = conn.collection<Thing>('things');
    const counters = conn.collection<{ _id: string; n: number }>('counters');
    const inserted = conn.collection<{ _id: string; by: number }>('inserted');
    const wrong: Array<{ op: string; expected: unknown; got: unknown }> = [];
    const failed: string[] = [];
    const check = (op: string, expected: unknown, got: unknown) => {
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push({ op, expected, got });
    };

    async function worker(w: number) {
      for (let round = 0; round < ROUNDS; round++) {
        const thing = THINGS[(w * 7 + round * 5) % THINGS.length]!;
        const g = (w + round) % GROUPS;
        const steps: Array<[string, () => Promise<void>]> = [
          [
            `findOne ${thing._id}`,
            async () => check('findOne', thing, await things.findOne({ _id: thing._id })),
          ],
          [
            `find group ${g} in batches of 3 (getMore)`,
            async () => {
              const got = await things.find({ group: g }).sort({ _id: 1 }).batchSize(3).toArray();
              check('find+getMore', inGroup(g), got);
            },
          ],
          [
            `aggregate group ${g}`,
            async () => {
              // One accumulator per $group: FerretDB v1 gives the documents to the first only.
              const got = await things
                .aggregate([{ $match: { group: g } }, { $group: { _id: '$group', total: { $sum: '$v' } } }])
                .toArray();
              check('aggregate', [{ _id: g, total: inGroup(g).reduce((s, t) => s + t.v, 0) }], got);
            },
          ],
          [
            `insert ${w}/${round}`,
            async () => {
              const r = await inserted.insertOne({ _id: `${w}/${round}`, by: w });
              check('insertOne', `${w}/${round}`, r.insertedId);
            },
          ],
          [
            `increment worker-${w}`,
            async () => {
              const r = await counters.updateOne({ _id: `worker-${w}` }, { $inc: { n: 1 } });
              check('updateOne', [1, 1], [r.matchedCount, r.modifiedCount]);
            },
          ],
          [
            `count group ${g}`,
            async () => check('countDocuments', inGroup(g).length, await things.countDocuments({ group: g })),
          ],
          // Odd values a fuzzer sends: a lone surrogate, a `$`-prefixed string, a huge number.
          [
            `findOne odd _id`,
            async () => check('findOne odd', null, await things.findOne({ _id: `no\uD800such` })),
          ],
          [
            `find odd values`,
            async () =>
              check(
                'find odd',
                [],
                await things.find({ $or: [{ label: '$where' }, { v: { $gt: 1e308 } }] }).toArray(),
              ),
          ],
        ];
        for (const [name, step] of steps) {
          try {
            await step();
          } catch (err) {
            failed.push(`${name}: ${(err as Error).name}: ${(err as Error).message}`);
          }
        }
      }
    }

    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));

    expect({ failed, wrong }).toEqual({ failed: [], wrong: [] });
    expect(unexpectedReplies.map((e) => `${e.commandName}: ${e.failure.message}`)).toEqual([]);
    // The stored state agrees with what each write was told.
    expect(await inserted.countDocuments({})).toBe(WORKERS * ROUNDS);
    for (const c of await counters.find({}).toArray()) expect(c.n).toBe(ROUNDS);
    // And the sweep still does its job: expired sessions are gone, live ones stay.
    expect((await sessions().find({}).sort({ _id: 1 }).toArray()).map((s) => s._id)).toEqual(
      Array.from({ length: 5 }, (_, i) => `live-${i}`),
    );
  });
});
