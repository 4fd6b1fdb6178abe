// A redaction worker at work, in the platform (REDACTION_WORKER=in-process) or in its own process
// (`--role redaction`): the redaction job on the process's job scheduler plus the intake that feeds
// it (events and sweep). The scheduler belongs to the process: it starts it once every job is defined.
import type { ClipRedactionState } from '../clips/index.js';
import type { Config } from '../config.js';
import type { DomainEventBus } from '../events/index.js';
import type { JobScheduler } from '../jobs/index.js';
import type { Logger } from '../logger.js';
import { startRedactionIntake, type RedactionIntake } from './redaction.intake.js';
import { defineRedactionJob, type RedactionJobs } from './redaction.job.js';
import type { RedactionWorker } from './redaction.worker.js';
import type { RevisionWorker } from './redaction.revision.js';

/** Far longer than a live worker spends between writing its outputs and claiming one of them. */
const ABANDONED_AFTER_MS = 30 * 60_000;

export interface RunningRedaction {
  jobs: RedactionJobs;
  intake: RedactionIntake;
  close(): Promise<void>;
}

/** Defines the redaction job on `scheduler` (before it starts) and starts the intake. */
export function runRedaction(opts: {
  scheduler: JobScheduler;
  worker: RedactionWorker;
  /** Renders revisions after missed faces are marked. */
  revisions: RevisionWorker;
  state: ClipRedactionState;
  /** Where `clip.offloaded` is heard: this process's bus, fed from the others' by the spine. */
  events: DomainEventBus;
  config: Pick<Config, 'REDACTION_LOCK_LIFETIME_MS' | 'REDACTION_SWEEP_S'>;
  log: Logger;
}): RunningRedaction {
  const log = opts.log.child({ component: 'redaction' });
  const jobs = defineRedactionJob(
    opts.scheduler,
    opts.worker,
    opts.config.REDACTION_LOCK_LIFETIME_MS,
    opts.revisions,
  );
  const intake = startRedactionIntake({
    jobs,
    unfinished: () => opts.state.unfinished(),
    unrendered: async () =>
      (await opts.state.unrenderedMarks()).map((m) => ({ clipId: m.clip, revision: m.revision })),
    events: opts.events,
    sweepMs: opts.config.REDACTION_SWEEP_S * 1000,
    housekeeping: () => opts.worker.discardAbandonedOutputs(ABANDONED_AFTER_MS),
    log,
  });
  return {
    jobs,
    intake,
    close: async () => {
      await intake.close();
      await opts.worker.close();
    },
  };
}
