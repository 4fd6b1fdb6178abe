import { Schema, type Connection } from 'mongoose';
import { QUALIFICATIONS, type Qualification } from './qualifications.js';

export interface StationDoc {
  code: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface OfficerDoc {
  number: string;
  name: string;
  station: string;
  team: string | null;
  qualifications: Qualification[];
  active: boolean;
  /** Set on officers created by a CSV import, so a failed import can remove exactly its own rows. */
  importId?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const stationSchema = new Schema<StationDoc>(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
  },
  { collection: 'stations', timestamps: true, versionKey: false },
);

// The officer number is also the _id: FerretDB v1 (SQLite) serves only _id lookups from an index,
// and every check-out looks the officer up (see docs/database.md, "FerretDB gaps").
const officerSchema = new Schema<OfficerDoc & { _id: string }>(
  {
    _id: { type: String, required: true },
    number: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    station: { type: String, required: true },
    team: { type: String, default: null },
    qualifications: { type: [String], enum: QUALIFICATIONS, default: [] },
    active: { type: Boolean, default: true },
    importId: { type: String, default: null },
  },
  { collection: 'officers', timestamps: true, versionKey: false },
);
// Rosters and readiness list a station's active officers; phased allocation selects by qualification.
officerSchema.index({ station: 1, active: 1 });
officerSchema.index({ qualifications: 1 });
officerSchema.index({ importId: 1 });

export const stationModel = (conn: Connection) => conn.model<StationDoc>('Station', stationSchema);
export const officerModel = (conn: Connection) =>
  conn.model<OfficerDoc & { _id: string }>('Officer', officerSchema);
