// Appends to the hash-chained audit trail. Within a process, appends run one at a time against a
// cached head; across processes, the unique seq index decides and the loser re-reads the head.
import type { ActionContext } from './actor.js';
import { GENESIS_HASH, entryHash, verifyChain, type Verdict } from './chain.js';
import type { AuditEntryDoc } from './audit.model.js';
import type { AuditFilter, AuditRepository } from './audit.repository.js';

export interface AuditRecord {
  action: string;
  target: { kind: string; id: string };
  summary: string;
  changes?: Record<string, unknown>;
}

export class AuditService {
  private head: { seq: number; hash: string } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly repo: AuditRepository) {}

  /** Appends one entry; resolves with it once it is durably in the chain. */
  record(ctx: ActionContext, rec: AuditRecord): Promise<AuditEntryDoc> {
    const next = this.queue.then(() => this.append(ctx, rec));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async append(ctx: ActionContext, rec: AuditRecord): Promise<AuditEntryDoc> {
    // Round-trip through JSON so what we hash is exactly what the database gives back
    // (undefined dropped, dates as strings).
    const changes = rec.changes ? (JSON.parse(JSON.stringify(rec.changes)) as Record<string, unknown>) : null;
    const actor = JSON.parse(JSON.stringify(ctx.actor)) as AuditEntryDoc['actor'];
    this.head ??= await this.readHead();
    for (;;) {
      const fields = {
        seq: this.head.seq + 1,
        ts: new Date(),
        actor,
        action: rec.action,
        target: { kind: rec.target.kind, id: rec.target.id },
        summary: rec.summary,
        changes,
        requestId: ctx.requestId ?? null,
        prevHash: this.head.hash,
      };
      const entry = { ...fields, hash: entryHash(fields) };
      if (await this.repo.tryInsert(entry)) {
        this.head = { seq: entry.seq, hash: entry.hash };
        return entry;
      }
      // Another process appended: walk forward to the new head and try again.
      this.head = await this.advanceHead(this.head);
    }
  }

  private async readHead() {
    const last = await this.repo.last();
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  private async advanceHead(from: { seq: number; hash: string }) {
    let head = from;
    for (let e = await this.repo.bySeq(head.seq + 1); e; e = await this.repo.bySeq(head.seq + 1)) {
      head = { seq: e.seq, hash: e.hash };
    }
    return head;
  }

  list(filter: AuditFilter, limit: number, offset: number) {
    return this.repo.find(filter, limit, offset);
  }

  verify(): Promise<Verdict> {
    return verifyChain(this.repo.inOrder());
  }
}
