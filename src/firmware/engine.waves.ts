// What a running campaign does next, from the counts of its updates by wave and state (pure; the
// engine evaluates after every failure, success and tick, and carries the decision out as one
// campaign transition).
//
// - Error threshold first: failures since the last resume ≥ `count`, or ≥ `percent` of the devices
//   in started waves → pause ("error threshold: 6 of 20 devices failed (30%)").
// - The running wave is settled when none of its updates is still to send, in flight or waiting
//   for a retry, and at least one has ended. Success rate = succeeded / (succeeded + failed). At or
//   above the threshold (or waived by a person's resume) → the wave is done and the next starts, or
//   awaits approval; below → pause ("wave 1: 70% succeeded, below the 95% threshold").
// - The last wave passed and every update ended → completed. Only waiting devices left → stays
//   running (they are sent when they become eligible).
import { UNSETTLED, type UpdateState } from './updates.states.js';

export type WaveStatus = 'pending' | 'running' | 'awaiting-approval' | 'done';

export interface Wave {
  index: number;
  size: number;
  status: WaveStatus;
  /** A person resumed the campaign after this wave fell below the threshold: it counts as passed. */
  waived: boolean;
  /** Who started it, when the campaign asks a person for each wave (the creator never can). */
  approvedBy: string | null;
}

export interface ErrorThreshold {
  count?: number | null;
  percent?: number | null;
}

export interface WaveInputs {
  waves: Wave[];
  successThreshold: number;
  errorThreshold: ErrorThreshold;
  approveEachWave: boolean;
  /** Failures already acknowledged by a resume: the error threshold counts only newer ones. */
  failuresAcknowledged: number;
  canarySize: number;
}

export type Counts = Partial<Record<UpdateState, number>>;

export type Decision =
  | { type: 'none' }
  | { type: 'pause'; reason: string; kind: 'errors' | 'wave' }
  | { type: 'advance'; done: number; next: number; nextStatus: 'running' | 'awaiting-approval' }
  | { type: 'complete' };

const n = (c: Counts | undefined, s: UpdateState) => c?.[s] ?? 0;

export const started = (w: Wave) => w.status === 'running' || w.status === 'done';

/** How a wave is named to people: wave 0 is the canary when there is one. */
export const waveName = (index: number, canarySize: number) =>
  index === 0 && canarySize > 0 ? 'wave 0 (canary)' : `wave ${index}`;

/** Failed updates in started waves, and the devices in them. */
export function failures(c: WaveInputs, byWave: Map<number, Counts>) {
  let failed = 0;
  let devices = 0;
  for (const w of c.waves.filter(started)) {
    failed += n(byWave.get(w.index), 'failed');
    devices += w.size;
  }
  return { failed, devices };
}

export function decide(c: WaveInputs, byWave: Map<number, Counts>): Decision {
  const { failed, devices } = failures(c, byWave);
  const fresh = failed - c.failuresAcknowledged;
  const pct = devices > 0 ? (fresh / devices) * 100 : 0;
  const { count, percent } = c.errorThreshold;
  if (fresh > 0 && ((count != null && fresh >= count) || (percent != null && pct >= percent))) {
    return {
      type: 'pause',
      kind: 'errors',
      reason: `error threshold: ${fresh} of ${devices} devices failed (${Math.round(pct)}%)`,
    };
  }

  const allEnded = [...byWave.values()].every((counts) =>
    (Object.keys(counts) as UpdateState[]).every(
      (s) => s === 'succeeded' || s === 'failed' || s === 'canceled' || n(counts, s) === 0,
    ),
  );
  const running = c.waves.find((w) => w.status === 'running');
  if (running) {
    const counts = byWave.get(running.index);
    const unsettled = UNSETTLED.some((s) => n(counts, s) > 0);
    const ended = n(counts, 'succeeded') + n(counts, 'failed') + n(counts, 'canceled');
    if (!unsettled && ended > 0) {
      const judged = n(counts, 'succeeded') + n(counts, 'failed');
      const rate = judged === 0 ? 100 : (n(counts, 'succeeded') / judged) * 100;
      if (rate < c.successThreshold && !running.waived) {
        return {
          type: 'pause',
          kind: 'wave',
          reason: `${waveName(running.index, c.canarySize)}: ${Math.floor(rate)}% succeeded, below the ${c.successThreshold}% threshold`,
        };
      }
      const next = c.waves.find((w) => w.index === running.index + 1);
      if (next) {
        return {
          type: 'advance',
          done: running.index,
          next: next.index,
          nextStatus: c.approveEachWave ? 'awaiting-approval' : 'running',
        };
      }
      // The last wave passed: done once every device has ended; waiting ones keep it running.
      return allEnded ? { type: 'complete' } : { type: 'none' };
    }
    return { type: 'none' };
  }
  if (c.waves.length > 0 && c.waves.every((w) => w.status === 'done') && allEnded)
    return { type: 'complete' };
  return { type: 'none' };
}
