// Found measuring issue 19's desks beside a reporting fleet: the embedded database stopped answering
// everyone, for good, a minute into the run. Cause: FerretDB v1.24.2's `update` command kept each
// statement's query (one SQLite connection from a pool of 100) open until the whole command ended,
// so one update of 100 or more statements that match documents (a bulkWrite of updateOne, as the
// device alerts' clears and the state shards are written) waited forever for a connection it held
// itself. Fixed in scripts/ferretdb/update-statements.patch; unpatched, the bulk write below never
// returns and the second client's ping waits with it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient, type Collection } from 'mongodb';
import { testDbName } from '../helpers/app.js';

interface Doc {
  _id: string;
  v: number;
}

const DOCS = 400; // four times the server's SQLite pool

describe('a bulk write of many updates on the embedded database', () => {
  let a: MongoClient;
  let b: MongoClient;
  let docs: Collection<Doc>;
  const db = testDbName();

  beforeAll(async () => {
    a = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
    b = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
    docs = a.db(db).collection<Doc>('docs');
    await docs.insertMany(Array.from({ length: DOCS }, (_, i) => ({ _id: `d${i}`, v: 0 })));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('applies every statement, and the database keeps answering others', async () => {
    const write = docs.bulkWrite(
      Array.from({ length: DOCS }, (_, i) => ({
        updateOne: { filter: { _id: `d${i}` }, update: { $set: { v: i + 1 } } },
      })),
      { ordered: false },
    );
    const hung = new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000).unref());
    const result = await Promise.race([write, hung]);
    expect(result).not.toBe('hung');
    if (result === 'hung') return;
    expect(result.modifiedCount).toBe(DOCS);
    // Every document has its own value, and another client is answered at once.
    const read = await b.db(db).collection<Doc>('docs').find().toArray();
    expect(read.filter((d) => d.v === Number(d._id.slice(1)) + 1)).toHaveLength(DOCS);
    const t = Date.now();
    await b.db('admin').command({ ping: 1 });
    expect(Date.now() - t).toBeLessThan(2_000);
  }, 60_000);
});
