import type { ActionContext } from '../shared/index.js';
import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';

export const MODES = ['personal', 'pool'] as const;
export type Mode = (typeof MODES)[number];
export const CONDITIONS = ['ok', 'damaged', 'faulty'] as const;
export type Condition = (typeof CONDITIONS)[number];

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
 * The fields of an issue, shared by an open assignment and the closed one that records its return
 * (spread first, so both documents keep these fields first and in this order).
 */
const issueFields = {
  _id: { type: String, required: true },
  id: { type: String, required: true },
  camera: { type: String, required: true },
  officer: { type: String, required: true },
  mode: { type: String, enum: MODES, required: true },
  station: { type: String, required: true },
  issuedAt: { type: Date, required: true },
  issuedBy: { type: String, required: true },
};
/**
 * Who issued it, in which request: what crash recovery needs to finish the check-out's history
 * and audit entries in their name. Absent on assignments made before it was kept.
 */
type IssueContext = { context?: ActionContext };

/**
 * One document per camera currently out. Its two unique indexes ARE the check-out invariants:
 * a camera is issued to at most one officer and an officer holds at most one camera. A check-out
 * claims both by inserting; FerretDB v1 makes unique-index inserts atomic, unlike conditional updates.
 * _id is the camera serial: the primary key is the one-assignment-per-camera invariant, and
 * check-in finds the assignment by camera with an indexed lookup (FerretDB v1 pushes down only _id).
 */
const openFields = {
  ...issueFields,
  id: { type: String, required: true, unique: true },
  officer: { type: String, required: true, unique: true },
  context: { type: Schema.Types.Mixed },
};
const openOptions = { collection: 'open_assignments', versionKey: false } as const;
type OpenAssignmentRecord = Stored<typeof openFields, typeof openOptions, IssueContext>;
export type OpenAssignmentDoc = Omit<OpenAssignmentRecord, '_id'>;
const openSchema = new Schema<OpenAssignmentRecord>(openFields, openOptions);

/**
 * A finished assignment. Its unique `id` lets exactly one check-in close a given check-out.
 * _id is the assignment id: inserting the closed record claims the return (one winner), and
 * finding it by assignment is an indexed lookup (FerretDB v1 pushes down only _id).
 */
const closedFields = {
  ...issueFields,
  returnedAt: { type: Date, required: true },
  returnedBy: { type: String, required: true },
  /** How it came back; `lost` when reported lost or stolen while issued. */
  condition: { type: String, enum: [...CONDITIONS, 'lost'] as const, required: true },
  notes: { type: String, default: '' },
  context: { type: Schema.Types.Mixed },
  returnContext: { type: Schema.Types.Mixed },
  /** Derived from the check-in's Idempotency-Key: a retry recognises its own return by it. */
  returnKey: { type: String, allowNull: false as const },
};
const closedOptions = { collection: 'closed_assignments', versionKey: false } as const;
type ClosedAssignmentRecord = Stored<
  typeof closedFields,
  typeof closedOptions,
  // Who took it back, in which request (see IssueContext).
  IssueContext & { returnContext?: ActionContext }
>;
export type ClosedAssignmentDoc = Omit<ClosedAssignmentRecord, '_id'>;
const closedSchema = new Schema<ClosedAssignmentRecord>(closedFields, closedOptions);
closedSchema.index({ camera: 1, returnedAt: -1 });

/**
 * One line of a camera's (and, where an officer is involved, that officer's) history. A custody
 * change's event is stored with `_id` `<type>:<assignment>`, so that recovery writing it again is
 * refused by the primary key.
 */
const eventFields = {
  camera: { type: String, required: true },
  officer: { type: String, default: null },
  type: { type: String, enum: EVENT_TYPES, required: true },
  at: { type: Date, required: true },
  actor: { type: String, required: true },
  details: { type: Schema.Types.Mixed, default: {} },
};
const eventOptions = { collection: 'camera_events', versionKey: false, minimize: false } as const;
export type CameraEventDoc = Omit<
  Stored<typeof eventFields, typeof eventOptions, { details: Record<string, unknown> }>,
  '_id'
>;
const eventSchema = new Schema<CameraEventDoc>(eventFields, eventOptions);
eventSchema.index({ camera: 1, at: -1 });
eventSchema.index({ officer: 1, at: -1 });

const faultFields = {
  id: { type: String, required: true, unique: true },
  camera: { type: String, required: true },
  state: { type: String, enum: ['open', 'in_repair', 'closed'] as const, required: true },
  /** How the fault was found: at check-in (damaged/faulty) or reported on a camera in stock. */
  source: { type: String, enum: ['check-in', 'report'] as const, required: true },
  condition: { type: String, enum: ['damaged', 'faulty'] as const, required: true },
  notes: { type: String, default: '' },
  openedAt: { type: Date, required: true },
  openedBy: { type: String, required: true },
  closedAt: { type: Date, default: null },
};
const faultOptions = { collection: 'faults', versionKey: false } as const;
export type FaultDoc = Omit<Stored<typeof faultFields, typeof faultOptions>, '_id'>;
const faultSchema = new Schema<FaultDoc>(faultFields, faultOptions);
faultSchema.index({ camera: 1, state: 1 });

export const openAssignmentModel = (conn: Connection) =>
  conn.model<OpenAssignmentRecord>('OpenAssignment', openSchema);
export const closedAssignmentModel = (conn: Connection) =>
  conn.model<ClosedAssignmentRecord>('ClosedAssignment', closedSchema);
export const cameraEventModel = (conn: Connection) => conn.model<CameraEventDoc>('CameraEvent', eventSchema);
export const faultModel = (conn: Connection) => conn.model<FaultDoc>('Fault', faultSchema);
