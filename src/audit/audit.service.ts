// Appends to the hash-chained audit trail with group commit: entries recorded while a write is in
// flight queue up and go to the database together in the next write, so fifty concurrent
// check-outs cost a few round trips, not fifty serialised ones. Each record() resolves once its
// entry is durably in the chain. Within a process one write runs at a time against a cached head;
// across processes the unique sequence number decides and the loser re-reads the head.
import { GroupCommit } from '../db/group-commit.js';
import { AppError, type FieldError } from '../errors.js';
import type { ActionContext } from '../shared/action-context.js';
import { GENESIS_HASH, entryHash, verifyChain, type Reanchor, type Verdict } from './chain.js';
import type { AuditEntryDoc } from './audit.model.js';
import type { AuditFilter, AuditRepository } from './audit.repository.js';
import { REANCHOR_ACTION, asReanchor, reanchorRefusal, type ReanchorChanges } from './reanchor.js';
import { storable } from './storable.js';
import { auditCsv } from './audit.export.js';

export interface AuditRecord {
  action: string;
  target: { kind: string; id: string };
  summary: string;
  changes?: Record<string, unknown>;
  /**
   * Identity of the change (e.g. `check-out:<assignment>`). An entry whose key is already in the
   * trail is not written again, so a recovery that re-runs an interrupted change audits it once.
   */
  key?: string;
}

interface Head {
  seq: number;
  hash: string;
}

interface Pending {
  ctx: ActionContext;
  rec: AuditRecord;
}

export class AuditService {
  private head: Head | null = null;
  private readonly appender = new GroupCommit<Pending, AuditEntryDoc | null>(async (batch) => {
    try {
      return await this.append(batch);
    } catch (err) {
      this.head = null; // unknown how far the chain got: re-read it next time
      throw err;
    }
  });

  constructor(private readonly repo: AuditRepository) {}

  /** Appends one entry; resolves with it once it is durably in the chain. */
  async record(ctx: ActionContext, rec: Omit<AuditRecord, 'key'>): Promise<AuditEntryDoc> {
    return (await this.appender.add({ ctx, rec }))!;
  }

  /** Appends a keyed entry unless one with its key is already there; true if this call wrote it. */
  async recordOnce(ctx: ActionContext, rec: AuditRecord & { key: string }): Promise<boolean> {
    return (await this.appender.add({ ctx, rec })) !== null;
  }

  /** Chains the batch onto the head and inserts it, moving past entries other processes added. */
  private async append(batch: Pending[]): Promise<Array<AuditEntryDoc | null>> {
    // Hash exactly what the database will give back, whatever the caller passed (storable.ts).
    const records = batch.map(({ ctx, rec }) => ({
      ...storable({
        actor: ctx.actor,
        action: rec.action,
        target: { kind: rec.target.kind, id: rec.target.id },
        summary: rec.summary,
        changes: rec.changes ?? null,
        requestId: ctx.requestId ?? null,
      }),
      // Only when set: a stored null would be indexed (and collide) and change the hash.
      ...(rec.key !== undefined && { key: rec.key }),
    }));
    const results: Array<AuditEntryDoc | null> = records.map(() => null);
    let todo = records.map((r, i) => ({ r, i }));
    this.head ??= await this.readHead();
    while (todo.length > 0) {
      const entries = chainOnto(
        this.head,
        todo.map((t) => t.r),
      );
      const inserted = await this.repo.insertRun(entries);
      entries.slice(0, inserted).forEach((e, j) => (results[todo[j]!.i] = e));
      if (inserted > 0) this.head = { seq: entries[inserted - 1]!.seq, hash: entries[inserted - 1]!.hash };
      todo = todo.slice(inserted);
      const blocked = todo[0];
      if (!blocked) break;
      // Refused: its key is already in the trail (drop it, its result stays null), or another
      // process appended (walk forward to the new head and chain the rest onto it).
      if (blocked.r.key !== undefined && (await this.repo.hasKey(blocked.r.key))) {
        todo.shift();
        continue;
      }
      const head = await this.advanceHead(this.head);
      if (head.seq === this.head.seq) throw new Error('audit append refused with no newer entry or key');
      this.head = head;
    }
    return results;
  }

