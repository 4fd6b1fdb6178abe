// The hash chain: each entry's hash covers its content and its predecessor's hash, so editing,
// deleting or reordering any entry breaks verification at that entry. Verification walks on past a
// break (continuing from the stored hash) so that one break cannot hide tampering after it.
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { AuditEntryDoc } from './audit.model.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Breaks reported in full; beyond this, only counted. */
export const MAX_REPORTED_BREAKS = 100;

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

/**
 * `seq-gap`: the entry with this number is missing (or numbers are out of order);
 * `link-broken`: this entry does not name its predecessor's hash;
 * `hash-mismatch`: this entry's content does not hash to its stored hash.
 */
export type BreakReason = 'seq-gap' | 'link-broken' | 'hash-mismatch';

export interface ChainBreak {
  seq: number;
  reason: BreakReason;
}

/** An `audit.chain-reanchored` entry: which broken entries it accepts, by their stored hash and content hash. */
export interface Reanchor {
  /** The re-anchor entry's own number and hash: it counts only if the walk finds it intact. */
  seq: number;
  hash: string;
  entries: Array<{ seq: number; storedHash: string; contentHash: string }>;
}

export interface Verdict {
  ok: boolean;
  /** Entries before the first break (all of them when ok). */
  entries: number;
  /** The first break's number; absent when ok. */
  brokenAt?: number;
  /** Every break in seq order, the first MAX_REPORTED_BREAKS of them. */
  breaks: ChainBreak[];
  breakCount: number;
  /** Entries read. */
  checked: number;
  /** Hash mismatches accepted because an intact re-anchor recorded exactly this stored hash and content. */
  reanchored: number;
}

/** Walks entries in seq order and reports every number, link or hash that does not hold. */
export async function verifyChain(
  entries: AsyncIterable<AuditEntryDoc>,
  reanchors: Reanchor[] = [],
): Promise<Verdict> {
  const breaks: ChainBreak[] = [];
  let breakCount = 0;
  const found = (b: ChainBreak) => {
    breakCount++;
    if (breaks.length < MAX_REPORTED_BREAKS) breaks.push(b);
  };
  // Accepted only once the walk reaches the re-anchor entry and finds it intact.
  const provisional: Array<{ seq: number; anchors: number[] }> = [];
  const intactAnchors = new Set<number>();
  const anchorHash = new Map(reanchors.map((r) => [r.seq, r.hash]));

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for await (const e of entries) {
    checked++;
    if (e.seq !== expectedSeq) found({ seq: expectedSeq, reason: 'seq-gap' });
    const linked = e.prevHash === prevHash;
    if (!linked) found({ seq: e.seq, reason: 'link-broken' });
    const contentHash = entryHash(e);
    if (contentHash !== e.hash) {
      const anchors = reanchors
        .filter(
          (r) =>
            r.seq > e.seq &&
            r.entries.some(
              (a) => a.seq === e.seq && a.storedHash === e.hash && a.contentHash === contentHash,
            ),
        )
        .map((r) => r.seq);
      if (anchors.length) provisional.push({ seq: e.seq, anchors });
      else found({ seq: e.seq, reason: 'hash-mismatch' });
    } else if (linked && anchorHash.get(e.seq) === e.hash) {
      intactAnchors.add(e.seq);
    }
    prevHash = e.hash;
    expectedSeq = e.seq + 1;
  }

  let reanchored = 0;
  for (const p of provisional) {
    if (p.anchors.some((a) => intactAnchors.has(a))) {
      reanchored++;
    } else {
      breakCount++;
      breaks.push({ seq: p.seq, reason: 'hash-mismatch' });
    }
  }
  // Reverted provisional breaks may precede ones already listed; the list holds the smallest seqs.
  const order: BreakReason[] = ['seq-gap', 'link-broken', 'hash-mismatch'];
  breaks.sort((a, b) => a.seq - b.seq || order.indexOf(a.reason) - order.indexOf(b.reason));
  breaks.splice(MAX_REPORTED_BREAKS);
  const first = breaks[0];
  return {
    ok: !first,
    entries: first ? first.seq - 1 : checked,
    ...(first && { brokenAt: first.seq }),
    breaks,
    breakCount,
    checked,
    reanchored,
  };
}
