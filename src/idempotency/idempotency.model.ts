import { Schema, type Connection } from 'mongoose';

/** The stored outcome of the first request sent with an Idempotency-Key. */
export interface IdempotencyDoc {
  /** Actor, route and client key: a key is only ever replayed to the same user on the same route. */
  key: string;
  /** Hash of the request body; the same key with a different body is refused, not replayed. */
  fingerprint: string;
  state: 'pending' | 'done';
  status: number | null;
  /** The JSON response body (success) or the problem (AppError fields) of the first request. */
  body: unknown;
  failed: boolean;
  createdAt: Date;
}

const idempotencySchema = new Schema<IdempotencyDoc & { _id: string }>(
  {
    // _id is the key: the primary key makes a key single-use (the first insert claims it, atomically
    // on FerretDB) and makes the lookups indexed (FerretDB v1 pushes down only _id filters).
    _id: { type: String, required: true },
    key: { type: String, required: true },
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    status: { type: Number, default: null },
    body: { type: Schema.Types.Mixed, default: null },
    failed: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
  },
  { collection: 'idempotency_keys', versionKey: false, minimize: false },
);
// Pruned at start-up by age (FerretDB v1 does not expire TTL indexes).
idempotencySchema.index({ createdAt: 1 });

export const idempotencyModel = (conn: Connection) =>
  conn.model<IdempotencyDoc & { _id: string }>('IdempotencyKey', idempotencySchema);
