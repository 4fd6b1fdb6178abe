// One database server per test run. With MONGODB_URI set, the suite runs against that server
// (real MongoDB); otherwise it starts the embedded FerretDB on a temporary directory.
// Each test file then uses a database of its own (helpers/app.ts).
// Plain ESM JavaScript because jest loads global setup outside its transform pipeline; tsx loads our TS.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  if (process.env.MONGODB_URI) {
    process.env.BWV_TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const { startEmbeddedDb } = await tsImport('../src/db/ferretdb.ts', import.meta.url);
  const dir = await mkdtemp(path.join(tmpdir(), 'bwv-test-db-'));
  const db = await startEmbeddedDb(dir, (m) => process.stderr.write(`${m}\n`));
  globalThis.__BWV_TEST_DB__ = { db, dir };
  process.env.BWV_TEST_MONGODB_URI = db.uri;
}
