// Stops the run's embedded FerretDB and removes its data.
import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  const t = globalThis.__BWV_TEST_DB__;
  if (!t) return;
  await t.db.stop();
  await rm(t.dir, { recursive: true, force: true });
}
