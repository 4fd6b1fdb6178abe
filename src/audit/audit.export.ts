// The audit trail as CSV (issue 19: auditors take the trail to a spreadsheet). Streamed row by row
// from the database cursor, so an export of the whole trail holds one entry in memory at a time.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AuditEntryDoc } from './audit.model.js';

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'ts',
  'actorType',
  'actorId',
  'via',
  'action',
  'targetKind',
  'targetId',
  'summary',
  'changes',
  'requestId',
  'prevHash',
  'hash',
] as const;

const row = (e: AuditEntryDoc): Record<(typeof AUDIT_CSV_COLUMNS)[number], unknown> => ({
  seq: e.seq,
  ts: e.ts,
  actorType: e.actor.type,
  actorId: e.actor.id,
  via: e.actor.via ?? '',
  action: e.action,
  targetKind: e.target.kind,
  targetId: e.target.id,
  summary: e.summary,
  changes: e.changes === null ? '' : JSON.stringify(e.changes),
  requestId: e.requestId ?? '',
  prevHash: e.prevHash,
  hash: e.hash,
});

/** CSV text of the entries, header first; `cast` keeps a cell from running as a spreadsheet formula. */
export function auditCsv(entries: AsyncIterable<AuditEntryDoc>): Readable {
  const csv = stringify({
    header: true,
    columns: [...AUDIT_CSV_COLUMNS],
    cast: {
      date: (d) => d.toISOString(),
      // CSV injection (OWASP): a spreadsheet would run a cell starting with = + - @ as a formula.
      string: (s) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s),
    },
  });
  const rows = Readable.from(
    (async function* () {
      for await (const e of entries) yield row(e);
    })(),
  );
  rows.on('error', (err) => csv.destroy(err));
  return rows.pipe(csv);
}
