// The internal, typed stream of lifecycle changes made by this capability (check-out, check-in,
// fault, repair, loss, retirement). The dashboard wiring fans it out to readiness boards and the
// live fleet overview; this capability never knows who listens. Listeners must not throw.
import { EventEmitter } from 'node:events';
import type { CameraStatus } from '../fleet/index.js';
import type { EventType } from './assignments.model.js';

export interface CameraLifecycleChange {
  type: Exclude<EventType, 'transfer-sent' | 'transfer-received'>;
  camera: string;
  /** The camera's station in the register. */
  station: string;
  /** Status and holder as the register now shows them. */
  status: CameraStatus;
  holder: string | null;
  /** The officer concerned: the new holder on check-out, the one who gave it back (or lost it) otherwise. */
  officer: string | null;
}

export interface AssignmentEventMap {
  /** The register's status or holder of a camera changed (written, not merely attempted). */
  'camera:lifecycle': [CameraLifecycleChange];
}

export class AssignmentEvents extends EventEmitter<AssignmentEventMap> {}
