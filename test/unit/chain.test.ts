import { describe, expect, it } from '@jest/globals';
import { GENESIS_HASH, entryHash, verifyChain } from '../../src/audit/chain.js';
import type { AuditEntryDoc } from '../../src/audit/audit.model.js';

function chain(n: number): AuditEntryDoc[] {
  const out: AuditEntryDoc[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      seq,
      ts: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
      actor: { type: 'user' as const, id: 'alice' },
      action: 'camera.checkout',
      target: { kind: 'camera', id: `C${seq}` },
      summary: `entry ${seq}`,
      changes: { n: seq },
      requestId: null,
      prevHash,
    };
    const entry = { ...fields, hash: entryHash(fields) };
    out.push(entry);
    prevHash = entry.hash;
  }
  return out;
}

async function* iterate(entries: AuditEntryDoc[]) {
  for (const e of entries) yield await Promise.resolve(e);
}

describe('audit hash chain', () => {
  it('accepts an intact chain', async () => {
    expect(await verifyChain(iterate(chain(5)))).toEqual({ ok: true, entries: 5 });
  });

  it('finds an edited entry', async () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, summary: 'edited' };
    expect(await verifyChain(iterate(entries))).toEqual({ ok: false, brokenAt: 3, entries: 2 });
  });

  it('finds an edit whose hash was recomputed, at the next entry', async () => {
    const entries = chain(5);
    const forged = { ...entries[1]!, summary: 'forged' };
    entries[1] = { ...forged, hash: entryHash(forged) };
    expect(await verifyChain(iterate(entries))).toEqual({ ok: false, brokenAt: 3, entries: 2 });
  });

  it('finds a deleted entry and a reordering', async () => {
    const deleted = chain(5).filter((e) => e.seq !== 4);
    expect(await verifyChain(iterate(deleted))).toMatchObject({ ok: false, brokenAt: 4 });
    const entries = chain(4);
    const swapped = [entries[0]!, entries[2]!, entries[1]!, entries[3]!];
    expect(await verifyChain(iterate(swapped))).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('hashes content independently of key order', () => {
    const [e] = chain(1);
    const { hash, ...fields } = e!;
    const reordered = Object.fromEntries(Object.entries(fields).reverse()) as typeof fields;
    expect(Object.keys(reordered)[0]).toBe('prevHash');
    expect(entryHash(reordered)).toBe(hash);
  });
});
