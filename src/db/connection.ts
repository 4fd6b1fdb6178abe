// The platform's mongoose connection: opened with retry and backoff so a database that is
// not up yet (or restarting) leaves the API running and /readyz at 503 until it answers.
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../logger.js';

export type { Connection };

export function createConnection(): Connection {
  // Indexes are created explicitly (ensureIndexes) before the API serves writes, because
  // unique indexes carry our invariants; a background autoIndex could race the first request.
  const conn = mongoose.createConnection();
  conn.set('autoIndex', false);
  conn.set('autoCreate', false); // createIndexes creates the collections
  return conn;
}

export async function openWithRetry(
  conn: Connection,
  uri: string,
  dbName: string,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  for (let attempt = 1, delay = 500; ; attempt++, delay = Math.min(delay * 2, 10_000)) {
    try {
      await conn.openUri(uri, { dbName, serverSelectionTimeoutMS: 5_000 });
      log.info({ attempt }, 'database connected');
      return;
    } catch (err) {
      if (signal.aborted) throw err;
      log.warn(
        { attempt, retryInMs: delay, reason: (err as Error).message },
        'database unreachable, retrying',
      );
      await new Promise((r) => setTimeout(r, delay));
      if (signal.aborted) throw new Error('aborted');
    }
  }
}

/** Indexes of every model of these connections (the platform's database and its telemetry one). */
export async function ensureIndexes(...conns: Connection[]): Promise<void> {
  await Promise.all(conns.flatMap((c) => Object.values(c.models)).map((m) => m.createIndexes()));
}

/**
 * The database for live device state and telemetry history, the high-volume writes. On the
 * embedded FerretDB each database is its own SQLite file with its own single writer, so a fleet's
 * state flush does not hold the lock that check-outs, the audit chain and API reads wait on. On
 * MongoDB it is merely a second database. It shares the connection pool.
 */
export const telemetryConnection = (conn: Connection, dbName: string) =>
  conn.useDb(`${dbName}_telemetry`, { useCache: true });

export async function pingDatabase(conn: Connection): Promise<void> {
  if (conn.readyState !== mongoose.ConnectionStates.connected || !conn.db) throw new Error('not connected');
  await conn.db.admin().ping();
}

/** True for a unique-index violation: someone else claimed the key first. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
