// Whether a device may be sent a firmware update now, and if not why, in words IT reads on the
// campaign's page. Pure: the engine asks at the moment of sending, with the register record it has
// just read, the live state the bus reports and the station's maintenance window. An ineligible
// device waits (it is not a failure) and is asked again whenever its state, its custody or the
// campaign changes, and on every engine tick.
//
// The reasons are stable strings (no battery percentage, no clock): a waiting update is written
// only when its reason changes, and the campaign page groups devices by reason.
import { describeWindow, insideWindow, type MaintenanceWindow } from './windows.rules.js';

/** What the register says of the device (null: it is no longer in the register). */
export interface RegisterFacts {
  station: string;
  model: string;
  /** Cameras: lifecycle status (`in_stock`, `issued`, …); docks: null. */
  status: string | null;
  /** Cameras: the officer holding it while issued. */
  holder: string | null;
  /** Cameras: the transfer it travels in, if any. */
  transfer: string | null;
}

/** What the device last reported (null: never heard from). */
export interface LiveFacts {
  online: boolean;
  /** Firmware version it reports. */
  firmware: string | null;
  camera: {
    battery: number;
    charging: boolean;
    recording: boolean;
    docked: boolean;
    /** The reading's own timestamp (device clock, ISO 8601). */
    ts: string;
  } | null;
  dock: {
    uplink: boolean;
    offloading: boolean;
    ts: string;
  } | null;
}

export interface EligibilityInput {
  kind: 'camera' | 'dock';
  register: RegisterFacts | null;
  live: LiveFacts | null;
  /** Cameras issued to an officer: whether that officer is on a shift now. */
  holderOnShift: boolean;
  /** The station's maintenance window, or null: any time. */
  window: Pick<MaintenanceWindow, 'timeZone' | 'windows'> | null;
  now: Date;
  /** Least battery (percent) unless charging. */
  minBattery: number;
}

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

const wait = (reason: string): Eligibility => ({ eligible: false, reason });
const ELIGIBLE: Eligibility = { eligible: true };

const STATUS_REASON: Record<string, string> = {
  lost: 'reported lost',
  retired: 'retired',
  in_repair: 'in repair',
  faulty: 'faulty',
};

export function eligibility(i: EligibilityInput): Eligibility {
  if (!i.register) return wait('no longer in the register');
  return i.kind === 'camera' ? cameraEligibility(i, i.register) : dockEligibility(i);
}

function cameraEligibility(i: EligibilityInput, r: RegisterFacts): Eligibility {
  // Custody first: whatever the camera reports, one in an officer's hands is never touched.
  if (r.status === 'issued') {
    const officer = r.holder ?? 'unknown';
    return wait(i.holderOnShift ? `officer ${officer} is on shift` : `issued to officer ${officer}`);
  }
  if (r.status !== 'in_stock') return wait(STATUS_REASON[r.status ?? ''] ?? `register status ${r.status}`);
  if (r.transfer) return wait('in transit to another station');
  const c = i.live?.camera;
  if (!i.live?.online || !c) return wait('offline');
  if (!c.docked) return wait('not docked');
  if (c.recording) return wait('recording');
  if (!c.charging && c.battery < i.minBattery) return wait(`battery below ${i.minBattery}% and not charging`);
  return windowCheck(i);
}

function dockEligibility(i: EligibilityInput): Eligibility {
  const d = i.live?.dock;
  if (!i.live?.online || !d) return wait('offline');
  if (!d.uplink) return wait('uplink down');
  if (d.offloading) return wait('offloading clips');
  return windowCheck(i);
}

function windowCheck(i: EligibilityInput): Eligibility {
  if (!i.window || insideWindow(i.window, i.now)) return ELIGIBLE;
  return wait(`outside the maintenance window (${describeWindow(i.window)})`);
}
