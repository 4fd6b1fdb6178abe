// Which broken entries a re-anchor may accept. Before issue 14 (finding 1) an entry was hashed over
// text holding a lone UTF-16 surrogate while the database stored U+FFFD in its place, so its stored
// hash never matched again. Such an entry is still linked both ways; only its content hash is off,
// and its content shows the replacement character. A break without that symptom may be tampering,
// and no re-anchor may hide it.
import { z } from 'zod';
import type { AuditEntryDoc } from './audit.model.js';
import { GENESIS_HASH, entryHash, type Reanchor } from './chain.js';

export const REANCHOR_ACTION = 'audit.chain-reanchored';

/** The `changes` of an `audit.chain-reanchored` entry. */
export const ReanchorChanges = z.object({
  reason: z.string(),
  entries: z.array(z.object({ seq: z.number().int(), storedHash: z.string(), contentHash: z.string() })),
});
export type ReanchorChanges = z.infer<typeof ReanchorChanges>;

const REPLACEMENT = '\uFFFD';

/** Whether any string in the value, or any key, holds U+FFFD. */
export function holdsReplacementChar(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(REPLACEMENT);
  if (Array.isArray(value)) return value.some(holdsReplacementChar);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => k.includes(REPLACEMENT) || holdsReplacementChar(v));
}

/**
 * Why `entry` may not be re-anchored, or null if it may. `prev` and `next` are its neighbours
 * (null when it is the first or the last).
 */
export function reanchorRefusal(
  seq: number,
  entry: AuditEntryDoc | null,
  prev: AuditEntryDoc | null,
  next: AuditEntryDoc | null,
): string | null {
  if (!entry) return `entry ${seq} does not exist; a missing entry cannot be re-anchored`;
  if (entryHash(entry) === entry.hash) return `entry ${seq} is not broken: its content matches its hash`;
  const { seq: _seq, ts: _ts, prevHash: _p, hash: _h, ...content } = entry;
  if (!holdsReplacementChar(content))
    return `entry ${seq} does not match its hash and holds no U+FFFD, so the surrogate bug did not break it; it may have been tampered with`;
  const expectedPrev = seq === 1 ? GENESIS_HASH : prev?.hash;
  if (entry.prevHash !== expectedPrev) return `entry ${seq} does not link to entry ${seq - 1}`;
  if (next && next.prevHash !== entry.hash) return `entry ${seq + 1} does not link to entry ${seq}`;
  return null;
}

/** The re-anchors an `audit.chain-reanchored` entry records; null if its changes are not of that shape. */
export function asReanchor(entry: AuditEntryDoc): Reanchor | null {
  const parsed = ReanchorChanges.safeParse(entry.changes);
  return parsed.success ? { seq: entry.seq, hash: entry.hash, entries: parsed.data.entries } : null;
}
