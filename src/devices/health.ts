// A device's computed health and the conditions that raise alerts. Pure, so the rules live in one
// place and are tested without I/O. This is the one place health is decided: the API, the fleet
// list's live feed, the camera page, readiness and the stores desk all show what it returns
// (issue 19: the API said "warning: camera reports assignment to O00007" while every screen said
// "ok", because only the API's view was given the register).
import type { DeviceState } from './state.types.js';

export interface HealthThresholds {
  /** Below this charge, not charging: warning and a battery-low alert. */
  batteryLowPercent: number;
  /** At or above this share of storage used: warning and a storage-full alert. */
  storageFullPercent: number;
}

export const ALERT_TYPES = ['offline', 'battery-low', 'storage-full', 'fault', 'reported-lost'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export type Health = 'ok' | 'warning' | 'fault' | 'offline';

export interface Condition {
  type: AlertType;
  detail: string;
}

/**
 * What the register says of a camera that its health depends on: its lifecycle status, who holds
 * it, and while it is lost whether it was reported lost or stolen. Null: not in the register.
 */
export interface RegisterFacts {
  status: string;
  holder: string | null;
  lostReason?: 'lost' | 'stolen' | null;
}

/** Where a camera is, as it reports it: in which dock, or not in one. */
const whereAbouts = (s: DeviceState) =>
  s.camera?.dock ? `at dock ${s.camera.dock.id} slot ${s.camera.dock.slot}` : 'not in a dock';

/** The alert-worthy conditions a device is in now. */
export function conditionsOf(
  s: DeviceState,
  t: HealthThresholds,
  register: RegisterFacts | null = null,
): Condition[] {
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
  // A camera the register has as lost or stolen that reports in: stores and the police want to
  // know where it is (the dock it sits in, if any), now.
  if (s.kind === 'camera' && s.online && register?.status === 'lost') {
    out.push({
      type: 'reported-lost',
      detail: `${register.lostReason ?? 'lost'} camera online ${whereAbouts(s)}`,
    });
  }
  return out;
}

/**
 * The camera believes it is issued to someone other than the register's holder (or to nobody, or
 * the register has it in stock): a warning. Not for a lost camera, whose loss says more.
 */
export function assignmentWarning(s: DeviceState, register: RegisterFacts | null): string | null {
  if (s.kind !== 'camera' || !s.camera || !register || register.status === 'lost') return null;
  const reported = s.camera.assignedTo ?? null;
  const holder = register.status === 'issued' ? register.holder : null;
  return reported === holder
    ? null
    : `camera reports assignment to ${reported ?? 'nobody'}, register says ${holder ?? 'nobody'}`;
}

/** Why a device is not ok, by kind: the alert types, and what only health knows. */
export type ReasonType = AlertType | 'firmware' | 'assignment' | 'dock-uplink';

export interface HealthReason {
  type: ReasonType;
  detail: string;
}

/**
 * Every reason a device is not ok, in the order health lists them. `register` is what the register
 * says of the device (its assignment must match; a lost camera that reports in is a fault);
 * `extraFaults` carry what only the caller knows: that the firmware the device reports is blocked
 * (a fault: the device is unfit).
 */
export function healthReasonsOf(
  s: DeviceState,
  t: HealthThresholds,
  register: RegisterFacts | null = null,
  extraFaults: string[] = [],
): HealthReason[] {
  const mismatch = assignmentWarning(s, register);
  const out: HealthReason[] = [
    ...conditionsOf(s, t, register),
    ...extraFaults.map((detail) => ({ type: 'firmware' as const, detail })),
    ...(mismatch ? [{ type: 'assignment' as const, detail: mismatch }] : []),
  ];
  if (s.kind === 'dock' && s.dock && !s.dock.network.online)
    out.push({ type: 'dock-uplink', detail: 'dock uplink down' });
  return out;
}

/** The reasons that make a device unfit (health `fault`), not merely worth a look. */
export const isFaultReason = (r: HealthReason) =>
  r.type === 'fault' || r.type === 'firmware' || r.type === 'reported-lost';

/** offline beats fault beats warning (see healthReasonsOf for the arguments). */
export function healthOf(
  s: DeviceState,
  t: HealthThresholds,
  register: RegisterFacts | null = null,
  extraFaults: string[] = [],
): { health: Health; reasons: string[] } {
  const all = healthReasonsOf(s, t, register, extraFaults);
  return { health: healthFrom(s.online, all), reasons: all.map((r) => r.detail) };
}

/** The health value of a device with these reasons. */
export const healthFrom = (online: boolean, reasons: HealthReason[]): Health =>
  !online ? 'offline' : reasons.some(isFaultReason) ? 'fault' : reasons.length > 0 ? 'warning' : 'ok';
