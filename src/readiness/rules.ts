// The shift-readiness rules: for one officer on duty, red/amber/green and the reasons in words.
// Pure, so every rule is tested without I/O (test/unit/readiness.rules.test.ts).
// The camera's health comes from the device-state capability, reasons and words as they are (the
// one health every screen shows: issue 19); readiness adds only what the shift makes matter.
//   red:   no camera issued; camera recorded faulty/lost/stolen/in repair; health says unfit (an
//          open fault, blocked firmware, a lost camera reporting in); battery flat or running out
//          within the next 30 minutes; storage full
//   amber: any other health reason (offline, battery low, storage filling, an assignment the
//          register does not have); battery will not last the rest of the shift; storage nearly
//          full; no telemetry received from the camera yet
import type { HealthReason } from '../devices/index.js';
import type { Rag } from '../realtime/index.js';
import { DEFAULT_MIN_SPAN_MS, drainPerMinute, minutesLeft, type BatterySample } from './drain.js';

export interface CameraFacts {
  serial: string;
  /** Lifecycle status in the register. */
  status: string;
  /** While lost: reported lost or stolen. */
  lostReason?: 'lost' | 'stolen' | null;
  /** The live side; null when the camera never reported. */
  live: {
    online: boolean;
    battery: number | null;
    charging: boolean | null;
    storage: { usedMb: number; totalMb: number } | null;
    firmware: string | null;
    /** The camera's health reasons, as the device-state capability gives them (healthReasonsOf). */
    health: HealthReason[];
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
  /**
   * Reasons that alert whenever they are new, even if the officer was red already: a camera
   * reported lost or stolen that reports in ("stolen camera online at dock D1 slot 2").
   */
  alarms?: string[];
}

/**
 * Battery time left in words: "2.2 h" or "45 min", from whole minutes, so the reason and the row's
 * `batteryMinutesLeft` (the same whole minutes) never disagree (issue 19: an alert said "about 4.3 h
 * left" while its row said "~132 min").
 */
export const fmtMinutes = (m: number) => {
  const whole = Math.round(m);
  return whole >= 90 ? `${(whole / 60).toFixed(1)} h` : `${whole} min`;
};

export function assess(
  camera: CameraFacts | null,
  shiftEnd: Date,
  now: Date,
  policy: ReadinessPolicy,
): Verdict {
  if (!camera) return { rag: 'red', reasons: ['no camera issued'], batteryMinutesLeft: null };
  const red: string[] = [];
  const amber: string[] = [];
  if (camera.status === 'lost') {
    red.push(`camera ${camera.serial} reported ${camera.lostReason ?? 'lost'}`);
  } else if (camera.status === 'faulty' || camera.status === 'in_repair') {
    red.push(`camera ${camera.serial} recorded as ${camera.status.replace('_', ' ')}`);
  }
  const live = camera.live;
  let left: number | null = null;
  if (!live) {
    amber.push(`camera ${camera.serial} has not reported yet`);
  } else {
    const used =
      live.storage && live.storage.totalMb > 0 ? (live.storage.usedMb / live.storage.totalMb) * 100 : null;
    for (const r of live.health) {
      const unfit =
        r.type === 'fault' ||
        r.type === 'firmware' ||
        r.type === 'reported-lost' ||
        (r.type === 'storage-full' && used !== null && used >= policy.storageFullPercent);
      (unfit ? red : amber).push(r.detail);
    }
    if (camera.status !== 'lost' && live.battery !== null && !live.charging) {
      const minutes = minutesLeft(live.battery, drainPerMinute(camera.history, now, policy.drainMinSpanMs));
      left = minutes === null ? null : Math.round(minutes);
      const needed = (shiftEnd.getTime() - now.getTime()) / 60_000;
      if (live.battery <= 0) red.push('battery flat');
      else if (left !== null && left < needed) {
        const msg = `battery ${Math.round(live.battery)}% will not last the shift (about ${fmtMinutes(left)} left, ${fmtMinutes(needed)} to go)`;
        (left < policy.criticalMinutes ? red : amber).push(msg);
      }
    }
    const healthSaysStorage = live.health.some((r) => r.type === 'storage-full');
    if (used !== null && !healthSaysStorage) {
      if (used >= policy.storageFullPercent) red.push(`storage full (${Math.round(used)}%)`);
      else if (used >= policy.storageNearlyFullPercent)
        amber.push(`storage nearly full (${Math.round(used)}%)`);
    }
  }
  const reasons = [...red, ...amber];
  const alarms = live?.health.filter((r) => r.type === 'reported-lost').map((r) => r.detail) ?? [];
  return {
    rag: red.length ? 'red' : amber.length ? 'amber' : 'green',
    reasons,
    batteryMinutesLeft: left,
    ...(alarms.length > 0 && { alarms }),
  };
}

const RANK: Record<Rag, number> = { green: 0, amber: 1, red: 2 };
/** An alert is raised when an officer gets worse (green→amber, amber→red, or first seen not green). */
export const gotWorse = (from: Rag | null, to: Rag) => RANK[to] > RANK[from ?? 'green'];
