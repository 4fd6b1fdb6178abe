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

const NO_ID = { _id: 0 } as const;

export class AuditRepository {
  private readonly model;
  constructor(conn: Connection) {
    this.model = auditModel(conn);
  }

  async last(): Promise<AuditEntryDoc | null> {
    return this.model.findOne({}, NO_ID).sort({ _id: -1 }).lean<AuditEntryDoc>();
  }

  async bySeq(seq: number): Promise<AuditEntryDoc | null> {
    return this.model.findOne({ _id: seq }, NO_ID).lean<AuditEntryDoc>();
  }

  /**
   * Inserts consecutive entries in order, in one round trip; returns how many went in before a
   * number another writer had already taken stopped the run.
   */
  async insertRun(entries: AuditEntryDoc[]): Promise<number> {
    try {
      await this.model.insertMany(
        entries.map((e) => ({ _id: e.seq, ...e })),
        { ordered: true, lean: true },
      );
      return entries.length;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Count ours from the start by what the database holds at each number (the hash is the entry's own).
      let inserted = 0;
      for (const e of entries) {
        if ((await this.bySeq(e.seq))?.hash !== e.hash) break;
        inserted++;
      }
      return inserted;
    }
  }

  /** Entries with this action, oldest first. */
  async byAction(action: string): Promise<AuditEntryDoc[]> {
    return this.model.find({ action }, NO_ID).sort({ _id: 1 }).lean<AuditEntryDoc[]>();
  }

  /** Whether an entry with this key is in the trail (a scan on FerretDB v1: only after a duplicate). */
  async hasKey(key: string): Promise<boolean> {
    return (await this.model.exists({ key })) !== null;
  }

  async find(filter: AuditFilter, limit: number, offset: number) {
    const q = query(filter);
    const [items, total] = await Promise.all([
      this.model.find(q, NO_ID).sort({ _id: -1 }).skip(offset).limit(limit).lean<AuditEntryDoc[]>(),
      this.model.countDocuments(q),
    ]);
    return { items, total };
  }

  /** The entries that match, oldest first, read from a cursor (an export of the whole trail). */
  async *matching(filter: AuditFilter): AsyncIterable<AuditEntryDoc> {
    yield* this.model.find(query(filter), NO_ID).sort({ _id: 1 }).lean<AuditEntryDoc[]>().cursor();
  }

  async *inOrder(): AsyncIterable<AuditEntryDoc> {
    yield* this.model.find({}, NO_ID).sort({ _id: 1 }).lean<AuditEntryDoc[]>().cursor();
  }
}

function query(filter: AuditFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (filter.action) q.action = filter.action;
  if (filter.actorId) q['actor.id'] = filter.actorId;
  if (filter.targetKind) q['target.kind'] = filter.targetKind;
  if (filter.targetId) q['target.id'] = filter.targetId;
  if (filter.from || filter.to)
    q.ts = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
  return q;
}
