import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { auditModel, type AuditEntryDoc } from './audit.model.js';

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetKind?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

export class AuditRepository {
  private readonly model;
  constructor(conn: Connection) {
    this.model = auditModel(conn);
  }

  async last(): Promise<AuditEntryDoc | null> {
    return this.model.findOne().sort({ seq: -1 }).lean<AuditEntryDoc>();
  }

  async bySeq(seq: number): Promise<AuditEntryDoc | null> {
    return this.model.findOne({ seq }).lean<AuditEntryDoc>();
  }

  /** Inserts the entry; false if its seq was already taken. */
  async tryInsert(entry: AuditEntryDoc): Promise<boolean> {
    try {
      await this.model.collection.insertOne({ ...entry });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async find(filter: AuditFilter, limit: number, offset: number) {
    const q: Record<string, unknown> = {};
    if (filter.action) q.action = filter.action;
    if (filter.actorId) q['actor.id'] = filter.actorId;
    if (filter.targetKind) q['target.kind'] = filter.targetKind;
    if (filter.targetId) q['target.id'] = filter.targetId;
    if (filter.from || filter.to)
      q.ts = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
    const [items, total] = await Promise.all([
      this.model.find(q, { _id: 0 }).sort({ seq: -1 }).skip(offset).limit(limit).lean<AuditEntryDoc[]>(),
      this.model.countDocuments(q),
    ]);
    return { items, total };
  }

  async *inOrder(): AsyncIterable<AuditEntryDoc> {
    yield* this.model.find({}, { _id: 0 }).sort({ seq: 1 }).lean<AuditEntryDoc[]>().cursor();
  }
}
