// The rollout's measured history: readiness samples and desk events as they happen, and the day
// records they are folded into once a day has closed.
//
// Race-free on FerretDB v1 (no atomic conditional updates, `$inc` included): every write is an
// insert whose `_id` names what it counts, so two processes (or a restart) recording the same
// thing collide on the key and one wins. A sample is `station|minute`; a desk event is keyed by
// the domain event or the dock's tap that caused it; a day record is `station|day`, inserted once
// by whoever folds that day first, and only then are the day's raw records removed (so anyone
// folding later fails the insert rather than counting a half-deleted day). Only `_id` filters are
// served from an index on FerretDB v1: the raw collections stay small (today and yesterday), and
// a year of history is ~365 day records per station.
import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';

const sampleFields = {
  /** `station|YYYY-MM-DDTHH:MM` (UTC). */
  _id: { type: String, required: true },
  station: { type: String, required: true },
  day: { type: String, required: true },
  at: { type: Date, required: true },
  /** In-scope officers on shift. */
  onShift: { type: Number, required: true },
  /** Of them, with a working camera (green on the board). */
  working: { type: Number, required: true },
  /** In-scope officers on shift with no camera issued (officer numbers; never reported). */
  noCamera: { type: [String], default: [] },
};
const sampleOptions = { collection: 'rollout_readiness_samples', versionKey: false } as const;
export type ReadinessSampleDoc = Stored<typeof sampleFields, typeof sampleOptions>;

const readinessDayFields = {
  /** `station|YYYY-MM-DD`. */
  _id: { type: String, required: true },
  station: { type: String, required: true },
  day: { type: String, required: true },
  samples: { type: Number, required: true },
  onShift: { type: Number, required: true },
  working: { type: Number, required: true },
  noCamera: { type: [String], default: [] },
};
const readinessDayOptions = { collection: 'rollout_readiness_days', versionKey: false } as const;
export type ReadinessDayDoc = Stored<typeof readinessDayFields, typeof readinessDayOptions>;

export const DESK_KINDS = ['issue', 'no-camera'] as const;
export type DeskKind = (typeof DESK_KINDS)[number];

const deskEventFields = {
  /** What caused it: `issue:<event id>`, `refused:<event id>`, `dock:<dock>|<officer>|<tap time>`. */
  _id: { type: String, required: true },
  station: { type: String, required: true },
  day: { type: String, required: true },
  kind: { type: String, enum: DESK_KINDS, required: true },
  at: { type: Date, required: true },
};
const deskEventOptions = { collection: 'rollout_desk_events', versionKey: false } as const;
export type DeskEventDoc = Stored<typeof deskEventFields, typeof deskEventOptions>;

const deskDayFields = {
  /** `station|YYYY-MM-DD`. */
  _id: { type: String, required: true },
  station: { type: String, required: true },
  day: { type: String, required: true },
  issues: { type: Number, required: true },
  noCamera: { type: Number, required: true },
};
const deskDayOptions = { collection: 'rollout_desk_days', versionKey: false } as const;
export type DeskDayDoc = Stored<typeof deskDayFields, typeof deskDayOptions>;

const sampleSchema = new Schema<ReadinessSampleDoc>(sampleFields, sampleOptions);
const readinessDaySchema = new Schema<ReadinessDayDoc>(readinessDayFields, readinessDayOptions);
const deskEventSchema = new Schema<DeskEventDoc>(deskEventFields, deskEventOptions);
const deskDaySchema = new Schema<DeskDayDoc>(deskDayFields, deskDayOptions);

export const readinessSampleModel = (conn: Connection) =>
  conn.model<ReadinessSampleDoc>('RolloutReadinessSample', sampleSchema);
export const readinessDayModel = (conn: Connection) =>
  conn.model<ReadinessDayDoc>('RolloutReadinessDay', readinessDaySchema);
export const deskEventModel = (conn: Connection) =>
  conn.model<DeskEventDoc>('RolloutDeskEvent', deskEventSchema);
export const deskDayModel = (conn: Connection) => conn.model<DeskDayDoc>('RolloutDeskDay', deskDaySchema);
