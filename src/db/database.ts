// Which database the platform uses: MONGODB_URI, or else an embedded FerretDB of its own, supervised
// (a child that dies is restarted on the same port; /readyz says 503 meanwhile).
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedDb, type EmbeddedDb } from './ferretdb.js';

/**
 * Connections to the embedded FerretDB. SQLite has one writer, and a writer that finds it busy
 * sleeps in steps of up to 100 ms before retrying: with 50 commands in flight, latency tails
 * stretch to seconds. A few connections keep the queue in the driver, first come first served
 * (bench:api: p99/p50 of check-outs ~1.6 with 2–4 connections, ~4.5 with the driver's 100).
 * MONGODB_URI users set `maxPoolSize` in their URI.
 */
export const EMBEDDED_POOL_SIZE = 4;

const withPoolSize = (uri: string, size: number) => {
  const u = new URL(uri);
  u.searchParams.set('maxPoolSize', String(size));
  return u.toString();
};

export async function databaseUri(
  config: Config,
  log: Logger,
): Promise<{ uri: string; embedded: EmbeddedDb | null }> {
  if (config.MONGODB_URI) return { uri: config.MONGODB_URI, embedded: null };
  const embedded = await startEmbeddedDb(
    config.dbDir,
    (m) => log.info(m),
    {
      onExit: (info) => log.error(info, 'embedded FerretDB exited unexpectedly; restarting'),
      onRestartFailed: (info) => log.error(info, 'embedded FerretDB restart failed; retrying'),
      onRestarted: (info) => log.info(info, 'embedded FerretDB restarted'),
    },
    config.EMBEDDED_DB_SYNCHRONOUS,
  );
  log.info({ dataDir: config.dbDir, pid: embedded.pid() }, 'embedded FerretDB started');
  return { uri: withPoolSize(embedded.uri, EMBEDDED_POOL_SIZE), embedded };
}
