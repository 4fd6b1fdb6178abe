// The check-out gates a force configures (CHECKOUT_MIN_BATTERY, CHECKOUT_FIRMWARE; docs/stores-desk.md):
// beyond the register's own rules (availability.ts), a camera whose last reported battery is below
// the minimum, or whose firmware the gate does not accept, is refused with its own problem type.
// Asked on every check-out, so the facts come from memory (live device state, the versions
// register), never from the database. Pure apart from the `FitnessSource` it is handed.
import { AppError, type CameraSuggestion } from '../errors.js';

export const FIRMWARE_GATES = ['any', 'not-blocked', 'approved', 'latest'] as const;
export type FirmwareGate = (typeof FIRMWARE_GATES)[number];

export interface GateSettings {
  /** Least battery (percent) a camera needs to be issued; 0: no battery gate. */
  minBattery: number;
  /** Which firmware a camera may be issued on. */
  firmware: FirmwareGate;
}

/** What the gates need to know of a camera, as it last reported. */
export interface CameraFitness {
  /** Last reported battery (percent). */
  battery: number;
  /** The firmware version it reports. */
  firmware: string;
  /** Why its firmware is unfit (`firmware 1.9.0 is blocked`), or null. */
  blocked: string | null;
  /** What IT decided about that version for the camera's model. */
  firmwareStatus: 'approved' | 'blocked' | 'unreviewed';
  /** The latest approved version for the camera's model, or null if none is. */
  latest: string | null;
}

/** Where the gates read a camera's fitness: synchronous, from memory (no database round trip). */
export interface FitnessSource {
  /** Null: the camera never reported (its battery and firmware are not known, so not gated). */
  of(camera: { serial: string; model: string }): CameraFitness | null;
}

/** Why `camera` may not be issued under `gates`, or null when it passes them. */
export function gateRefusal(
  camera: { serial: string },
  fit: CameraFitness | null,
  gates: GateSettings,
): AppError | null {
  if (!fit) return null;
  const battery = Math.round(fit.battery);
  if (gates.minBattery > 0 && fit.battery < gates.minBattery) {
    return new AppError(
      'camera-battery-low',
      `Camera '${camera.serial}' has ${battery}% battery; at least ${gates.minBattery}% is needed to issue it`,
    );
  }
  if (gates.firmware === 'any') return null;
  if (fit.blocked) {
    return new AppError('camera-firmware-blocked', `Camera '${camera.serial}': ${fit.blocked}`);
  }
  if (gates.firmware === 'approved' && fit.firmwareStatus !== 'approved') {
    return new AppError(
      'camera-firmware-not-approved',
      `Camera '${camera.serial}' runs firmware ${fit.firmware}, which IT has not approved`,
    );
  }
  if (gates.firmware === 'latest' && fit.firmware !== fit.latest) {
    return new AppError(
      'camera-firmware-not-approved',
      `Camera '${camera.serial}' runs firmware ${fit.firmware}, not the latest approved (${fit.latest ?? 'none approved'})`,
    );
  }
  return null;
}

/**
 * The camera to take instead: of `candidates` (the station's cameras in stock), the one with the
 * most battery that is not travelling and passes the gates; a camera that never reported comes
 * after every one that did. Null if none.
 */
export function nearestFit(
  candidates: ReadonlyArray<{ serial: string; model: string; status: string; transfer: string | null }>,
  source: FitnessSource,
  gates: GateSettings,
  exclude: string,
): CameraSuggestion | null {
  let best: CameraSuggestion | null = null;
  const rank = (s: CameraSuggestion) => s.battery ?? -1;
  for (const c of candidates) {
    if (c.serial === exclude || c.status !== 'in_stock' || c.transfer) continue;
    const fit = source.of(c);
    if (gateRefusal(c, fit, gates)) continue;
    const option = { serial: c.serial, battery: fit ? Math.round(fit.battery) : null };
    if (!best || rank(option) > rank(best) || (rank(option) === rank(best) && option.serial < best.serial))
      best = option;
  }
  return best;
}
