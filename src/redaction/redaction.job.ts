// The durable job `redaction.process-clip` on agenda (MongoDB backend). A crash or restart leaves the
// job in the database; once its lock lifetime passes another processor picks it up. On FerretDB v1
// agenda's locking is a conditional update that is not atomic, so the job must be (and is) idempotent:
// the clip's one derivative is claimed by a unique key (see RedactionWorker).
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import type { Db } from 'mongodb';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { RedactionWorker } from './redaction.worker.js';

export const REDACTION_JOB = 'redaction.process-clip';
const JobData = z.object({ clipId: z.string().regex(/^[0-9a-f]{64}$/) });

export interface RedactionJobs {
  enqueue(clipId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedactionJobs(opts: {
  db: Db;
  log: Logger;
  /** Null: this process only queues jobs (another process runs them). */
  worker: RedactionWorker | null;
  lockLifetimeMs: number;
  pollMs: number;
}): Promise<RedactionJobs> {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: opts.db, collection: 'agenda_jobs' }),
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
      if (!worker) return;
      await worker.process(clipId, () => job.touch());
    },
    { concurrency: 1, lockLifetime: opts.lockLifetimeMs },
  );
  agenda.on('error', (err: Error) => opts.log.error({ err }, 'agenda error'));
  agenda.on(`fail:${REDACTION_JOB}`, (err: Error, job: { attrs: { data: unknown } }) =>
    opts.log.error({ err, data: job.attrs.data }, 'redaction job failed'),
  );
  await agenda.ready;
  if (worker) await agenda.start();
  return {
    async enqueue(clipId) {
      await agenda.create(REDACTION_JOB, { clipId }).unique({ 'data.clipId': clipId }).save();
    },
    stop: () => agenda.stop(),
  };
}
