// Point lookups and updates by _id on the embedded FerretDB, at a collection size given as the
// first argument (default 5,000): shows whether _id lookups use the index (scripts/ferretdb/build.sh).
// Run: npm run bench:db [-- DOCS]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedDb } from '../src/db/ferretdb.js';

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
