import { describe, expect, it } from '@jest/globals';
import { GENESIS_HASH, MAX_REPORTED_BREAKS, entryHash, verifyChain } from '../../src/audit/chain.js';
import type { AuditEntryDoc } from '../../src/audit/audit.model.js';
import { MAX_DEPTH, storable } from '../../src/audit/storable.js';

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
    expect(await verifyChain(iterate(chain(5)))).toEqual({
      ok: true,
      entries: 5,
      breaks: [],
      breakCount: 0,
      checked: 5,
      reanchored: 0,
    });
  });

  it('finds an edited entry', async () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, summary: 'edited' };
    expect(await verifyChain(iterate(entries))).toMatchObject({
      ok: false,
      brokenAt: 3,
      entries: 2,
      breaks: [{ seq: 3, reason: 'hash-mismatch' }],
    });
  });

  it('finds an edit whose hash was recomputed, at the next entry', async () => {
    const entries = chain(5);
    const forged = { ...entries[1]!, summary: 'forged' };
    entries[1] = { ...forged, hash: entryHash(forged) };
    expect(await verifyChain(iterate(entries))).toMatchObject({
      ok: false,
      brokenAt: 3,
      entries: 2,
      breaks: [{ seq: 3, reason: 'link-broken' }],
    });
  });

  it('finds a deleted entry and a reordering', async () => {
    const deleted = chain(5).filter((e) => e.seq !== 4);
    expect(await verifyChain(iterate(deleted))).toMatchObject({
      ok: false,
      brokenAt: 4,
      breaks: [
        { seq: 4, reason: 'seq-gap' },
        { seq: 5, reason: 'link-broken' },
      ],
    });
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

  it('reports every break, not only the first, so one break cannot hide tampering after it', async () => {
    const entries = chain(10);
    entries[1] = { ...entries[1]!, summary: 'edited' };
    entries[5] = { ...entries[5]!, changes: { n: 99 } };
    const forged = { ...entries[7]!, summary: 'forged' };
    entries[7] = { ...forged, hash: entryHash(forged) };
    const verdict = await verifyChain(iterate(entries));
    expect(verdict).toMatchObject({ ok: false, brokenAt: 2, entries: 1, breakCount: 3, checked: 10 });
    expect(verdict.breaks).toEqual([
      { seq: 2, reason: 'hash-mismatch' },
      { seq: 6, reason: 'hash-mismatch' },
      { seq: 9, reason: 'link-broken' },
    ]);
  });

  it('lists at most MAX_REPORTED_BREAKS breaks but counts them all', async () => {
    const entries = chain(MAX_REPORTED_BREAKS + 20).map((e) => ({ ...e, summary: 'edited' }));
    const verdict = await verifyChain(iterate(entries));
    expect(verdict.breaks).toHaveLength(MAX_REPORTED_BREAKS);
    expect(verdict.breakCount).toBe(MAX_REPORTED_BREAKS + 20);
    expect(verdict.breaks.at(-1)).toEqual({ seq: MAX_REPORTED_BREAKS, reason: 'hash-mismatch' });
  });
});

describe('re-anchored entries', () => {
  /** A chain whose entry 2 was hashed over one text and stored with another, re-anchored by entry 4. */
  function reanchoredChain() {
    const entries = chain(5);
    entries[1] = { ...entries[1]!, summary: 'stored \uFFFD' };
    const broken = entries[1];
    const anchor = {
      seq: 4,
      hash: entries[3]!.hash,
      entries: [{ seq: 2, storedHash: broken.hash, contentHash: entryHash(broken) }],
    };
    return { entries, anchor };
  }

  it('accepts an entry whose stored hash and content are exactly what an intact re-anchor recorded', async () => {
    const { entries, anchor } = reanchoredChain();
    expect(await verifyChain(iterate(entries), [anchor])).toMatchObject({
      ok: true,
      entries: 5,
      reanchored: 1,
    });
  });

  it('still finds the entry when its content changed after the re-anchor', async () => {
    const { entries, anchor } = reanchoredChain();
    entries[1] = { ...entries[1]!, summary: 'changed again \uFFFD' };
    expect(await verifyChain(iterate(entries), [anchor])).toMatchObject({
      ok: false,
      breaks: [{ seq: 2, reason: 'hash-mismatch' }],
      reanchored: 0,
    });
  });

  it('does not accept through a re-anchor that is itself broken, nor one that comes before the entry', async () => {
    const { entries, anchor } = reanchoredChain();
    entries[3] = { ...entries[3]!, summary: 'tampered re-anchor' };
    expect((await verifyChain(iterate(entries), [anchor])).breaks).toEqual([
      { seq: 2, reason: 'hash-mismatch' },
      { seq: 4, reason: 'hash-mismatch' },
    ]);
    const early = reanchoredChain();
    expect(
      await verifyChain(iterate(early.entries), [{ ...early.anchor, seq: 1, hash: early.entries[0]!.hash }]),
    ).toMatchObject({
      ok: false,
      brokenAt: 2,
    });
  });
});

describe('storable audit content', () => {
  it('makes every string and key well formed and every key storable, deep', () => {
    const value = storable({
      code: 'E\ud800',
      list: ['lens \udc00', { 'k\ud800': 'v' }],
      'a.b': 1,
      $set: 2,
      mid$: 3,
      'nul\u0000': 4,
    });
    expect(value).toEqual({
      code: 'E\uFFFD',
      list: ['lens \uFFFD', { 'k\uFFFD': 'v' }],
      'a\uFF0Eb': 1,
      '\uFF04set': 2,
      mid$: 3,
      'nul\u2400': 4,
    });
  });

  it('keeps deep nesting storable by writing subtrees past MAX_DEPTH as JSON text', () => {
    const deep = JSON.parse('{"a":'.repeat(1000) + '"x\\ud800"' + '}'.repeat(1000)) as object;
    let level: unknown = storable({ deep }).deep;
    for (let i = 1; i < MAX_DEPTH; i++) level = (level as { a: unknown }).a;
    expect(typeof level).toBe('string');
    // JSON text escapes a lone surrogate (`\ud800` as six ASCII characters), so the text is well formed.
    expect(level).toBe((level as string).toWellFormed());
    expect(level).toContain('"x\\ud800"');
  });

  it('gives numbers, dates and missing values their stored form', () => {
    const ts = new Date(Date.UTC(2026, 0, 1));
    expect(
      storable({
        neg: -0,
        nan: NaN,
        inf: -Infinity,
        big: 2n ** 70n,
        ts,
        gone: undefined,
        holes: [1, undefined],
      }),
    ).toEqual({
      neg: 0,
      nan: null,
      inf: null,
      big: '1180591620717411303424',
      ts: ts.toISOString(),
      holes: [1, null],
    });
  });
});
