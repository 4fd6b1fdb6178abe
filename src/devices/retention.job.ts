// `telemetry.trim-history`: an agenda job that deletes telemetry history older than the retention
// period (TELEMETRY_HISTORY_RETENTION_DAYS), run at start-up and then every TELEMETRY_TRIM_EVERY_S.
// A delete by age is idempotent, so a rerun after a crash, or the same job run by two processes
// (agenda's locking is not atomic on FerretDB v1: docs/database.md), does no harm.
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import type { AuditService } from '../audit/index.js';
import type { Logger } from '../logger.js';
import type { DeviceStateService } from './state.service.js';

export const TRIM_HISTORY_JOB = 'telemetry.trim-history';
/** Its own collection: `agenda_jobs` holds redaction jobs only (one per clip, by a unique index). */
const COLLECTION = 'maintenance_jobs';
const DAY = 86_400_000;

export async function scheduleHistoryRetention(opts: {
  db: Db;
  state: DeviceStateService;
  audit: AuditService;
  retentionDays: number;
  everyS: number;
  log: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: opts.db, collection: COLLECTION }),
    name: 'maintenance',
    processEvery: Math.min(30_000, opts.everyS * 500),
  });
  agenda.define(TRIM_HISTORY_JOB, async () => {
    const before = new Date(Date.now() - opts.retentionDays * DAY);
    const deleted = await opts.state.trimHistory(before);
    if (deleted === 0) return;
    opts.log.info({ deleted, before }, 'telemetry history trimmed');
    await opts.audit.record(
      { actor: { type: 'job', id: TRIM_HISTORY_JOB } },
      {
        action: 'telemetry.history.trim',
        target: { kind: 'telemetry-history', id: 'all' },
        summary: `${deleted} hourly telemetry buckets older than ${opts.retentionDays} days deleted`,
        changes: { deleted, before: before.toISOString() },
      },
    );
  });
  agenda.on('error', (err: Error) => opts.log.error({ err }, 'agenda error (maintenance)'));
  agenda.on(`fail:${TRIM_HISTORY_JOB}`, (err: Error) => opts.log.error({ err }, 'history trim failed'));
  await agenda.ready;
  await agenda.start();
  await agenda.every(`${opts.everyS} seconds`, TRIM_HISTORY_JOB);
  return { stop: () => agenda.stop() };
}
