import { Schema, type Connection } from 'mongoose';
import type { Actor } from '../shared/action-context.js';

export interface AuditEntryDoc {
  seq: number;
  ts: Date;
  actor: Actor;
  action: string;
  target: { kind: string; id: string };
  summary: string;
  changes: Record<string, unknown> | null;
  requestId: string | null;
  /** Identity of the change the entry records (e.g. `check-out:<assignment>`): written at most once. */
  key?: string;
  prevHash: string;
  hash: string;
}

const schema = new Schema<AuditEntryDoc & { _id: number }>(
  {
    // _id is the sequence number: appending means claiming the next number with an insert, and a
    // duplicate-key error means another writer got there first (atomic on FerretDB and MongoDB
    // alike, unlike a conditional update). Lookups by number use the primary key, the only index
    // FerretDB v1 uses.
    _id: { type: Number, required: true },
    seq: { type: Number, required: true },
    ts: { type: Date, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    action: { type: String, required: true, index: true },
    target: { kind: { type: String, required: true }, id: { type: String, required: true } },
    summary: { type: String, required: true },
    changes: { type: Schema.Types.Mixed, default: null },
    requestId: { type: String, default: null },
    // Unique: a crash-recovery sweep re-running an interrupted check-out cannot audit it twice.
    // Sparse: most entries carry no key (FerretDB v1 ignores missing fields in unique indexes anyway).
    key: { type: String, unique: true, sparse: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'audit', versionKey: false, minimize: false },
);
schema.index({ 'target.kind': 1, 'target.id': 1 });

export const auditModel = (conn: Connection) =>
  conn.model<AuditEntryDoc & { _id: number }>('AuditEntry', schema);
