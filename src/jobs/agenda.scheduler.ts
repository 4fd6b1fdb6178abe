// The job scheduler on agenda 6 with its MongoDB backend: one agenda, one collection (`agenda_jobs`),
// started once per process. Capabilities define their jobs (name, zod schema, handler) and queue them
// through JobScheduler; nothing else imports agenda.
//
// Uniqueness: agenda's own `unique()` is an upsert, which reports success to every caller, and its
// lock is a conditional update that is not atomic on FerretDB v1 (docs/database.md). So each job this
// scheduler creates carries a top-level `key`, and the unique index `{name, key}` makes the insert
// the claim: of several processes queuing the same key, one insert wins, the others get a duplicate
// key error. Repeating jobs (`every`) are agenda's `single` jobs, one per name, without a key: the
// index sees (name, null) once per name, so it holds for every document in the collection.
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, InMemoryNotificationChannel, type Job } from 'agenda';
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { ZodType } from 'zod';
import { isDuplicateKey } from '../db/connection.js';
import type { Logger } from '../logger.js';
import type { JobDefinition, JobScheduler } from './job-scheduler.js';

export const JOBS_COLLECTION = 'agenda_jobs';
const KEY_INDEX = 'one_job_per_key';
/** Before the scheduler: one job per clip by this index on redaction's own data field. */
const LEGACY_INDEX = 'one_job_per_clip';

/** Job data that did not parse: the job fails once and is not run again. */
class InvalidJobData extends Error {}

export async function createJobScheduler(opts: {
  db: Db;
  log: Logger;
  /** How often this process looks for due jobs it did not queue itself (other processes', retries). */
  pollMs: number;
  /** Jobs of every name running at once in this process. */
  maxConcurrency?: number;
}): Promise<JobScheduler> {
  const { log } = opts;
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: opts.db, collection: JOBS_COLLECTION }),
    name: 'bwv',
    processEvery: opts.pollMs,
    maxConcurrency: opts.maxConcurrency ?? 10,
    // A job queued by this process for now runs now, not at the next poll.
    notificationChannel: new InMemoryNotificationChannel(),
  });
  agenda.on('error', (err: Error) => log.error({ err }, 'job scheduler error'));
  agenda.on('fail', (err: Error, job: Job) =>
    log.error({ err, job: job.attrs.name, key: keyOf(job) }, 'job failed'),
  );
  await agenda.ready;
  const jobs = opts.db.collection(JOBS_COLLECTION);
  await adoptLegacyJobs(jobs);
  await jobs.createIndex({ name: 1, key: 1 }, { unique: true, name: KEY_INDEX });

  let started = false;
  // Agenda's lock is a find then an update on FerretDB v1, so even in one process two queue fills
  // (a job queued here, and a poll) can both lock the same job: run it once at a time per process.
  const running = new Set<string>();
  const create = async (name: string, data: unknown, key: string, at?: Date) => {
    const job = agenda.create(name, data);
    (job.attrs as { key?: string }).key = key;
    if (at) job.schedule(at);
    try {
      await job.save();
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false; // queued already, here or by another process
      throw err;
    }
  };

  return {
    define<S extends ZodType>(def: JobDefinition<S>) {
      if (started) throw new Error(`job ${def.name} defined after the scheduler started`);
      agenda.define(
        def.name,
        async (job: Job) => {
          const id = String(job.attrs._id);
          if (running.has(id)) return log.debug({ job: def.name, id }, 'job already running here');
          const parsed = def.data.safeParse(job.attrs.data);
          if (!parsed.success) {
            throw new InvalidJobData(`invalid data for ${def.name}: ${parsed.error.message}`);
          }
          running.add(id);
          try {
            await def.handler(parsed.data, { touch: () => job.touch() });
          } finally {
            running.delete(id);
          }
        },
        {
          concurrency: def.concurrency ?? 1,
          ...(def.lockLifetimeMs !== undefined && { lockLifetime: def.lockLifetimeMs }),
        },
      );
    },
    enqueueOnce: (name, data, key) => create(name, data, key),
    schedule: (name, data, at, key) => create(name, data, key ?? randomUUID(), at),
    async every(name, intervalMs) {
      await agenda.every(intervalMs, name);
    },
    async existingKeys(name, keys) {
      if (keys.length === 0) return new Set();
      const found = await jobs.find({ name, key: { $in: keys } }, { projection: { key: 1 } }).toArray();
      return new Set(found.map((j) => String(j.key)));
    },
    async start() {
      started = true;
      await agenda.start();
    },
    stop: () => agenda.stop(false),
  };
}

const keyOf = (job: Job) => (job.attrs as { key?: unknown }).key;

/**
 * Jobs written before this scheduler have no key: give each its own (its id), so the unique index
 * can be built, and drop the old per-clip index (a field most jobs lack would collide on null).
 * Idempotent; a redaction clip queued under the old scheme may be queued once more, which its
 * worker's claim makes harmless (docs/database.md).
 */
async function adoptLegacyJobs(jobs: ReturnType<Db['collection']>) {
  const indexes = await jobs.indexes().catch(() => []);
  if (indexes.some((i) => i.name === LEGACY_INDEX)) await jobs.dropIndex(LEGACY_INDEX);
  const keyless = await jobs
    .find({ key: { $exists: false }, type: { $ne: 'single' } }, { projection: { _id: 1 } })
    .toArray();
  for (const { _id } of keyless) await jobs.updateOne({ _id }, { $set: { key: String(_id) } });
}
