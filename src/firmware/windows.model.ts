// Maintenance windows: one document per station that has one (a station without: any time).
import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import type { WindowSpan } from './windows.rules.js';

const windowFields = {
  /** The station code. */
  _id: { type: String, required: true },
  timeZone: { type: String, required: true },
  windows: { type: Schema.Types.Mixed, required: true },
  updatedBy: { type: String, required: true },
};
const windowOptions = { collection: 'firmware_windows', timestamps: true, versionKey: false } as const;
export type WindowDoc = Stored<typeof windowFields, typeof windowOptions, { windows: WindowSpan[] }>;

const windowSchema = new Schema<WindowDoc>(windowFields, windowOptions);

export const windowModel = (conn: Connection) => conn.model<WindowDoc>('FirmwareWindow', windowSchema);
