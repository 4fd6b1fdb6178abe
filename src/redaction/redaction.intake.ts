// How clips reach a redaction worker: `clip.offloaded` events (this process's own, or another's heard
// through the event spine on the bus), each turned into the clip's durable job (one per clip, so an
// event heard twice or by several workers queues one job); and a sweep, at start-up and then
// periodically, that queues any offloaded clip still without a job — an offload published while no
// worker was listening, or an event that never reached the broker, is not lost.
import type { DomainEventBus } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { RedactionJobs, RevisionRef } from './redaction.job.js';

export interface RedactionIntake {
  /** Queues every unfinished clip that has no job; resolves with how many it queued. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

export function startRedactionIntake(opts: {
  jobs: RedactionJobs;
  /** Clips offloaded but not yet redacted (queued or processing). */
  unfinished(): Promise<string[]>;
  /** Revisions asked for by missed-face marks and not yet claimed. */
  unrendered(): Promise<RevisionRef[]>;
  events: DomainEventBus;
  sweepMs: number;
  /** Runs with every sweep (e.g. removing outputs of workers that died before claiming). */
  housekeeping?: () => Promise<unknown>;
  log: Logger;
}): RedactionIntake {
  const { jobs, log } = opts;
  const enqueue = (clipId: string) =>
    jobs.enqueue(clipId).then(
      (created) => {
        if (created) log.info({ clipId }, 'redaction job queued');
        return created;
      },
      (err: unknown) => {
        // The sweep will try again; the message is not lost for good.
        log.error({ err, clipId }, 'could not queue a redaction job');
        return false;
      },
    );

  const enqueueRevision = (ref: RevisionRef) =>
    jobs.enqueueRevision(ref).then(
      (created) => {
        if (created) log.info(ref, 'revision job queued');
        return created;
      },
      (err: unknown) => {
        log.error({ err, ...ref }, 'could not queue a revision job');
        return false;
      },
    );

  const stopHearing = opts.events.on('clip.offloaded', (e) => void enqueue(e.data.clipId));
  const stopHearingMarks = opts.events.on(
    'clip.missed-face-marked',
    (e) => void enqueueRevision({ clipId: e.data.clipId, revision: e.data.revision }),
  );

  let sweeping: Promise<number> | null = null;
  const sweep = () =>
    (sweeping ??= (async () => {
      try {
        const missing = await jobs.withoutJob(await opts.unfinished());
        let queued = 0;
        for (const id of missing) if (await enqueue(id)) queued++;
        for (const ref of await jobs.revisionsWithoutJob(await opts.unrendered()))
          if (await enqueueRevision(ref)) queued++;
        if (queued) log.info({ queued }, 'sweep queued clips that had no redaction job');
        await opts.housekeeping?.();
        return queued;
      } finally {
        sweeping = null;
      }
    })());
  const runSweep = () => void sweep().catch((err: unknown) => log.error({ err }, 'redaction sweep failed'));
  runSweep();
  const timer = setInterval(runSweep, opts.sweepMs);
  timer.unref();

  return {
    sweep,
    async close() {
      stopHearing();
      stopHearingMarks();
      clearInterval(timer);
      await sweeping?.catch(() => undefined);
    },
  };
}