  private async readHead(): Promise<Head> {
    const last = await this.repo.last();
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  private async advanceHead(from: Head): Promise<Head> {
    let head = from;
    for (let e = await this.repo.bySeq(head.seq + 1); e; e = await this.repo.bySeq(head.seq + 1)) {
      head = { seq: e.seq, hash: e.hash };
    }
    return head;
  }

  list(filter: AuditFilter, limit: number, offset: number) {
    return this.repo.find(filter, limit, offset);
  }

  /**
   * The matching entries as CSV, oldest first. The export is itself audited, before the first row
   * is sent (like a clip disclosure's download): who took which part of the trail, and when.
   */
  async exportCsv(ctx: ActionContext, filter: AuditFilter) {
    const given = Object.fromEntries(
      Object.entries(filter)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)]),
    );
    const named = Object.entries(given).map(([k, v]) => `${k}=${v}`);
    await this.record(ctx, {
      action: 'audit.export',
      target: { kind: 'audit-chain', id: 'export' },
      summary: `Audit trail exported as CSV${named.length ? ` (${named.join(', ')})` : ' (all entries)'}`,
      changes: { filter: given },
    });
    return auditCsv(this.repo.matching(filter));
  }

  async verify(): Promise<Verdict> {
    const reanchors = (await this.repo.byAction(REANCHOR_ACTION))
      .map(asReanchor)
      .filter((r): r is Reanchor => r !== null);
    return verifyChain(this.repo.inOrder(), reanchors);
  }

  /**
   * Accepts the named entries, broken by hashing text the database stored differently (issue 14),
   * with one chained `audit.chain-reanchored` entry recording each one's stored hash and content
   * hash and the reason. The caller names every entry (as `verify` listed it): nothing is blessed
   * unseen, and any entry without the bug's symptom refuses the whole request.
   */
  async reanchor(ctx: ActionContext, reason: string, seqs: number[]) {
    const unique = [...new Set(seqs)].sort((a, b) => a - b);
    const refusals: FieldError[] = [];
    const accepted: ReanchorChanges['entries'] = [];
    for (const seq of unique) {
      const [prev, entry, next] = await Promise.all([
        seq > 1 ? this.repo.bySeq(seq - 1) : null,
        this.repo.bySeq(seq),
        this.repo.bySeq(seq + 1),
      ]);
      const refusal = reanchorRefusal(seq, entry, prev, next);
      if (refusal) refusals.push({ path: `body.seqs.${seqs.indexOf(seq)}`, message: refusal });
      else if (entry) accepted.push({ seq, storedHash: entry.hash, contentHash: entryHash(entry) });
    }
    if (refusals.length) {
      throw new AppError('audit-entry-not-reanchorable', refusals.map((r) => r.message).join('; '), refusals);
    }
    const changes: ReanchorChanges = { reason, entries: accepted };
    const entry = await this.record(ctx, {
      action: REANCHOR_ACTION,
      target: { kind: 'audit-chain', id: unique.join(',') },
      summary: `Re-anchored audit entries ${unique.join(', ')}: ${reason}`,
      changes,
    });
    // As stored: the reason is made storable like any other text.
    return { seq: entry.seq, ...(entry.changes as ReanchorChanges) };
  }
}

/** Numbers and links the records after `head`, each hash covering its predecessor's. */
function chainOnto(head: Head, records: Array<Omit<AuditEntryDoc, 'seq' | 'ts' | 'prevHash' | 'hash'>>) {
  const ts = new Date();
  let prev = head;
  return records.map((r) => {
    const fields = { seq: prev.seq + 1, ts, ...r, prevHash: prev.hash };
    const entry: AuditEntryDoc = { ...fields, hash: entryHash(fields) };
    prev = entry;
    return entry;
  });
}
