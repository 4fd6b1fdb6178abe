import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import { CAMERA_STATUSES } from './lifecycle.js';

// The natural key is also the _id: FerretDB v1 (SQLite) answers only _id lookups from an index;
// any other filter scans the whole collection (see docs/database.md, "FerretDB gaps").
const cameraFields = {
  _id: { type: String, required: true },
  serial: { type: String, required: true, unique: true },
  model: { type: String, required: true },
  assetTag: { type: String, required: true, unique: true },
  station: { type: String, required: true },
  purchaseDate: { type: Date, default: null },
  purchaseCost: { type: Number, default: null },
  status: { type: String, enum: CAMERA_STATUSES, default: 'in_stock' as const },
  /** The officer number holding the camera while it is issued, else null. */
  holder: { type: String, default: null },
  /** The transfer the camera is travelling in (station to station), else null. */
  transfer: { type: String, default: null },
  notes: { type: String, default: '' },
  /** While `lost`: whether it was reported lost or stolen (null otherwise). */
  lostReason: { type: String, enum: ['lost', 'stolen'] as const, default: null },
  /** While `lost`: the officer who held it when it went (null: it went from the shelf). */
  lostBy: { type: String, default: null },
  /** Set on cameras created by a CSV import, so a failed import can remove exactly its own rows. */
  importId: { type: String, default: null },
};
const cameraOptions = { collection: 'cameras', timestamps: true, versionKey: false } as const;
type CameraRecord = Stored<typeof cameraFields, typeof cameraOptions>;
/** A camera of the register, as stored less its `_id` (the serial again). */
export type CameraDoc = Omit<CameraRecord, '_id'>;

const cameraSchema = new Schema<CameraRecord>(cameraFields, cameraOptions);
// Stock by station and status; the register's list filters.
cameraSchema.index({ station: 1, status: 1 });
cameraSchema.index({ importId: 1 });

const dockFields = {
  _id: { type: String, required: true },
  id: { type: String, required: true, unique: true },
  station: { type: String, required: true },
  slots: { type: Number, required: true },
  model: { type: String, required: true },
};
const dockOptions = { collection: 'docks', timestamps: true, versionKey: false } as const;
type DockRecord = Stored<typeof dockFields, typeof dockOptions>;
/** A dock, as stored less its `_id` (its id again). */
export type DockDoc = Omit<DockRecord, '_id'>;

const dockSchema = new Schema<DockRecord>(dockFields, dockOptions);
dockSchema.index({ station: 1 });

export const cameraModel = (conn: Connection) => conn.model<CameraRecord>('Camera', cameraSchema);
export const dockModel = (conn: Connection) => conn.model<DockRecord>('Dock', dockSchema);
