import { Schema, type Connection } from 'mongoose';
import { CAMERA_STATUSES, type CameraStatus } from './lifecycle.js';

export interface CameraDoc {
  serial: string;
  model: string;
  assetTag: string;
  station: string;
  purchaseDate: Date | null;
  purchaseCost: number | null;
  status: CameraStatus;
  /** The officer number holding the camera while it is issued, else null. */
  holder: string | null;
  /** The transfer the camera is travelling in (station to station), else null. */
  transfer: string | null;
  notes: string;
  /** Set on cameras created by a CSV import, so a failed import can remove exactly its own rows. */
  importId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DockDoc {
  id: string;
  station: string;
  slots: number;
  model: string;
  createdAt: Date;
  updatedAt: Date;
}

// The natural key is also the _id: FerretDB v1 (SQLite) answers only _id lookups from an index;
// any other filter scans the whole collection (see docs/database.md, "FerretDB gaps").
const cameraSchema = new Schema<CameraDoc & { _id: string }>(
  {
    _id: { type: String, required: true },
    serial: { type: String, required: true, unique: true },
    model: { type: String, required: true },
    assetTag: { type: String, required: true, unique: true },
    station: { type: String, required: true },
    purchaseDate: { type: Date, default: null },
    purchaseCost: { type: Number, default: null },
    status: { type: String, enum: CAMERA_STATUSES, default: 'in_stock' },
    holder: { type: String, default: null },
    transfer: { type: String, default: null },
    notes: { type: String, default: '' },
    importId: { type: String, default: null },
  },
  { collection: 'cameras', timestamps: true, versionKey: false },
);
// Stock by station and status; the register's list filters.
cameraSchema.index({ station: 1, status: 1 });
cameraSchema.index({ importId: 1 });

const dockSchema = new Schema<DockDoc & { _id: string }>(
  {
    _id: { type: String, required: true },
    id: { type: String, required: true, unique: true },
    station: { type: String, required: true },
    slots: { type: Number, required: true },
    model: { type: String, required: true },
  },
  { collection: 'docks', timestamps: true, versionKey: false },
);
dockSchema.index({ station: 1 });

export const cameraModel = (conn: Connection) =>
  conn.model<CameraDoc & { _id: string }>('Camera', cameraSchema);
export const dockModel = (conn: Connection) => conn.model<DockDoc & { _id: string }>('Dock', dockSchema);
