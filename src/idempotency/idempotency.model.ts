import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';

/** The stored outcome of the first request sent with an Idempotency-Key. */
const idempotencyFields = {
  // _id is the key: the primary key makes a key single-use (the first insert claims it, atomically
  // on FerretDB) and makes the lookups indexed (FerretDB v1 pushes down only _id filters).
  _id: { type: String, required: true },
  /** Actor, route and client key: a key is only ever replayed to the same user on the same route. */
  key: { type: String, required: true },
  /** Hash of the request body; the same key with a different body is refused, not replayed. */
  fingerprint: { type: String, required: true },
  state: { type: String, enum: ['pending', 'done'] as const, required: true },
  status: { type: Number, default: null },
  /** The JSON response body (success) or the problem (AppError fields) of the first request. */
  body: { type: Schema.Types.Mixed, default: null },
  failed: { type: Boolean, default: false },
  createdAt: { type: Date, required: true },
};
const idempotencyOptions = { collection: 'idempotency_keys', versionKey: false, minimize: false } as const;
type IdempotencyRecord = Stored<typeof idempotencyFields, typeof idempotencyOptions, { body: unknown }>;
export type IdempotencyDoc = Omit<IdempotencyRecord, '_id'>;

const idempotencySchema = new Schema<IdempotencyRecord>(idempotencyFields, idempotencyOptions);
// Pruned at start-up by age (FerretDB v1 does not expire TTL indexes).
idempotencySchema.index({ createdAt: 1 });

export const idempotencyModel = (conn: Connection) =>
  conn.model<IdempotencyRecord>('IdempotencyKey', idempotencySchema);
