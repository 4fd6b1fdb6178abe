// Shifts: which officers are on duty at a station, when. Duty inspectors think in shifts, and shift
// readiness starts from "who is on duty at station S now".
import { type ActionContext, assertInStationScope, inStationScope } from '../shared/index.js';
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import type { DomainEventBus } from '../events/index.js';
import { AppError, notFound } from '../errors.js';
import type { PeopleService } from '../people/index.js';
import { readRoster, type RowError } from './roster.csv.js';
import type { ShiftDoc } from './shifts.model.js';
import type { NewShift, ShiftsRepository } from './shifts.repository.js';
import type { ShiftInput } from './shifts.schemas.js';

export type Shift = Omit<ShiftDoc, 'importId'>;
const publicShift = ({ importId: _, ...s }: ShiftDoc): Shift => s;

/** `NORTH-B-20261125T0700`: the same station, team and start always give the same id. */
export const shiftId = (station: string, team: string, start: Date) =>
  `${station}-${team.replace(/\s+/g, '_')}-${start.toISOString().slice(0, 16).replace(/[-:]/g, '')}`;

export interface OnDuty {
  station: string;
  at: Date;
  shifts: Shift[];
  officers: Array<{ number: string; name: string; team: string; shift: string; end: Date }>;
}

export interface RosterReport {
  dryRun: boolean;
  imported: boolean;
  rows: number;
  shifts: number;
  errors: RowError[];
}

const overlaps = (a: { start: Date; end: Date }, b: { start: Date; end: Date }) =>
  a.start < b.end && b.start < a.end;

export class ShiftsService {
  constructor(
    private readonly repo: ShiftsRepository,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    /** `shift.roster-imported` per station whose shifts changed: readiness boards are recomputed. */
    private readonly events: DomainEventBus,
  ) {}

  async get(id: string): Promise<Shift> {
    const s = await this.repo.byId(id);
    if (!s) throw notFound('shift', id);
    return publicShift(s);
  }

  async list(filter: { station?: string; from?: Date; to?: Date }): Promise<Shift[]> {
    const from = filter.from ?? new Date(Date.now() - 24 * 3_600_000);
    const to = filter.to ?? new Date(from.getTime() + 7 * 24 * 3_600_000);
    return (await this.repo.list({ station: filter.station, from, to })).map(publicShift);
  }

  async create(input: ShiftInput, ctx: ActionContext): Promise<Shift> {
    assertInStationScope(ctx, input.station);
    await this.people.assertStation(input.station);
    const officers = [...new Set(input.officers)];
    const id = shiftId(input.station, input.team, input.start);
    const problems = await this.officerProblems(officers, { ...input, id });
    if (problems.length > 0) {
      throw new AppError('invalid', 'roster-invalid', 'The shift cannot be created', problems.join('; '));
    }
    const created = await this.repo.insert({ ...input, id, officers, importId: null });
    if (!created)
      throw new AppError('conflict', 'shift-exists', 'Shift already exists', `Shift '${id}' exists`);
    await this.audit.record(ctx, {
      action: 'shift.create',
      target: { kind: 'shift', id },
      summary: `Shift ${id} created with ${officers.length} officer(s)`,
      changes: { station: input.station, team: input.team, start: input.start, end: input.end, officers },
    });
    this.events.publish('shift.roster-imported', { station: input.station });
    return publicShift(created);
  }

  async setOfficers(id: string, numbers: string[], ctx: ActionContext): Promise<Shift> {
    const shift = await this.get(id);
    assertInStationScope(ctx, shift.station);
    const officers = [...new Set(numbers)];
    const problems = await this.officerProblems(
      officers.filter((o) => !shift.officers.includes(o)),
      shift,
    );
    if (problems.length > 0) {
      throw new AppError('invalid', 'roster-invalid', 'The shift cannot be changed', problems.join('; '));
    }
    const updated = (await this.repo.setOfficers(id, officers)) ?? Promise.reject(notFound('shift', id));
    await this.audit.record(ctx, {
      action: 'shift.update',
      target: { kind: 'shift', id },
      summary: `Shift ${id} officers set (${officers.length})`,
      changes: {
        added: officers.filter((o) => !shift.officers.includes(o)),
        removed: shift.officers.filter((o) => !officers.includes(o)),
      },
    });
    this.events.publish('shift.roster-imported', { station: shift.station });
    return publicShift(await updated);
  }

  /** Who is on duty at the station at `at` (default now), with the shift each is on. */
  async onDuty(station: string, at: Date = new Date()): Promise<OnDuty> {
    await this.people.assertStation(station);
    const shifts = (await this.repo.list({ station, from: at, to: new Date(at.getTime() + 1) })).map(
      publicShift,
    );
    const seen = new Map<string, OnDuty['officers'][number]>();
    for (const s of shifts) {
      for (const number of s.officers) {
        if (seen.has(number)) continue;
        const officer = await this.people.officer(number).catch(() => null);
        seen.set(number, { number, name: officer?.name ?? number, team: s.team, shift: s.id, end: s.end });
      }
    }
    return {
      station,
      at,
      shifts,
      officers: [...seen.values()].sort((a, b) => a.number.localeCompare(b.number)),
    };
  }

