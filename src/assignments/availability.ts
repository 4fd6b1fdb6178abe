// Whether a camera may be issued, stated in one place (Snipe-IT's availableForCheckout()):
// each refusal has its own stable problem type so the stores desk can say exactly why.
import { AppError } from '../errors.js';
import type { Camera } from '../fleet/index.js';

const refusals = {
  issued: 'camera-already-issued',
  faulty: 'camera-faulty',
  in_repair: 'camera-in-repair',
  lost: 'camera-lost',
  retired: 'camera-retired',
} as const;

export const cameraAlreadyIssued = (serial: string) =>
  new AppError(refusals.issued, `Camera '${serial}' is issued to someone else`);

export const officerAlreadyHoldsCamera = (officer: string, camera?: string) =>
  new AppError(
    'officer-already-holds-camera',
    `Officer '${officer}' already holds camera${camera ? ` '${camera}'` : ''}; check it in first`,
  );

/** Throws the precise reason `camera` cannot be issued to an officer of `officerStation`. */
export function assertAvailable(camera: Camera, officerStation: string): void {
  if (camera.status !== 'in_stock') {
    throw new AppError(
      refusals[camera.status],
      `Camera '${camera.serial}' is ${camera.status.replace('_', ' ')}`,
    );
  }
  if (camera.transfer) {
    throw new AppError(
      'camera-in-transit',
      `Camera '${camera.serial}' is being transferred between stations`,
    );
  }
  if (camera.station !== officerStation) {
    throw new AppError(
      'camera-at-another-station',
      `Camera '${camera.serial}' is at ${camera.station}; the officer is at ${officerStation}`,
    );
  }
}
