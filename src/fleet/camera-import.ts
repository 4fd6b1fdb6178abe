// Cameras from a supplier's delivery manifest (CSV): a dry run reports row by row; a real run
// imports every row or none. There are no multi-document transactions on our databases, so
// "none" is made by validating every row first (fields, stations, duplicates in the file and in
// the register), then inserting rows tagged with this import's id, and deleting exactly those
// rows if an insert still fails (a camera registered concurrently).
import { type ActionContext, assertInStationScope, inStationScope } from '../shared/index.js';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuditService } from '../audit/index.js';
import { Instant } from '../http/dates.js';
import {
  flagDuplicates,
  importFailed,
  parseCsv,
  rejectImport,
  summarise,
  toCsv,
  validateRows,
  type ImportReport,
} from '../imports/index.js';
import type { PeopleService } from '../people/index.js';
import type { FleetRepository, NewCamera } from './fleet.repository.js';
import { AssetTag, CameraSerial } from './fleet.schemas.js';
import type { Camera } from './fleet.service.js';

export const MANIFEST_COLUMNS = ['serial', 'model', 'assetTag', 'station'] as const;
export const EXPORT_COLUMNS = [
  'serial',
  'model',
  'assetTag',
  'station',
  'status',
  'holder',
  'purchaseDate',
  'purchaseCost',
  'notes',
];

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const ManifestRow = z.object({
  serial: CameraSerial,
  model: z.string().trim().min(1, 'required').max(60),
  assetTag: AssetTag,
  station: z.string().min(1, 'required'),
  purchaseDate: z.preprocess(blankToUndefined, Instant.optional()),
  purchaseCost: z.preprocess(blankToUndefined, z.coerce.number().nonnegative().max(1_000_000).optional()),
  notes: z.string().max(1000).optional(),
});

export class CameraImport {
  constructor(
    private readonly repo: FleetRepository,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
  ) {}

  async run(csv: string, dryRun: boolean, ctx: ActionContext): Promise<ImportReport> {
    const rows = validateRows(parseCsv(csv, MANIFEST_COLUMNS), ManifestRow, (f) => f.serial);
    const stations = new Set((await this.people.listStations()).map((s) => s.code));
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
    const taken = await this.repo.taken(
      values.map((v) => v.serial),
      values.map((v) => v.assetTag),
    );
    flagDuplicates(rows, 'serial', (v) => v.serial, taken.serials);
    flagDuplicates(rows, 'assetTag', (v) => v.assetTag, taken.assetTags);

    const report = summarise(rows, dryRun);
    if (dryRun) return report;
    // A station-scoped user importing for another station is refused as a whole (403), not as bad rows.
    assertInStationScope(ctx, ...values.map((v) => v.station));
    if (report.invalid > 0 || report.total === 0) throw rejectImport(report);

    const importId = randomUUID();
    const cameras: NewCamera[] = values.map((v) => ({
      serial: v.serial,
      model: v.model,
      assetTag: v.assetTag,
      station: v.station,
      purchaseDate: v.purchaseDate ?? null,
      purchaseCost: v.purchaseCost ?? null,
      notes: v.notes ?? '',
      importId,
    }));
    try {
      await this.repo.insertCameras(cameras);
    } catch (err) {
      await this.repo.deleteImported(importId);
      if ((err as { code?: unknown }).code === 11000) {
        throw importFailed('A serial or asset tag in the file was registered while importing');
      }
      throw err;
    }
    await this.audit.record(ctx, {
      action: 'camera.import',
      target: { kind: 'import', id: importId },
      summary: `Imported ${cameras.length} camera(s) from a delivery manifest`,
      changes: { count: cameras.length, serials: cameras.map((c) => c.serial) },
    });
    return { ...report, imported: cameras.length, importId };
  }
}

export const camerasToCsv = (cameras: Camera[]) =>
  toCsv(
    EXPORT_COLUMNS,
    cameras.map((c) => ({ ...c })),
  );
