// The one interface capabilities register and queue their durable jobs through. One implementation
// (agenda.scheduler.ts) runs one agenda on one collection, started once per process by the platform
// (or a redaction worker process). Job names are dotted: `capability.what-it-does`.
import type { z, ZodType } from 'zod';

/** What a running handler may do with its job besides its data. */
export interface RunningJob {
  /** Extends the job's lock: call it during long work so no other processor takes the job over. */
  touch(): Promise<void>;
}

export interface JobDefinition<S extends ZodType> {
  /** Dotted, e.g. `webhooks.deliver`. */
  name: string;
  /** Job data is parsed with this before the handler runs; data that does not parse fails the job (logged, not retried). */
  data: S;
  /**
   * The work. Must be idempotent: on the embedded database agenda's lock is a conditional update
   * that is not atomic, and a processor that dies mid-job leaves the job to another once its lock
   * lifetime passes, so a handler may run twice for one job. A handler that throws fails the job
   * (logged); it is not retried unless the handler queues its own retry.
   */
  handler: (data: z.output<S>, job: RunningJob) => Promise<void>;
  /** Jobs of this name run at once in one process (default 1). */
  concurrency?: number;
  /** A job whose processor has not finished or touched it for this long is taken over by another (default 10 min). */
  lockLifetimeMs?: number;
}

export interface JobScheduler {
  /** Registers a job this process runs. Only defined names are processed here: define before `start()`. */
  define<S extends ZodType>(definition: JobDefinition<S>): void;
  /**
   * Queues a job to run as soon as possible unless one of this name and `key` exists (finished or
   * not); true if this call created it. The key is claimed by an insert against a unique index, so
   * of several processes queuing the same key at once exactly one gets true.
   */
  enqueueOnce(name: string, data: unknown, key: string): Promise<boolean>;
  /** As `enqueueOnce`, for a job due at `at`; without a key the job is always created. */
  schedule(name: string, data: unknown, at: Date, key?: string): Promise<boolean>;
  /** Runs the job (no data) now and then every `intervalMs`; one such job per name however many processes ask. */
  every(name: string, intervalMs: number): Promise<void>;
  /** Of these keys, those a job of this name already has (finished or not). */
  existingKeys(name: string, keys: string[]): Promise<Set<string>>;
  /** Starts processing the defined jobs (this process's share of them). */
  start(): Promise<void>;
  /** Stops processing; running jobs are unlocked so another processor can take them. */
  stop(): Promise<void>;
}
