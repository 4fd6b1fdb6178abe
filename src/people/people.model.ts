import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import { QUALIFICATIONS } from '../shared/qualifications.js';

const stationFields = {
  code: { type: String, required: true, unique: true },
  name: { type: String, required: true },
};
const stationOptions = { collection: 'stations', timestamps: true, versionKey: false } as const;
export type StationDoc = Omit<Stored<typeof stationFields, typeof stationOptions>, '_id'>;

const stationSchema = new Schema<StationDoc>(stationFields, stationOptions);

// The officer number is also the _id: FerretDB v1 (SQLite) serves only _id lookups from an index,
// and every check-out looks the officer up (see docs/database.md, "FerretDB gaps").
const officerFields = {
  _id: { type: String, required: true },
  number: { type: String, required: true, unique: true },
  name: { type: String, required: true },
  station: { type: String, required: true },
  team: { type: String, default: null },
  qualifications: { type: [String], enum: QUALIFICATIONS, default: [] },
  active: { type: Boolean, default: true },
  /** Set on officers created by a CSV import, so a failed import can remove exactly its own rows. */
  importId: { type: String, default: null },
};
const officerOptions = { collection: 'officers', timestamps: true, versionKey: false } as const;
type OfficerRecord = Stored<typeof officerFields, typeof officerOptions>;
/**
 * An officer as stored, less its `_id` (the number again). `importId` is optional: the repository
 * leaves it out of the officers it returns, and only an import sets it.
 */
export type OfficerDoc = Omit<OfficerRecord, '_id' | 'importId'> & Partial<Pick<OfficerRecord, 'importId'>>;

const officerSchema = new Schema<OfficerRecord>(officerFields, officerOptions);
// Rosters and readiness list a station's active officers; phased allocation selects by qualification.
officerSchema.index({ station: 1, active: 1 });
officerSchema.index({ qualifications: 1 });
officerSchema.index({ importId: 1 });

export const stationModel = (conn: Connection) => conn.model<StationDoc>('Station', stationSchema);
export const officerModel = (conn: Connection) => conn.model<OfficerRecord>('Officer', officerSchema);
