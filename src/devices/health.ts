// A device's computed health and the conditions that raise alerts. Pure, so the rules live in one
// place and are tested without I/O.
import type { DeviceState } from './state.types.js';

export interface HealthThresholds {
  /** Below this charge, not charging: warning and a battery-low alert. */
  batteryLowPercent: number;
  /** At or above this share of storage used: warning and a storage-full alert. */
  storageFullPercent: number;
}

export const ALERT_TYPES = ['offline', 'battery-low', 'storage-full', 'fault'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export type Health = 'ok' | 'warning' | 'fault' | 'offline';

export interface Condition {
  type: AlertType;
  detail: string;
}

/** The alert-worthy conditions a device is in now. */
export function conditionsOf(s: DeviceState, t: HealthThresholds): Condition[] {
  const out: Condition[] = [];
  if (!s.online) out.push({ type: 'offline', detail: 'offline' });
  for (const f of s.faults) out.push({ type: 'fault', detail: `fault ${f.code}: ${f.message}` });
  if (s.kind === 'camera' && s.camera) {
    const c = s.camera;
    if (c.battery < t.batteryLowPercent && !c.charging) {
      out.push({ type: 'battery-low', detail: `battery ${Math.round(c.battery)}% and not charging` });
    }
    const used = (c.storageUsedMb / c.storageTotalMb) * 100;
    if (used >= t.storageFullPercent)
      out.push({ type: 'storage-full', detail: `storage ${Math.round(used)}% full` });
  }
  return out;
}

/**
 * offline beats fault beats warning. `extraFaults` and `extraWarnings` carry what only the caller
 * knows: that the firmware the device reports is blocked (a fault: the device is unfit), that the
 * camera reports an assignment the register does not have (a warning).
 */
export function healthOf(
  s: DeviceState,
  t: HealthThresholds,
  extraWarnings: string[] = [],
  extraFaults: string[] = [],
): { health: Health; reasons: string[] } {
  const conditions = conditionsOf(s, t);
  const reasons = [...conditions.map((c) => c.detail), ...extraFaults, ...extraWarnings];
  if (s.kind === 'dock' && s.dock && !s.dock.network.online) reasons.push('dock uplink down');
  if (!s.online) return { health: 'offline', reasons };
  if (extraFaults.length > 0 || conditions.some((c) => c.type === 'fault'))
    return { health: 'fault', reasons };
  return { health: reasons.length > 0 ? 'warning' : 'ok', reasons };
}
