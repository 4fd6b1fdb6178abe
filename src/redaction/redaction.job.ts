// The durable job `redaction.process-clip` on the platform's job scheduler. A crash or restart leaves
// the job in the database; once its lock lifetime passes another processor picks it up. On FerretDB
// v1 the scheduler's locking is not atomic, so the job must be (and is) idempotent: the clip's one
// derivative is claimed by a unique key (see RedactionWorker). Queueing is one job per clip: the
// clip id is the job's key, claimed by an insert, even when several workers hear the same offload.
import { z } from 'zod';
import type { JobScheduler } from '../jobs/index.js';
import type { RedactionWorker } from './redaction.worker.js';

export const REDACTION_JOB = 'redaction.process-clip';
const JobData = z.object({ clipId: z.string().regex(/^[0-9a-f]{64}$/) });

export interface RedactionJobs {
  /** Queues the clip's job unless it has one (finished or not); true if this call created it. */
  enqueue(clipId: string): Promise<boolean>;
  /** Of these clips, those that have no job at all. */
  withoutJob(clipIds: string[]): Promise<string[]>;
}

/** Defines the job on the scheduler (this process redacts); call before the scheduler starts. */
export function defineRedactionJob(
  jobs: JobScheduler,
  worker: RedactionWorker,
  lockLifetimeMs: number,
): RedactionJobs {
  jobs.define({
    name: REDACTION_JOB,
    data: JobData,
    // One clip at a time per process: redaction already uses both cores.
    concurrency: 1,
    lockLifetimeMs,
    handler: ({ clipId }, job) => worker.process(clipId, () => job.touch()),
  });
  return {
    enqueue: (clipId) => jobs.enqueueOnce(REDACTION_JOB, { clipId }, clipId),
    async withoutJob(clipIds) {
      const queued = await jobs.existingKeys(REDACTION_JOB, clipIds);
      return clipIds.filter((id) => !queued.has(id));
    },
  };
}
