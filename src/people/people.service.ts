// Stations and officers: the people side of the register.
import { type ActionContext, assertInStationScope } from '../shared/index.js';
import { changedFields, type AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import type { Page } from '../shared/paging.js';
import type { OfficerDoc, StationDoc } from './people.model.js';
import { OfficerImport } from './officer-import.js';
import type { PeopleRepository } from './people.repository.js';
import type { OfficerChanges, OfficerFilter, OfficerInput } from './people.schemas.js';

const unknownStation = (code: string) =>
  new AppError('unknown-station', `No station '${code}'`, [
    { path: 'body.station', message: `unknown station '${code}'` },
  ]);

export class PeopleService {
  private readonly hrImport: OfficerImport;
  constructor(
    private readonly repo: PeopleRepository,
    private readonly audit: AuditService,
  ) {
    this.hrImport = new OfficerImport(repo, audit);
  }

  /** HR-export CSV: row-by-row report on a dry run; otherwise all rows or none. */
  importOfficers(csv: string, dryRun: boolean, ctx: ActionContext) {
    return this.hrImport.run(csv, dryRun, ctx);
  }

  listStations() {
    return this.repo.listStations();
  }

  async station(code: string): Promise<StationDoc> {
    return (await this.repo.station(code)) ?? Promise.reject(notFound('station', code));
  }

  /** A station-scoped user may not create stations (a new station is outside their scope). */
  async createStation(input: { code: string; name: string }, ctx: ActionContext): Promise<StationDoc> {
    assertInStationScope(ctx, input.code);
    const created = await this.repo.insertStation(input);
    if (!created) throw new AppError('station-exists', `Station '${input.code}' exists`);
    await this.audit.record(ctx, {
      action: 'station.create',
      target: { kind: 'station', id: input.code },
      summary: `Station ${input.code} (${input.name}) created`,
      changes: { name: input.name },
    });
    return created;
  }

  /** Its own station-scoped users may rename a station; others only force-wide. */
  async updateStation(code: string, patch: { name?: string }, ctx: ActionContext): Promise<StationDoc> {
    const before = await this.station(code);
    assertInStationScope(ctx, code);
    const updated = (await this.repo.updateStation(code, patch)) ?? before;
    await this.audit.record(ctx, {
      action: 'station.update',
      target: { kind: 'station', id: code },
      summary: `Station ${code} updated`,
      changes: changedFields(before, patch),
    });
    return updated;
  }

  stationExists(code: string): Promise<boolean> {
    return this.repo.stationExists(code);
  }

  async assertStation(code: string) {
    if (!(await this.repo.stationExists(code))) throw unknownStation(code);
  }

  async officer(number: string): Promise<OfficerDoc> {
    return (await this.repo.officer(number)) ?? Promise.reject(notFound('officer', number));
  }

  async listOfficers(filter: OfficerFilter, limit: number, offset: number): Promise<Page<OfficerDoc>> {
    return { ...(await this.repo.listOfficers(filter, limit, offset)), limit, offset };
  }

  async createOfficer(input: OfficerInput, ctx: ActionContext): Promise<OfficerDoc> {
    assertInStationScope(ctx, input.station);
    await this.assertStation(input.station);
    const created = await this.repo.insertOfficer(input);
    if (!created) {
      throw new AppError('officer-exists', `Officer '${input.number}' exists`);
    }
    await this.audit.record(ctx, {
      action: 'officer.create',
      target: { kind: 'officer', id: input.number },
      summary: `Officer ${input.number} created at ${input.station}`,
      changes: {
        station: input.station,
        team: input.team,
        qualifications: input.qualifications,
        active: input.active,
      },
    });
    return created;
  }

  async updateOfficer(number: string, patch: OfficerChanges, ctx: ActionContext): Promise<OfficerDoc> {
    const before = await this.officer(number);
    // A move needs both stations in scope: the officer's current one and the new one.
    assertInStationScope(ctx, before.station, ...(patch.station ? [patch.station] : []));
    if (patch.station) await this.assertStation(patch.station);
    const updated = (await this.repo.updateOfficer(number, patch)) ?? before;
    await this.audit.record(ctx, {
      action: 'officer.update',
      target: { kind: 'officer', id: number },
      summary: `Officer ${number} updated`,
      changes: changedFields(before, patch),
    });
    return updated;
  }
}
