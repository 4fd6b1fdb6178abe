// A campaign's progress in words and numbers: counts by state, grouped the way IT reads them
// (done, in progress, waiting, not started), the success rate that decides a wave, and the
// headline of each wave. Pure, so it is unit-tested (test/unit/web.firmware.test.ts).
import { UPDATE_STATES, type StateCounts, type UpdateState, type WaveProgress } from './types.js';

export const STATE_LABEL: Record<UpdateState, string> = {
  pending: 'not started',
  waiting: 'waiting',
  sent: 'sent',
  downloading: 'downloading',
  downloaded: 'downloaded',
  verifying: 'verifying',
  installing: 'installing',
  rebooting: 'rebooting',
  'retry-wait': 'retrying soon',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
};

/** Commanded and not finished: the device is working on it (or will be retried shortly). */
export const IN_FLIGHT: readonly UpdateState[] = [
  'sent',
  'downloading',
  'downloaded',
  'verifying',
  'installing',
  'rebooting',
  'retry-wait',
];
export const TERMINAL: readonly UpdateState[] = ['succeeded', 'failed', 'canceled'];

const n = (counts: StateCounts, s: UpdateState) => counts[s] ?? 0;
const sum = (counts: StateCounts, states: readonly UpdateState[]) =>
  states.reduce((t, s) => t + n(counts, s), 0);

export interface Tally {
  total: number;
  succeeded: number;
  failed: number;
  canceled: number;
  inFlight: number;
  waiting: number;
  pending: number;
  /** Ended one way or another. */
  finished: number;
  /** Finished as a whole percentage of the total (0 when there is nothing). */
  percentFinished: number;
}

/** `total` defaults to the sum of the counts (a wave's size or the campaign's total is better). */
export function tally(counts: StateCounts, total?: number): Tally {
  const all = total ?? sum(counts, UPDATE_STATES);
  const finished = sum(counts, TERMINAL);
  return {
    total: all,
    succeeded: n(counts, 'succeeded'),
    failed: n(counts, 'failed'),
    canceled: n(counts, 'canceled'),
    inFlight: sum(counts, IN_FLIGHT),
    waiting: n(counts, 'waiting'),
    pending: n(counts, 'pending'),
    finished,
    percentFinished: all > 0 ? Math.floor((finished / all) * 100) : 0,
  };
}

/** "3 succeeded · 1 failed · 2 in progress · 4 waiting · 10 not started"; zeros left out. */
export function countsLine(counts: StateCounts): string {
  const t = tally(counts);
  const parts: Array<[number, string]> = [
    [t.succeeded, 'succeeded'],
    [t.failed, 'failed'],
    [t.inFlight, 'in progress'],
    [t.waiting, 'waiting'],
    [t.pending, 'not started'],
    [t.canceled, 'canceled'],
  ];
  const line = parts
    .filter(([c]) => c > 0)
    .map(([c, w]) => `${c} ${w}`)
    .join(' · ');
  return line || 'no devices';
}

/** Every state with a device in it, in the order an update moves through them. */
export function breakdown(counts: StateCounts): Array<{ state: UpdateState; label: string; count: number }> {
  return UPDATE_STATES.filter((s) => n(counts, s) > 0).map((s) => ({
    state: s,
    label: STATE_LABEL[s],
    count: n(counts, s),
  }));
}

/** succeeded / (succeeded + failed) as a whole percentage; null before anything has finished. */
export function successRate(counts: StateCounts): number | null {
  const ok = n(counts, 'succeeded');
  const bad = n(counts, 'failed');
  return ok + bad === 0 ? null : Math.floor((ok / (ok + bad)) * 100);
}

const WAVE_STATUS: Record<WaveProgress['status'], string> = {
  pending: 'not started',
  running: 'running',
  'awaiting-approval': 'waiting for approval',
  done: 'done',
};

/**
 * "Canary · 5 devices · running", "Wave 2 of 3 · 34 devices · done". With a canary (canarySize > 0)
 * wave 0 is the canary and the groups count from 1; without one, waves count from 1.
 */
export function waveTitle(
  w: Pick<WaveProgress, 'index' | 'size' | 'status'>,
  waves: number,
  canary = true,
): string {
  const name =
    canary && w.index === 0
      ? 'Canary'
      : canary
        ? `Wave ${w.index} of ${waves - 1}`
        : `Wave ${w.index + 1} of ${waves}`;
  return `${name} · ${w.size} device${w.size === 1 ? '' : 's'} · ${WAVE_STATUS[w.status]}`;
}

/** "Canary 5, then 34 and 103": a wave plan in one line. */
export function wavePlan(sizes: number[]): string {
  if (sizes.length === 0) return 'no waves';
  const [canary, ...rest] = sizes;
  if (rest.length === 0) return `one wave of ${canary}`;
  const tail = rest.length === 1 ? `${rest[0]}` : `${rest.slice(0, -1).join(', ')} and ${rest.at(-1)}`;
  return `canary ${canary}, then ${tail}`;
}
