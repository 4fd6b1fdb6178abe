// Whether a camera may be issued, stated in one place (Snipe-IT's availableForCheckout()):
// each refusal has its own stable problem type so the stores desk can say exactly why.
import { AppError } from '../errors.js';
import type { Camera } from '../fleet/index.js';

const refusals = {
  issued: ['camera-already-issued', 'Camera is already issued'],
  faulty: ['camera-faulty', 'Camera is faulty'],
  in_repair: ['camera-in-repair', 'Camera is in repair'],
  lost: ['camera-lost', 'Camera is reported lost or stolen'],
  retired: ['camera-retired', 'Camera is retired'],
} as const;

export const cameraAlreadyIssued = (serial: string) =>
  new AppError(
    'conflict',
    refusals.issued[0],
    refusals.issued[1],
    `Camera '${serial}' is issued to someone else`,
  );

export const officerAlreadyHoldsCamera = (officer: string, camera?: string) =>
  new AppError(
    'conflict',
    'officer-already-holds-camera',
    'Officer already holds a camera',
    `Officer '${officer}' already holds camera${camera ? ` '${camera}'` : ''}; check it in first`,
  );

/** Throws the precise reason `camera` cannot be issued to an officer of `officerStation`. */
export function assertAvailable(camera: Camera, officerStation: string): void {
  if (camera.status !== 'in_stock') {
    const [type, title] = refusals[camera.status];
    throw new AppError(
      'conflict',
      type,
      title,
      `Camera '${camera.serial}' is ${camera.status.replace('_', ' ')}`,
    );
  }
  if (camera.transfer) {
    throw new AppError(
      'conflict',
      'camera-in-transit',
      'Camera is in transit',
      `Camera '${camera.serial}' is being transferred between stations`,
    );
  }
  if (camera.station !== officerStation) {
    throw new AppError(
      'conflict',
      'camera-at-another-station',
      'Camera is held at another station',
      `Camera '${camera.serial}' is at ${camera.station}; the officer is at ${officerStation}`,
    );
  }
}
