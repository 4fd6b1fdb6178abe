// `telemetry.trim-history`: a repeating job that deletes telemetry history older than the retention
// period (TELEMETRY_HISTORY_RETENTION_DAYS), run at start-up and then every TELEMETRY_TRIM_EVERY_S.
// A delete by age is idempotent, so a rerun after a crash, or the same job run by two processes
// (the scheduler's locking is not atomic on FerretDB v1: docs/database.md), does no harm.
import { z } from 'zod';
import type { AuditService } from '../audit/index.js';
import type { JobScheduler } from '../jobs/index.js';
import type { Logger } from '../logger.js';
import type { DeviceStateService } from './state.service.js';

export const TRIM_HISTORY_JOB = 'telemetry.trim-history';
const DAY = 86_400_000;

/** Defines the job (before the scheduler starts); the returned `repeat` schedules it (any time). */
export function defineHistoryRetention(opts: {
  jobs: JobScheduler;
  state: DeviceStateService;
  audit: AuditService;
  retentionDays: number;
  everyS: number;
  log: Logger;
}): { repeat(): Promise<void> } {
  opts.jobs.define({
    name: TRIM_HISTORY_JOB,
    data: z.unknown(),
    handler: async () => {
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
    },
  });
  return { repeat: () => opts.jobs.every(TRIM_HISTORY_JOB, opts.everyS * 1000) };
}
