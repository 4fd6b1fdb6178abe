// Officers from the HR system's CSV export: a dry run reports row by row; a real run imports
// every row or none (validate all first, insert tagged with the import id, and on a late failure
// delete exactly the rows this import inserted: no multi-document transactions on our databases).
import { type ActionContext, assertInStationScope, inStationScope } from '../shared/index.js';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditService } from '../audit/index.js';
import {
  flagDuplicates,
  importFailed,
  parseCsv,
  rejectImport,
  summarise,
  validateRows,
  type ImportReport,
} from '../imports/index.js';
import type { PeopleRepository } from './people.repository.js';
import { OfficerNumber } from './people.schemas.js';
import { QUALIFICATIONS } from '../shared/qualifications.js';

export const HR_COLUMNS = ['number', 'name', 'station'] as const;

const HrRow = z.object({
  number: OfficerNumber,
  name: z.string().trim().min(1, 'required').max(100),
  station: z.string().min(1, 'required'),
  team: z.string().trim().max(50).optional(),
  // HR exports list qualifications in one cell separated by ';' (e.g. "AFO;TASER").
  qualifications: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(/[;|]/)
        .map((q) => q.trim().toUpperCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(QUALIFICATIONS))),
  active: z
    .string()
    .optional()
    .transform((v) => v === undefined || v === '' || /^(true|yes|1|y)$/i.test(v)),
});

export class OfficerImport {
  constructor(
    private readonly repo: PeopleRepository,
    private readonly audit: AuditService,
  ) {}

  async run(csv: string, dryRun: boolean, ctx: ActionContext): Promise<ImportReport> {
    const rows = validateRows(parseCsv(csv, HR_COLUMNS), HrRow, (f) => f.number);
    const stations = new Set((await this.repo.listStations()).map((s) => s.code));
    for (const row of rows) {
      if (row.value && !stations.has(row.value.station)) {
        row.errors.push(`station: unknown station '${row.value.station}'`);
        row.ok = false;
      } else if (row.value && !inStationScope(ctx, row.value.station)) {
        row.errors.push(`station: ${row.value.station} is outside your station scope`);
        row.ok = false;
      }
    }
    const values = rows.flatMap((r) => (r.value ? [r.value] : []));
    const taken = await this.repo.takenNumbers(values.map((v) => v.number));
    flagDuplicates(rows, 'number', (v) => v.number, taken);

    const report = summarise(rows, dryRun);
    if (dryRun) return report;
    // A station-scoped user importing for another station is refused as a whole (403), not as bad rows.
    assertInStationScope(ctx, ...values.map((v) => v.station));
    if (report.invalid > 0 || report.total === 0) throw rejectImport(report);

    const importId = randomUUID();
    const officers = values.map((v) => ({
      number: v.number,
      name: v.name,
      station: v.station,
      team: v.team || null,
      qualifications: v.qualifications,
      active: v.active,
      importId,
    }));
    try {
      await this.repo.insertOfficers(officers);
    } catch (err) {
      await this.repo.deleteImported(importId);
      if ((err as { code?: unknown }).code === 11000) {
        throw importFailed('An officer number in the file was registered while importing');
      }
      throw err;
    }
    await this.audit.record(ctx, {
      action: 'officer.import',
      target: { kind: 'import', id: importId },
      summary: `Imported ${officers.length} officer(s) from an HR export`,
      changes: { count: officers.length, numbers: officers.map((o) => o.number) },
    });
    return { ...report, imported: officers.length, importId };
  }
}
