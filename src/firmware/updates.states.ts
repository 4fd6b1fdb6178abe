// One device's update in a campaign, as a state machine (pure: the engine feeds it acks, the clock
// and telemetry, and writes what it returns).
//
//   pending ─(wave starts)→ waiting ⇄ (eligible) → sent → downloading → downloaded → verifying
//     → installing → rebooting ─(telemetry on the target version, after the reboot)→ succeeded
//   a transient failure (download, hash, signature) → retry-wait ─(backoff)→ waiting/sent (attempt + 1)
//   past a step's deadline, a failed install, a device back on another version → failed
//   the campaign canceled: pending/waiting/retry-wait → canceled (in-flight ones finish)
//
// Acks are matched by command id (the engine's job); here stages only move forward, so a replayed
// or duplicated ack changes nothing, and a failure applies only to an update still in flight.
import { FIRMWARE_STAGES, type FirmwareStage } from '../bus/index.js';

export const UPDATE_STATES = [
  'pending',
  'waiting',
  'sent',
  ...FIRMWARE_STAGES,
  'retry-wait',
  'succeeded',
  'failed',
  'canceled',
] as const;
export type UpdateState = (typeof UPDATE_STATES)[number];

/** A command is out and the device is working on it. */
export const IN_FLIGHT: readonly UpdateState[] = ['sent', ...FIRMWARE_STAGES];
export const TERMINAL: readonly UpdateState[] = ['succeeded', 'failed', 'canceled'];
/** Not settled: still to be sent, in flight, or about to be retried (waiting devices are settled). */
export const UNSETTLED: readonly UpdateState[] = ['pending', ...IN_FLIGHT, 'retry-wait'];
export const isInFlight = (s: UpdateState) => IN_FLIGHT.includes(s);
export const isTerminal = (s: UpdateState) => TERMINAL.includes(s);

/** Order of the in-flight steps: an ack moves an update only to a later one. */
const STEP_ORDER: Record<string, number> = { sent: 0 };
FIRMWARE_STAGES.forEach((s, i) => (STEP_ORDER[s] = i + 1));

/** Stages whose failure is worth another attempt: the bytes can be fetched again. */
const TRANSIENT: readonly (FirmwareStage | null)[] = ['downloading', 'downloaded', 'verifying', null];

/** The fields of an update the machine reads. */
export interface UpdateFacts {
  state: UpdateState;
  /** Commands sent so far (the current one's number). */
  attempt: number;
  commandId: string | null;
  progress: number | null;
  /** The rebooting ack's own timestamp (device clock): telemetry must be newer. */
  rebootingTs: string | null;
}

/** What changes: the fields to write (the engine adds `updatedAt`). */
export interface UpdateChange {
  state: UpdateState;
  reason?: string | null;
  progress?: number | null;
  stepDeadline?: Date | null;
  retryAt?: Date | null;
  lastStageAt?: Date;
  rebootingTs?: string | null;
  finishedAt?: Date | null;
}

export interface Ack {
  commandId: string;
  ok: boolean;
  stage: FirmwareStage | null;
  progress: number | null;
  detail: string | null;
  ts: string;
}

export interface Limits {
  now: Date;
  stepTimeoutS: number;
  maxRetries: number;
  retryBaseS: number;
}

const deadline = (l: Limits) => new Date(l.now.getTime() + l.stepTimeoutS * 1000);

/** An ack of the update's current command; null when it changes nothing. */
export function onAck(u: UpdateFacts, ack: Ack, l: Limits): UpdateChange | null {
  if (ack.commandId !== u.commandId || !isInFlight(u.state)) return null;
  if (!ack.ok) return onFailure(u, ack, l);
  if (!ack.stage) return null;
  const from = STEP_ORDER[u.state]!;
  const to = STEP_ORDER[ack.stage]!;
  if (to < from) return null; // a replay of an earlier step
  if (to === from) {
    // More of the same step: only new download progress is news (and counts as a report).
    if (ack.stage !== 'downloading' || ack.progress === null || ack.progress <= (u.progress ?? -1))
      return null;
    return { state: u.state, progress: ack.progress, stepDeadline: deadline(l), lastStageAt: l.now };
  }
  return {
    state: ack.stage,
    reason: null,
    progress: ack.stage === 'downloading' ? ack.progress : u.progress,
    stepDeadline: deadline(l),
    lastStageAt: l.now,
    ...(ack.stage === 'rebooting' && { rebootingTs: ack.ts }),
  };
}

function onFailure(u: UpdateFacts, ack: Ack, l: Limits): UpdateChange {
  const what = ack.stage ? `${ack.stage} failed` : 'the device refused the update';
  const why = ack.detail ? `${what}: ${ack.detail}` : what;
  if (!TRANSIENT.includes(ack.stage)) return failed(why, l);
  return transientFailure(u, why, l);
}

/** A failure worth retrying (a bad download, or a command the bus would not take). */
export function transientFailure(u: Pick<UpdateFacts, 'attempt'>, why: string, l: Limits): UpdateChange {
  const retriesUsed = u.attempt - 1;
  if (retriesUsed >= l.maxRetries) {
    return failed(`${why} (attempt ${u.attempt} of ${l.maxRetries + 1})`, l);
  }
  const waitS = l.retryBaseS * 2 ** retriesUsed;
  return {
    state: 'retry-wait',
    reason: `${why} (attempt ${u.attempt} of ${l.maxRetries + 1}; retrying)`,
    retryAt: new Date(l.now.getTime() + waitS * 1000),
    stepDeadline: null,
  };
}

/** Past its step's deadline with no report: the device is failed (a bricked device does not stay "in progress"). */
export function onClock(
  u: Pick<UpdateFacts, 'state'> & { stepDeadline: Date | null },
  l: Limits,
): UpdateChange | null {
  if (!isInFlight(u.state) || !u.stepDeadline || u.stepDeadline > l.now) return null;
  const after = u.state === 'sent' ? 'the command was sent' : u.state;
  return failed(`no report for ${l.stepTimeoutS} s after ${after}`, l);
}

/**
 * The device's latest telemetry. Counts only after the rebooting ack and only if newer than it (a
 * reading from before the reboot says nothing): the target version is the one success; any other
 * means it came back on the old one.
 */
export function onTelemetry(
  u: UpdateFacts,
  t: { ts: string; firmware: string | null; online: boolean } | null,
  target: string,
  l: Limits,
): UpdateChange | null {
  if (u.state !== 'rebooting' || !u.rebootingTs || !t?.online || !t.firmware) return null;
  if (Date.parse(t.ts) <= Date.parse(u.rebootingTs)) return null;
  if (t.firmware === target)
    return { state: 'succeeded', reason: null, stepDeadline: null, finishedAt: l.now };
  return failed(`came back on ${t.firmware}`, l);
}

/** The campaign was canceled: what has not been sent yet will not be. */
export function onCancel(u: Pick<UpdateFacts, 'state'>, l: Limits): UpdateChange | null {
  if (u.state !== 'pending' && u.state !== 'waiting' && u.state !== 'retry-wait') return null;
  return { state: 'canceled', reason: 'campaign canceled', retryAt: null, finishedAt: l.now };
}

function failed(reason: string, l: Limits): UpdateChange {
  return { state: 'failed', reason, stepDeadline: null, retryAt: null, finishedAt: l.now };
}
