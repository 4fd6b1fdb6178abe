// The durable job `redaction.process-clip` on agenda (MongoDB backend). A crash or restart leaves the
// job in the database; once its lock lifetime passes another processor picks it up. On FerretDB v1
// agenda's locking is a conditional update that is not atomic, so the job must be (and is) idempotent:
// the clip's one derivative is claimed by a unique key (see RedactionWorker). Queueing is one job per
// clip: a unique index on the clip id makes the insert atomic even when several workers hear the same
// offload at once (agenda's own `unique()` is an upsert, which reports success to every caller).
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import { isDuplicateKey } from '../db/connection.js';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { RedactionWorker } from './redaction.worker.js';

export const REDACTION_JOB = 'redaction.process-clip';
const JobData = z.object({ clipId: z.string().regex(/^[0-9a-f]{64}$/) });

export const JOBS_COLLECTION = 'agenda_jobs';

export interface RedactionJobs {
  /** Queues the clip's job unless it has one (finished or not); true if this call created it. */
  enqueue(clipId: string): Promise<boolean>;
  /** Of these clips, those that have no job at all. */
  withoutJob(clipIds: string[]): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startRedactionJobs(opts: {
  db: Db;
  log: Logger;
  worker: RedactionWorker;
  lockLifetimeMs: number;
  pollMs: number;
}): Promise<RedactionJobs> {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: opts.db, collection: JOBS_COLLECTION }),
    name: 'redaction',
    processEvery: opts.pollMs,
    // One clip at a time per process: redaction already uses both cores.
    maxConcurrency: 1,
    defaultConcurrency: 1,
    defaultLockLifetime: opts.lockLifetimeMs,
  });
  const worker = opts.worker;
  agenda.define(
    REDACTION_JOB,
    async (job) => {
      const { clipId } = JobData.parse(job.attrs.data);
      await worker.process(clipId, () => job.touch());
    },
    { concurrency: 1, lockLifetime: opts.lockLifetimeMs },
  );
  agenda.on('error', (err: Error) => opts.log.error({ err }, 'agenda error'));
  agenda.on(`fail:${REDACTION_JOB}`, (err: Error, job: { attrs: { data: unknown } }) =>
    opts.log.error({ err, data: job.attrs.data }, 'redaction job failed'),
  );
  await agenda.ready;
  const collection = opts.db.collection(JOBS_COLLECTION);
  // Only redaction jobs live in this collection, and every one of them has a clip id.
  await collection.createIndex({ 'data.clipId': 1 }, { unique: true, name: 'one_job_per_clip' });
  await agenda.start();
  return {
    async enqueue(clipId) {
      try {
        // A plain insert, not agenda's unique() (an upsert that "succeeds" for every caller): the
        // `one_job_per_clip` index refuses the second job, finished or not, on FerretDB and MongoDB.
        await agenda.create(REDACTION_JOB, { clipId }).save();
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false; // another worker queued it first
        throw err;
      }
    },
    async withoutJob(clipIds) {
      if (clipIds.length === 0) return [];
      const have = await collection
        .find({ 'data.clipId': { $in: clipIds } }, { projection: { 'data.clipId': 1 } })
        .toArray();
      const queued = new Set(have.map((j) => (j.data as { clipId: string }).clipId));
      return clipIds.filter((id) => !queued.has(id));
    },
    stop: () => agenda.stop(),
  };
}
