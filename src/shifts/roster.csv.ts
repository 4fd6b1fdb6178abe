// Reads a roster CSV (one row per officer per shift) into validated rows, with errors per row.
// Header: station,team,start,end,officer  (start/end ISO 8601, e.g. 2026-11-25T07:00:00Z), and an
// optional date column: then start and end may be times of day (date 2026-11-25, start 07:00).
import { parse } from 'csv-parse/sync';
import type { FieldError } from '../errors.js';
import { RosterRow, type RosterRowInput } from './shifts.schemas.js';

export const ROSTER_COLUMNS = ['station', 'team', 'start', 'end', 'officer'] as const;
export const MAX_ROSTER_ROWS = 20_000;

export interface RowError extends FieldError {
  /** 1-based line in the file (the header is line 1). */
  line: number;
}

export function readRoster(csv: string): {
  rows: Array<{ line: number; row: RosterRowInput }>;
  errors: RowError[];
} {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    return {
      rows: [],
      errors: [{ line: 0, path: 'file', message: `not valid CSV: ${(err as Error).message}` }],
    };
  }
  const first = records[0];
  const missing = first ? ROSTER_COLUMNS.filter((c) => !(c in first)) : [...ROSTER_COLUMNS];
  if (missing.length > 0) {
    return {
      rows: [],
      errors: [{ line: 1, path: 'header', message: `missing column(s): ${missing.join(', ')}` }],
    };
  }
  if (records.length > MAX_ROSTER_ROWS) {
    return { rows: [], errors: [{ line: 0, path: 'file', message: `more than ${MAX_ROSTER_ROWS} rows` }] };
  }
  const rows: Array<{ line: number; row: RosterRowInput }> = [];
  const errors: RowError[] = [];
  records.forEach((rec, i) => {
    const line = i + 2;
    const parsed = RosterRow.safeParse(rec);
    if (parsed.success) rows.push({ line, row: parsed.data });
    else
      for (const issue of parsed.error.issues)
        errors.push({ line, path: issue.path.map(String).join('.') || 'row', message: issue.message });
  });
  return { rows, errors };
}
