// Storage shapes for device state, chosen for FerretDB v1 (see docs/database.md, "FerretDB gaps"):
// every update there is a separate SQLite transaction (~5–20 ms on this machine) and only `_id`
// filters are pushed down to SQLite, so one document per device updated per message, or even per
// second, cannot keep up with 10,000 devices. Instead:
// - live state: a few shard documents per kind (`_id` = `camera/07`), each holding the state of
//   every device hashed to it as one JSON string, replaced whole when any of its devices changed.
//   A string, not nested documents: FerretDB converts every nested field of every document it
//   writes, and 64 shards of nested device states took up to 18 s a flush at 3,200 devices
//   (bench:telemetry), holding the connection pool that CONNECT checks and API reads wait on;
// - history: one document per device per hour (`_id` = `camera:SERIAL@2026-11-25T03`), inserted
//   once when the hour closes, in one insertMany for the whole fleet. Until then the open hour's
//   samples are also appended, one document per flush for the whole fleet, to a journal that a
//   restarted process reads back (a crash then loses only the last flush interval, not the hour);
//   the journal of an hour is deleted once its buckets are stored;
// - alerts: one document per raised condition, `_id` = `camera:SERIAL:battery_low:<raisedAt ISO>`,
//   so clearing it is a write by `_id` (a filter on kind/id/type scanned the whole collection on
//   every clear, and a fleet's alerts made that quadratic). Each raise of a condition is stamped at
//   least 1 ms after its previous one (state.service.ts, raiseInstant), so the `_id` is unique.
import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import type { HistorySample } from './state.types.js';

// These collections are written through the driver (state.repository.ts), so mongoose validates
// none of these fields: `required` below says what the writers always store, for the derived types.

const shardFields = {
  _id: { type: String, required: true },
  kind: { type: String, required: true },
  /** JSON of `Record<id, DeviceState>`. */
  devices: { type: String, required: true },
  savedAt: { type: Date, required: true },
};
const shardOptions = { collection: 'device_state_shards', versionKey: false, minimize: false } as const;
export type StateShardDoc = Stored<typeof shardFields, typeof shardOptions>;
const shardSchema = new Schema<StateShardDoc>(shardFields, shardOptions);

const historyFields = {
  _id: { type: String, required: true },
  kind: { type: String, required: true },
  id: { type: String, required: true },
  /** Start of the UTC hour the samples fall in. */
  hour: { type: Date, required: true },
  samples: Schema.Types.Mixed,
};
const historyOptions = { collection: 'telemetry_history', versionKey: false } as const;
export type HistoryDoc = Stored<typeof historyFields, typeof historyOptions, { samples: HistorySample[] }>;
const historySchema = new Schema<HistoryDoc>(historyFields, historyOptions);
// The retention job deletes by hour.
historySchema.index({ hour: 1 });

const journalFields = {
  /** `<hour ISO, to the hour>/<written at, ms>-<pid>-<n>`: sorting by `_id` is sorting by time. */
  _id: { type: String, required: true },
  hour: { type: Date, required: true },
  /** JSON of `JournalEntry[]`, one string for the same reason as the shards'. */
  samples: { type: String, required: true },
};
const journalOptions = { collection: 'telemetry_history_journal', versionKey: false } as const;
export type JournalDoc = Stored<typeof journalFields, typeof journalOptions>;
const journalSchema = new Schema<JournalDoc>(journalFields, journalOptions);
journalSchema.index({ hour: 1 });

const alertFields = {
  _id: { type: String, required: true },
  kind: { type: String, required: true },
  id: { type: String, required: true },
  type: { type: String, required: true },
  detail: { type: String, required: true },
  raisedAt: { type: Date, required: true },
  clearedAt: { type: Date, default: null },
};
const alertOptions = { collection: 'device_alerts', versionKey: false } as const;
export type AlertDoc = Stored<typeof alertFields, typeof alertOptions>;
const alertSchema = new Schema<AlertDoc>(alertFields, alertOptions);
alertSchema.index({ clearedAt: 1, raisedAt: -1 });

export const shardModel = (conn: Connection) => conn.model<StateShardDoc>('DeviceStateShard', shardSchema);
export const historyModel = (conn: Connection) => conn.model<HistoryDoc>('TelemetryHistory', historySchema);
export const journalModel = (conn: Connection) =>
  conn.model<JournalDoc>('TelemetryHistoryJournal', journalSchema);
export const alertModel = (conn: Connection) => conn.model<AlertDoc>('DeviceAlert', alertSchema);

export const alertId = (kind: string, id: string, type: string, raisedAt: Date) =>
  `${kind}:${id}:${type}:${raisedAt.toISOString()}`;

export const historyId = (kind: string, id: string, hour: Date) =>
  `${kind}:${id}@${hour.toISOString().slice(0, 13)}`;
