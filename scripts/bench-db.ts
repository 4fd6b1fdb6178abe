// Point lookups and updates by _id on the embedded FerretDB, at a collection size given as the
// first argument (default 5,000): shows whether _id lookups use the index (scripts/ferretdb/build.sh).
// Then the write latency with SQLite's synchronous FULL beside NORMAL (EMBEDDED_DB_SYNCHRONOUS),
// two servers measured in turn in the same run: a ping (the round trip itself), a lone insert, and
// four inserts at once, as the platform's four pooled connections send them (docs/performance.md).
// Run: npm run bench:db [-- DOCS]
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedDb, type Synchronous } from '../src/db/ferretdb.js';

const docs = Number(process.argv[2] ?? 5000);
const ops = 500;
const dir = await mkdtemp(path.join(tmpdir(), 'bwv-bench-db-'));
const db = await startEmbeddedDb(dir);
const conn = await mongoose.createConnection(db.uri, { dbName: 'bench' }).asPromise();
const col = conn.collection<{ _id: string; n: number }>('x');
await col.insertMany(Array.from({ length: docs }, (_, i) => ({ _id: `K${i}`, n: i })));

async function time(label: string, op: (i: number) => Promise<unknown>) {
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) await op(i);
  console.log(`${label.padEnd(28)} ${((performance.now() - t0) / ops).toFixed(2)} ms/op`);
}
console.log(`${docs} documents, ${ops} sequential operations each`);
await time('findOne({_id})', (i) => col.findOne({ _id: `K${(i * 17) % docs}` }));
await time('updateOne({_id}, $inc)', (i) =>
  col.updateOne({ _id: `K${(i * 13) % docs}` }, { $inc: { n: 1 } }),
);
await time('findOne({n}) (no pushdown)', (i) => col.findOne({ n: (i * 7) % docs }));

await conn.close();
await db.stop();
await rm(dir, { recursive: true, force: true });

const servers = await Promise.all(
  (['full', 'normal'] as Synchronous[]).map(async (synchronous) => {
    const d = await mkdtemp(path.join(tmpdir(), `bwv-bench-db-${synchronous}-`));
    const server = await startEmbeddedDb(d, () => {}, {}, synchronous);
    const uri = new URL(server.uri);
    uri.searchParams.set('maxPoolSize', '4'); // as the platform's pool (src/db/database.ts)
    const c = await mongoose.createConnection(uri.toString(), { dbName: 'bench' }).asPromise();
    return { synchronous, dir: d, server, conn: c, col: c.collection<{ _id: string; s: string }>('w') };
  }),
);
const samples = new Map<string, number[]>();
const timed = async (key: string, op: () => Promise<unknown>) => {
  const t0 = performance.now();
  await op();
  samples.set(key, [...(samples.get(key) ?? []), performance.now() - t0]);
};
let n = 0;
const doc = () => ({ _id: `W${n++}`, s: 'x'.repeat(300) });
for (let round = 0; round < 300; round++) {
  for (const { synchronous: s, conn: c, col: w } of servers) {
    await timed(`${s} ping`, () => c.db!.admin().ping());
    await timed(`${s} insertOne alone`, () => w.insertOne(doc()));
    await Promise.all([0, 1, 2, 3].map(() => timed(`${s} insertOne, 4 at once`, () => w.insertOne(doc()))));
  }
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((p / 100) * xs.length)]!;
console.log(
  `\nWrites, synchronous FULL beside NORMAL (load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
for (const [key, xs] of samples)
  console.log(
    `${key.padEnd(30)} p50 ${pct(xs, 50).toFixed(2)}  p90 ${pct(xs, 90).toFixed(2)}  p99 ${pct(xs, 99).toFixed(2)} ms`,
  );
for (const { conn: c, server, dir: d } of servers) {
  await c.close();
  await server.stop();
  await rm(d, { recursive: true, force: true });
}
