// The hash chain: each entry's hash covers its content and its predecessor's hash, so editing,
// deleting or reordering any entry breaks verification from that entry on.
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { AuditEntryDoc } from './audit.model.js';

export const GENESIS_HASH = '0'.repeat(64);

export type ChainedFields = Omit<AuditEntryDoc, 'hash'>;

export function entryHash(e: ChainedFields): string {
  // stringify returns undefined only for undefined input; an object always yields a string.
  const content = stringify({
    seq: e.seq,
    ts: e.ts.toISOString(),
    actor: e.actor,
    action: e.action,
    target: e.target,
    summary: e.summary,
    changes: e.changes,
    requestId: e.requestId,
    key: e.key, // absent on unkeyed entries, so their hashes are unchanged
    prevHash: e.prevHash,
  }) as string;
  return createHash('sha256').update(content).digest('hex');
}

export type Verdict = { ok: true; entries: number } | { ok: false; brokenAt: number; entries: number };

/** Walks entries in seq order; reports the first whose number, link or hash does not hold. */
export async function verifyChain(entries: AsyncIterable<AuditEntryDoc>): Promise<Verdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for await (const e of entries) {
    if (e.seq !== expectedSeq || e.prevHash !== prevHash || entryHash(e) !== e.hash) {
      return { ok: false, brokenAt: expectedSeq, entries: expectedSeq - 1 };
    }
    prevHash = e.hash;
    expectedSeq++;
  }
  return { ok: true, entries: expectedSeq - 1 };
}
