import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';

const shiftFields = {
  /** Stable id, `STATION-TEAM-yyyymmddThhmm` of the start (UTC): a roster re-import finds the same shift. */
  id: { type: String, required: true, unique: true },
  station: { type: String, required: true },
  team: { type: String, required: true },
  start: { type: Date, required: true },
  end: { type: Date, required: true },
  /** Officer numbers on duty for this shift. */
  officers: { type: [String], default: [] },
  /** The roster import that created it, so a failed import can be undone (no transactions). */
  importId: { type: String, default: null },
};
const shiftOptions = { collection: 'shifts', timestamps: true, versionKey: false } as const;
export type ShiftDoc = Omit<Stored<typeof shiftFields, typeof shiftOptions>, '_id'>;

const shiftSchema = new Schema<ShiftDoc>(shiftFields, shiftOptions);
// "Who is on duty at station S now": shifts of a station that started before now, by end.
shiftSchema.index({ station: 1, start: 1 });
shiftSchema.index({ officers: 1, start: 1 });

export const shiftModel = (conn: Connection) => conn.model<ShiftDoc>('Shift', shiftSchema);
