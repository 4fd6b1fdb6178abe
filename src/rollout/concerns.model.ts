// The concerns log: what was raised about the cameras' use (not switched on, misuse, privacy,
// retention, complaints), by category and outcome. The published report only ever counts them.
import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import { CONCERN_CATEGORIES, CONCERN_OUTCOMES } from './rollout.types.js';

const concernFields = {
  _id: { type: String, required: true },
  id: { type: String, required: true },
  phase: { type: String, default: null },
  category: { type: String, enum: CONCERN_CATEGORIES, required: true },
  /** No personal data (the route says so; the report never shows it). */
  summary: { type: String, required: true },
  outcome: { type: String, enum: CONCERN_OUTCOMES, required: true },
  at: { type: Date, required: true },
  by: { type: String, required: true },
};
const concernOptions = { collection: 'rollout_concerns', timestamps: true, versionKey: false } as const;
export type ConcernDoc = Stored<typeof concernFields, typeof concernOptions>;

export const concernModel = (c: Connection) =>
  c.model<ConcernDoc>('RolloutConcern', new Schema<ConcernDoc>(concernFields, concernOptions));
