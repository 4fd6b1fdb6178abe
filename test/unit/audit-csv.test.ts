// The audit trail's CSV rows: one per entry, every column, and no cell a spreadsheet would run.
import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { text } from 'node:stream/consumers';
import { AUDIT_CSV_COLUMNS, auditCsv } from '../../src/audit/audit.export.js';
import type { AuditEntryDoc } from '../../src/audit/audit.model.js';

const entry = (seq: number, summary: string): AuditEntryDoc => ({
  seq,
  ts: new Date(Date.UTC(2026, 11, 3, 9, 0, seq)),
  actor: { type: 'user', id: 'aud', via: 'session' },
  action: 'station.create',
  target: { kind: 'station', id: `S${seq}` },
  summary,
  changes: seq === 1 ? null : { name: { from: null, to: 'x' } },
  requestId: null,
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
});

async function* entries(...e: AuditEntryDoc[]) {
  for (const x of e) yield await Promise.resolve(x);
}

describe('audit CSV', () => {
  it('writes a header and one row per entry, defusing formulas', async () => {
    const csv = await text(auditCsv(entries(entry(1, 'plain, with "quotes"'), entry(2, '=cmd|calc'))));
    const rows: Array<Record<string, string>> = parse(csv, { columns: true });
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows[0]).toMatchObject({
      seq: '1',
      ts: '2026-12-03T09:00:01.000Z',
      actorType: 'user',
      actorId: 'aud',
      via: 'session',
      summary: 'plain, with "quotes"',
      changes: '',
      requestId: '',
    });
    expect(rows[1]!.summary).toBe("'=cmd|calc");
    expect(JSON.parse(rows[1]!.changes!)).toEqual({ name: { from: null, to: 'x' } });
  });

  it('is the header alone when nothing matches', async () => {
    expect((await text(auditCsv(entries()))).trim()).toBe(AUDIT_CSV_COLUMNS.join(','));
  });
});
