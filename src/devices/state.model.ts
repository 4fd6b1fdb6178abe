import { Schema, type Connection } from 'mongoose';
import type { DeviceState, HistorySample } from './state.types.js';

/** The latest state of each device, one document per device, written in coalesced batches. */
const stateSchema = new Schema<DeviceState>(
  {
    kind: { type: String, required: true },
    id: { type: String, required: true },
    online: Boolean,
    lastSeen: Date,
    camera: Schema.Types.Mixed,
    dock: Schema.Types.Mixed,
    faults: Schema.Types.Mixed,
    malformed: Number,
    updatedAt: Date,
  },
  { collection: 'device_states', versionKey: false, minimize: false },
);
stateSchema.index({ kind: 1, id: 1 }, { unique: true });

export interface HistoryDoc {
  kind: string;
  id: string;
  /** Start of the UTC hour the samples fall in: one document per device per hour. */
  hour: Date;
  samples: HistorySample[];
}
const historySchema = new Schema<HistoryDoc>(
  {
    kind: { type: String, required: true },
    id: { type: String, required: true },
    hour: { type: Date, required: true },
    samples: Schema.Types.Mixed,
  },
  { collection: 'telemetry_history', versionKey: false },
);
// One bucket per device-hour is an invariant the upsert relies on; the retention job scans by hour.
historySchema.index({ kind: 1, id: 1, hour: 1 }, { unique: true });
historySchema.index({ hour: 1 });

export interface AlertDoc {
  kind: string;
  id: string;
  type: string;
  detail: string;
  raisedAt: Date;
  clearedAt: Date | null;
}
const alertSchema = new Schema<AlertDoc>(
  {
    kind: { type: String, required: true },
    id: { type: String, required: true },
    type: { type: String, required: true },
    detail: String,
    raisedAt: { type: Date, required: true },
    clearedAt: { type: Date, default: null },
  },
  { collection: 'device_alerts', versionKey: false },
);
alertSchema.index({ clearedAt: 1, raisedAt: -1 });
alertSchema.index({ kind: 1, id: 1, type: 1, clearedAt: 1 });

export const stateModel = (conn: Connection) => conn.model<DeviceState>('DeviceState', stateSchema);
export const historyModel = (conn: Connection) => conn.model<HistoryDoc>('TelemetryHistory', historySchema);
export const alertModel = (conn: Connection) => conn.model<AlertDoc>('DeviceAlert', alertSchema);
