import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import type { Actor } from '../shared/action-context.js';

const auditFields = {
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
  /**
   * Identity of the change the entry records (e.g. `check-out:<assignment>`): written at most once.
   * Unique: a crash-recovery sweep re-running an interrupted check-out cannot audit it twice.
   * Sparse: most entries carry no key (FerretDB v1 ignores missing fields in unique indexes anyway);
   * never null, which would be a key like any other.
   */
  key: { type: String, unique: true, sparse: true, allowNull: false as const },
  prevHash: { type: String, required: true },
  hash: { type: String, required: true },
};
const auditOptions = { collection: 'audit', versionKey: false, minimize: false } as const;
type AuditRecord = Stored<
  typeof auditFields,
  typeof auditOptions,
  { actor: Actor; changes: Record<string, unknown> | null }
>;
/** An audit entry as stored, less its `_id` (the sequence number again). */
export type AuditEntryDoc = Omit<AuditRecord, '_id'>;

const schema = new Schema<AuditRecord>(auditFields, auditOptions);
schema.index({ 'target.kind': 1, 'target.id': 1 });

export const auditModel = (conn: Connection) => conn.model<AuditRecord>('AuditEntry', schema);
