// A redaction worker at work, in the platform (REDACTION_WORKER=in-process) or in its own process
// (`--role redaction`): the agenda job processor plus the intake that feeds it (events and sweep).
import type { Db } from 'mongodb';
import type { ClipRedactionState } from '../clips/index.js';
import type { Config } from '../config.js';
import type { DomainEventBus } from '../events/index.js';
import type { Logger } from '../logger.js';
import { startRedactionIntake, type RedactionIntake } from './redaction.intake.js';
import { startRedactionJobs, type RedactionJobs } from './redaction.job.js';
import type { RedactionWorker } from './redaction.worker.js';

/** Far longer than a live worker spends between writing its outputs and claiming one of them. */
const ABANDONED_AFTER_MS = 30 * 60_000;

export interface RunningRedaction {
  jobs: RedactionJobs;
  intake: RedactionIntake;
  close(): Promise<void>;
}

export async function runRedaction(opts: {
  db: Db;
  worker: RedactionWorker;
  state: ClipRedactionState;
  /** Where `clip.offloaded` is heard: this process's bus, fed from the others' by the spine. */
  events: DomainEventBus;
  config: Pick<Config, 'REDACTION_LOCK_LIFETIME_MS' | 'REDACTION_POLL_MS' | 'REDACTION_SWEEP_S'>;
  log: Logger;
}): Promise<RunningRedaction> {
  const log = opts.log.child({ component: 'redaction' });
  const jobs = await startRedactionJobs({
    db: opts.db,
    log,
    worker: opts.worker,
    lockLifetimeMs: opts.config.REDACTION_LOCK_LIFETIME_MS,
    pollMs: opts.config.REDACTION_POLL_MS,
  });
  let intake: RedactionIntake;
  try {
    intake = startRedactionIntake({
      jobs,
      unfinished: () => opts.state.unfinished(),
      events: opts.events,
      sweepMs: opts.config.REDACTION_SWEEP_S * 1000,
      housekeeping: () => opts.worker.discardAbandonedOutputs(ABANDONED_AFTER_MS),
      log,
    });
  } catch (err) {
    await jobs.stop().catch(() => undefined);
    throw err;
  }
  return {
    jobs,
    intake,
    async close() {
      await intake.close();
      await jobs.stop();
    },
  };
}
