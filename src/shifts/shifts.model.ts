import { Schema, type Connection } from 'mongoose';

export interface ShiftDoc {
  /** Stable id, `STATION-TEAM-yyyymmddThhmm` of the start (UTC): a roster re-import finds the same shift. */
  id: string;
  station: string;
  team: string;
  start: Date;
  end: Date;
  /** Officer numbers on duty for this shift. */
  officers: string[];
  /** The roster import that created it, so a failed import can be undone (no transactions). */
  importId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const shiftSchema = new Schema<ShiftDoc>(
  {
    id: { type: String, required: true, unique: true },
    station: { type: String, required: true },
    team: { type: String, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    officers: { type: [String], default: [] },
    importId: { type: String, default: null },
  },
  { collection: 'shifts', timestamps: true, versionKey: false },
);
// "Who is on duty at station S now": shifts of a station that started before now, by end.
shiftSchema.index({ station: 1, start: 1 });
shiftSchema.index({ officers: 1, start: 1 });

export const shiftModel = (conn: Connection) => conn.model<ShiftDoc>('Shift', shiftSchema);
