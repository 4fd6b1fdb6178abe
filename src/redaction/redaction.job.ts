// The durable job `redaction.process-clip` on the platform's job scheduler. A crash or restart leaves
// the job in the database; once its lock lifetime passes another processor picks it up. On FerretDB
// v1 the scheduler's locking is not atomic, so the job must be (and is) idempotent: the clip's one
// derivative is claimed by a unique key (see RedactionWorker). Queueing is one job per clip: the
// clip id is the job's key, claimed by an insert, even when several workers hear the same offload.
import { z } from 'zod';
import type { JobScheduler } from '../jobs/index.js';
import type { RedactionWorker } from './redaction.worker.js';
import type { RevisionWorker } from './redaction.revision.js';

export const REDACTION_JOB = 'redaction.process-clip';
/** Renders one revision of a clip's redacted copy after a missed face was marked; key `{clip}:{revision}`. */
export const REVISION_JOB = 'redaction.render-revision';
const JobData = z.object({ clipId: z.string().regex(/^[0-9a-f]{64}$/) });
const RevisionData = JobData.extend({ revision: z.number().int().min(2) });

export interface RevisionRef {
  clipId: string;
  revision: number;
}

export interface RedactionJobs {
  /** Queues the clip's job unless it has one (finished or not); true if this call created it. */
  enqueue(clipId: string): Promise<boolean>;
  /** Of these clips, those that have no job at all. */
  withoutJob(clipIds: string[]): Promise<string[]>;
  /** Queues the revision's job unless it has one (finished or not); true if this call created it. */
  enqueueRevision(ref: RevisionRef): Promise<boolean>;
  /** Of these revisions, those that have no job at all. */
  revisionsWithoutJob(refs: RevisionRef[]): Promise<RevisionRef[]>;
}

const revisionKey = ({ clipId, revision }: RevisionRef) => `${clipId}:${revision}`;

/** Defines the job on the scheduler (this process redacts); call before the scheduler starts. */
export function defineRedactionJob(
  jobs: JobScheduler,
  worker: RedactionWorker,
  lockLifetimeMs: number,
  revisions: RevisionWorker,
): RedactionJobs {
  jobs.define({
    name: REDACTION_JOB,
    data: JobData,
    // One clip at a time per process: redaction already uses both cores.
    concurrency: 1,
    lockLifetimeMs,
    handler: ({ clipId }, job) => worker.process(clipId, () => job.touch()),
  });
  jobs.define({
    name: REVISION_JOB,
    data: RevisionData,
    concurrency: 1,
    lockLifetimeMs,
    handler: ({ clipId, revision }, job) => revisions.process(clipId, revision, () => job.touch()),
  });
  return {
    enqueue: (clipId) => jobs.enqueueOnce(REDACTION_JOB, { clipId }, clipId),
    enqueueRevision: (ref) => jobs.enqueueOnce(REVISION_JOB, ref, revisionKey(ref)),
    async revisionsWithoutJob(refs) {
      const queued = await jobs.existingKeys(REVISION_JOB, refs.map(revisionKey));
      return refs.filter((r) => !queued.has(revisionKey(r)));
    },
    async withoutJob(clipIds) {
      const queued = await jobs.existingKeys(REDACTION_JOB, clipIds);
      return clipIds.filter((id) => !queued.has(id));
    },
  };
}