  /**
   * Imports a roster CSV. Every row is checked first; with any error nothing is imported. Without
   * transactions the inserts are undone by import id if one fails (someone created the same shift
   * meanwhile: the unique id decides).
   */
  async importRoster(csv: string, dryRun: boolean, ctx: ActionContext): Promise<RosterReport> {
    const { rows, errors } = readRoster(csv);
    const shifts = new Map<string, NewShift & { lines: number[] }>();
    for (const { line, row } of rows) {
      const id = shiftId(row.station, row.team, row.start);
      const s = shifts.get(id);
      if (s && s.end.getTime() !== row.end.getTime()) {
        errors.push({ line, path: 'end', message: `shift ${id} has a different end on line ${s.lines[0]}` });
        continue;
      }
      if (s?.officers.includes(row.officer)) {
        errors.push({ line, path: 'officer', message: `officer ${row.officer} listed twice for ${id}` });
        continue;
      }
      const shift = s ?? {
        id,
        station: row.station,
        team: row.team,
        start: row.start,
        end: row.end,
        officers: [],
        importId: null,
        lines: [],
      };
      shift.officers.push(row.officer);
      shift.lines.push(line);
      shifts.set(id, shift);
    }
    errors.push(...(await this.rosterProblems(rows, [...shifts.values()])));
    for (const { line, row } of rows) {
      if (!inStationScope(ctx, row.station))
        errors.push({
          line,
          path: 'station',
          message: `station ${row.station} is outside your station scope`,
        });
    }
    errors.sort((a, b) => a.line - b.line);
    const report = { dryRun, imported: false, rows: rows.length, shifts: shifts.size, errors };
    if (dryRun) return report;
    // Rostering another station is refused as a whole (403), not reported as bad lines.
    assertInStationScope(ctx, ...rows.map((r) => r.row.station));
    if (errors.length > 0) {
      throw new AppError(
        'unprocessable',
        'roster-invalid',
        'The roster has errors; nothing was imported',
        `${errors.length} error(s); send ?dryRun=true for the full report`,
        errors.map((e) => ({ path: `line ${e.line}.${e.path}`, message: e.message })),
      );
    }
    const importId = randomUUID();
    for (const { lines: _, ...s } of shifts.values()) {
      if (!(await this.repo.insert({ ...s, importId }))) {
        await this.repo.deleteImported(importId);
        throw new AppError(
          'conflict',
          'shift-exists',
          'Shift already exists; nothing was imported',
          `Shift '${s.id}' was created meanwhile`,
        );
      }
    }
    await this.audit.record(ctx, {
      action: 'shift.import',
      target: { kind: 'roster', id: importId },
      summary: `Roster imported: ${shifts.size} shift(s), ${rows.length} row(s)`,
      changes: { shifts: [...shifts.keys()] },
    });
    for (const station of new Set([...shifts.values()].map((s) => s.station)))
      this.events.publish('shift.roster-imported', { station });
    return { ...report, imported: true };
  }

  /** Cross-row checks against the database: stations, officers, existing and overlapping shifts. */
  private async rosterProblems(
    rows: Array<{ line: number; row: { station: string; officer: string } }>,
    shifts: Array<NewShift & { lines: number[] }>,
  ): Promise<RowError[]> {
    const errors: RowError[] = [];
    const stations = new Set((await this.people.listStations()).map((s) => s.code));
    const officerState = new Map<string, 'ok' | 'unknown' | 'inactive'>();
    for (const number of new Set(rows.map((r) => r.row.officer))) {
      const o = await this.people.officer(number).catch(() => null);
      officerState.set(number, !o ? 'unknown' : o.active ? 'ok' : 'inactive');
    }
    for (const { line, row } of rows) {
      if (!stations.has(row.station))
        errors.push({ line, path: 'station', message: `unknown station '${row.station}'` });
      const state = officerState.get(row.officer);
      if (state === 'unknown')
        errors.push({ line, path: 'officer', message: `unknown officer '${row.officer}'` });
      if (state === 'inactive')
        errors.push({ line, path: 'officer', message: `officer '${row.officer}' is not active` });
    }
    const existing = await this.repo.existingIds(shifts.map((s) => s.id));
    for (const s of shifts) {
      if (existing.has(s.id))
        errors.push({ line: s.lines[0] ?? 0, path: 'shift', message: `shift ${s.id} already exists` });
    }
    // One officer, two overlapping shifts: within the file, and against shifts already stored.
    for (let i = 0; i < shifts.length; i++) {
      const a = shifts[i]!;
      for (const b of shifts.slice(i + 1)) {
        if (!overlaps(a, b)) continue;
        for (const o of a.officers.filter((x) => b.officers.includes(x))) {
          errors.push({
            line: b.lines[b.officers.indexOf(o)] ?? 0,
            path: 'officer',
            message: `officer ${o} is on overlapping shifts ${a.id} and ${b.id}`,
          });
        }
      }
      for (const other of await this.repo.forOfficers(a.officers, a.start, a.end)) {
        if (other.id === a.id) continue;
        for (const o of a.officers.filter((x) => other.officers.includes(x))) {
          errors.push({
            line: a.lines[a.officers.indexOf(o)] ?? 0,
            path: 'officer',
            message: `officer ${o} is already on shift ${other.id}`,
          });
        }
      }
    }
    return errors;
  }

  private async officerProblems(
    numbers: string[],
    window: { id: string; start: Date; end: Date },
  ): Promise<string[]> {
    const problems: string[] = [];
    for (const n of numbers) {
      const o = await this.people.officer(n).catch(() => null);
      if (!o) problems.push(`unknown officer '${n}'`);
      else if (!o.active) problems.push(`officer '${n}' is not active`);
    }
    for (const other of await this.repo.forOfficers(numbers, window.start, window.end)) {
      if (other.id === window.id) continue; // the same shift: the unique id answers that (409)
      for (const o of numbers.filter((x) => other.officers.includes(x))) {
        problems.push(`officer ${o} is already on shift ${other.id}`);
      }
    }
    return problems;
  }
}
