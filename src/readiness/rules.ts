// The shift-readiness rules: for one officer on duty, red/amber/green and the reasons in words.
// Pure, so every rule is tested without I/O (test/unit/readiness.rules.test.ts).
//   red:   no camera issued; camera recorded faulty/lost/in repair; open fault; firmware blocked;
//          battery will run out within the next 30 minutes; storage full
//   amber: camera offline; battery will not last the rest of the shift; storage nearly full;
//          no telemetry received from the camera yet
import type { Rag } from '../realtime/index.js';
import { DEFAULT_MIN_SPAN_MS, drainPerMinute, minutesLeft, type BatterySample } from './drain.js';

export interface CameraFacts {
  serial: string;
  /** Lifecycle status in the register. */
  status: string;
  /** The live side; null when the camera never reported. */
  live: {
    online: boolean;
    battery: number | null;
    charging: boolean | null;
    storage: { usedMb: number; totalMb: number } | null;
    firmware: string | null;
    /**
     * Why its firmware makes it unfit (`firmware 1.9.0 is blocked`: the versions register, in the
     * same words as the device's health everywhere else), or null.
     */
    firmwareFault: string | null;
    faults: Array<{ code: string; message: string }>;
  } | null;
  history: BatterySample[];
}

export interface ReadinessPolicy {
  storageNearlyFullPercent: number;
  storageFullPercent: number;
  /** Battery running out sooner than this is red, not amber. */
  criticalMinutes: number;
  /** Least span of discharging history that gives a drain estimate. */
  drainMinSpanMs: number;
}

export const DEFAULT_POLICY: ReadinessPolicy = {
  storageNearlyFullPercent: 85,
  storageFullPercent: 98,
  criticalMinutes: 30,
  drainMinSpanMs: DEFAULT_MIN_SPAN_MS,
};

export interface Verdict {
  rag: Rag;
  reasons: string[];
  batteryMinutesLeft: number | null;
}

const fmtMinutes = (m: number) => (m >= 90 ? `${(m / 60).toFixed(1)} h` : `${Math.round(m)} min`);

export function assess(
  camera: CameraFacts | null,
  shiftEnd: Date,
  now: Date,
  policy: ReadinessPolicy,
): Verdict {
  if (!camera) return { rag: 'red', reasons: ['no camera issued'], batteryMinutesLeft: null };
  const red: string[] = [];
  const amber: string[] = [];
  if (camera.status === 'faulty' || camera.status === 'in_repair' || camera.status === 'lost') {
    red.push(`camera ${camera.serial} recorded as ${camera.status.replace('_', ' ')}`);
  }
  const live = camera.live;
  let left: number | null = null;
  if (!live) {
    amber.push(`camera ${camera.serial} has not reported yet`);
  } else {
    for (const f of live.faults) red.push(`open fault: ${f.message || f.code}`);
    if (live.firmwareFault) red.push(live.firmwareFault);
    if (!live.online) amber.push('camera offline');
    if (live.battery !== null && !live.charging) {
      left = minutesLeft(live.battery, drainPerMinute(camera.history, now, policy.drainMinSpanMs));
      const needed = (shiftEnd.getTime() - now.getTime()) / 60_000;
      if (live.battery <= 0) red.push('battery flat');
      else if (left !== null && left < needed) {
        const msg = `battery ${Math.round(live.battery)}% will not last the shift (about ${fmtMinutes(left)} left, ${fmtMinutes(needed)} to go)`;
        (left < policy.criticalMinutes ? red : amber).push(msg);
      }
    }
    if (live.storage && live.storage.totalMb > 0) {
      const used = (live.storage.usedMb / live.storage.totalMb) * 100;
      if (used >= policy.storageFullPercent) red.push(`storage full (${Math.round(used)}%)`);
      else if (used >= policy.storageNearlyFullPercent)
        amber.push(`storage nearly full (${Math.round(used)}%)`);
    }
  }
  const reasons = [...red, ...amber];
  return { rag: red.length ? 'red' : amber.length ? 'amber' : 'green', reasons, batteryMinutesLeft: left };
}

const RANK: Record<Rag, number> = { green: 0, amber: 1, red: 2 };
/** An alert is raised when an officer gets worse (green→amber, amber→red, or first seen not green). */
export const gotWorse = (from: Rag | null, to: Rag) => RANK[to] > RANK[from ?? 'green'];
