// CSV in and out for bulk data: parse an upload into rows with their line numbers, validate each
// row with zod, and report row by row. Shared by the camera-manifest and HR-officer imports.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { z, ZodType } from 'zod';
import { AppError, type FieldError } from '../errors.js';

export interface CsvRow {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  fields: Record<string, string>;
}

export interface RowReport {
  line: number;
  /** The row's identifying value (serial, officer number), when it has one. */
  key: string | null;
  ok: boolean;
  errors: string[];
}

export interface ImportReport {
  dryRun: boolean;
  total: number;
  valid: number;
  invalid: number;
  imported: number;
  importId: string | null;
  rows: RowReport[];
}

export function parseCsv(text: string, required: readonly string[]): CsvRow[] {
  type Parsed = { record: Record<string, string>; info: { lines: number } };
  let records: Parsed[];
  try {
    records = parse<Parsed>(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
    });
  } catch (err) {
    throw new AppError('csv-malformed', (err as Error).message.slice(0, 300));
  }
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const header = firstLine.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new AppError(
      'csv-missing-columns',
      `Missing column(s): ${missing.join(', ')}; expected a header row with ${required.join(', ')}`,
    );
  }
  return records.map(({ record, info }) => ({ line: info.lines, fields: record }));
}

/** Validates each row with `schema`; `keyOf` names the row in the report. */
export function validateRows<S extends ZodType>(
  rows: CsvRow[],
  schema: S,
  keyOf: (fields: Record<string, string>) => string | undefined,
): Array<RowReport & { value: z.output<S> | null }> {
  return rows.map(({ line, fields }) => {
    const parsed = schema.safeParse(fields);
    const key = keyOf(fields) || null;
    if (parsed.success) return { line, key, ok: true, errors: [], value: parsed.data };
    const errors = parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`);
    return { line, key, ok: false, errors, value: null };
  });
}

/** Marks rows whose `field` repeats an earlier row's, or is already taken in the register. */
export function flagDuplicates<T>(
  rows: Array<RowReport & { value: T | null }>,
  field: string,
  valueOf: (v: T) => string,
  taken: Set<string>,
) {
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (!row.value) continue;
    const v = valueOf(row.value);
    const earlier = seen.get(v);
    if (earlier !== undefined) row.errors.push(`${field}: duplicate of line ${earlier}`);
    else seen.set(v, row.line);
    if (taken.has(v)) row.errors.push(`${field}: '${v}' is already registered`);
    row.ok = row.errors.length === 0;
  }
}

export function summarise(rows: RowReport[], dryRun: boolean): ImportReport {
  const valid = rows.filter((r) => r.ok).length;
  return {
    dryRun,
    total: rows.length,
    valid,
    invalid: rows.length - valid,
    imported: 0,
    importId: null,
    rows: rows.map(({ line, key, ok, errors }) => ({ line, key, ok, errors })),
  };
}

/** A real import with bad rows imports nothing: 422 with every row's errors. */
export function rejectImport(report: ImportReport): AppError {
  const errors: FieldError[] = report.rows.flatMap((r) =>
    r.errors.map((message) => ({ path: `line ${r.line}`, message })),
  );
  return new AppError(
    'import-invalid-rows',
    `${report.invalid} of ${report.total} row(s) are invalid; fix them or try ?dryRun=true for a full report`,
    errors,
  );
}

export const importFailed = (detail: string) => new AppError('import-conflict', detail);

export function toCsv(columns: string[], rows: Array<Record<string, unknown>>): string {
  return stringify(rows, {
    header: true,
    columns,
    cast: {
      date: (d) => d.toISOString(),
      boolean: (b) => String(b),
      // CSV injection (OWASP): a spreadsheet would run a cell starting with = + - @ as a formula.
      string: (s) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s),
    },
  });
}
