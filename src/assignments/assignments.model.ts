import type { ActionContext } from '../shared/index.js';
import { Schema, type Connection } from 'mongoose';

export const MODES = ['personal', 'pool'] as const;
export type Mode = (typeof MODES)[number];
export const CONDITIONS = ['ok', 'damaged', 'faulty'] as const;
export type Condition = (typeof CONDITIONS)[number];

/**
 * One document per camera currently out. Its two unique indexes ARE the check-out invariants:
 * a camera is issued to at most one officer and an officer holds at most one camera. A check-out
 * claims both by inserting; FerretDB v1 makes unique-index inserts atomic, unlike conditional updates.
 */
export interface OpenAssignmentDoc {
  id: string;
  camera: string;
  officer: string;
  mode: Mode;
  station: string;
  issuedAt: Date;
  issuedBy: string;
  /**
   * Who issued it, in which request: what crash recovery needs to finish the check-out's history
   * and audit entries in their name. Absent on assignments made before it was kept.
   */
  context?: ActionContext;
}

/** A finished assignment. Its unique `id` lets exactly one check-in close a given check-out. */
export interface ClosedAssignmentDoc extends OpenAssignmentDoc {
  returnedAt: Date;
  returnedBy: string;
  /** How it came back; `lost` when reported lost or stolen while issued. */
  condition: 'ok' | 'damaged' | 'faulty' | 'lost';
  notes: string;
  /** Who took it back, in which request (see OpenAssignmentDoc.context). */
  returnContext?: ActionContext;
  /** Derived from the check-in's Idempotency-Key: a retry recognises its own return by it. */
  returnKey?: string;
}

export const EVENT_TYPES = [
  'check-out',
  'check-in',
  'fault-reported',
  'repair-started',
  'repair-completed',
  'lost',
  'retired',
  'transfer-sent',
  'transfer-received',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One line of a camera's (and, where an officer is involved, that officer's) history. A custody
 * change's event is stored with `_id` `<type>:<assignment>`, so that recovery writing it again is
 * refused by the primary key.
 */
export interface CameraEventDoc {
  camera: string;
  officer: string | null;
  type: EventType;
  at: Date;
  actor: string;
  details: Record<string, unknown>;
}

export interface FaultDoc {
  id: string;
  camera: string;
  state: 'open' | 'in_repair' | 'closed';
  /** How the fault was found: at check-in (damaged/faulty) or reported on a camera in stock. */
  source: 'check-in' | 'report';
  condition: 'damaged' | 'faulty';
  notes: string;
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
}

// _id is the camera serial: the primary key is the one-assignment-per-camera invariant, and
// check-in finds the assignment by camera with an indexed lookup (FerretDB v1 pushes down only _id).
const openSchema = new Schema<OpenAssignmentDoc & { _id: string }>(
  {
    _id: { type: String, required: true },
    id: { type: String, required: true, unique: true },
    camera: { type: String, required: true },
    officer: { type: String, required: true, unique: true },
    mode: { type: String, enum: MODES, required: true },
    station: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    issuedBy: { type: String, required: true },
    context: { type: Schema.Types.Mixed },
  },
  { collection: 'open_assignments', versionKey: false },
);

// _id is the assignment id: inserting the closed record claims the return (one winner), and
// finding it by assignment is an indexed lookup (FerretDB v1 pushes down only _id).
const closedSchema = new Schema<ClosedAssignmentDoc & { _id: string }>(
  {
    _id: { type: String, required: true },
    id: { type: String, required: true },
    camera: { type: String, required: true },
    officer: { type: String, required: true },
    mode: { type: String, enum: MODES, required: true },
    station: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    issuedBy: { type: String, required: true },
    returnedAt: { type: Date, required: true },
    returnedBy: { type: String, required: true },
    condition: { type: String, required: true },
    notes: { type: String, default: '' },
    context: { type: Schema.Types.Mixed },
    returnContext: { type: Schema.Types.Mixed },
    returnKey: { type: String },
  },
  { collection: 'closed_assignments', versionKey: false },
);
closedSchema.index({ camera: 1, returnedAt: -1 });

const eventSchema = new Schema<CameraEventDoc>(
  {
    camera: { type: String, required: true },
    officer: { type: String, default: null },
    type: { type: String, enum: EVENT_TYPES, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'camera_events', versionKey: false, minimize: false },
);
eventSchema.index({ camera: 1, at: -1 });
eventSchema.index({ officer: 1, at: -1 });

const faultSchema = new Schema<FaultDoc>(
  {
    id: { type: String, required: true, unique: true },
    camera: { type: String, required: true },
    state: { type: String, enum: ['open', 'in_repair', 'closed'], required: true },
    source: { type: String, enum: ['check-in', 'report'], required: true },
    condition: { type: String, enum: ['damaged', 'faulty'], required: true },
    notes: { type: String, default: '' },
    openedAt: { type: Date, required: true },
    openedBy: { type: String, required: true },
    closedAt: { type: Date, default: null },
  },
  { collection: 'faults', versionKey: false },
);
faultSchema.index({ camera: 1, state: 1 });

export const openAssignmentModel = (conn: Connection) =>
  conn.model<OpenAssignmentDoc & { _id: string }>('OpenAssignment', openSchema);
export const closedAssignmentModel = (conn: Connection) =>
  conn.model<ClosedAssignmentDoc & { _id: string }>('ClosedAssignment', closedSchema);
export const cameraEventModel = (conn: Connection) => conn.model<CameraEventDoc>('CameraEvent', eventSchema);
export const faultModel = (conn: Connection) => conn.model<FaultDoc>('Fault', faultSchema);
