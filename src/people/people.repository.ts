import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { officerModel, stationModel, type OfficerDoc, type StationDoc } from './people.model.js';
import { containsText } from '../shared/paging.js';
import type { OfficerFilter } from './people.schemas.js';

const NO_ID = { _id: 0 } as const;

export class PeopleRepository {
  private readonly stations;
  private readonly officers;
  constructor(conn: Connection) {
    this.stations = stationModel(conn);
    this.officers = officerModel(conn);
  }

  listStations() {
    return this.stations.find({}, NO_ID).sort({ code: 1 }).lean<StationDoc[]>();
  }
  station(code: string) {
    return this.stations.findOne({ code }, NO_ID).lean<StationDoc>();
  }
  async stationExists(code: string) {
    return (await this.stations.exists({ code })) !== null;
  }
  /** Inserts; false if the code is taken. */
  async insertStation(s: Pick<StationDoc, 'code' | 'name'>): Promise<StationDoc | false> {
    return insertUnique(async () => (await this.stations.create(s)).toObject());
  }
  // No projection on findOneAndUpdate: FerretDB v1 does not implement findAndModify's `fields`.
  async updateStation(code: string, set: Partial<StationDoc>) {
    return dropId(
      await this.stations.findOneAndUpdate({ code }, { $set: set }, { returnDocument: 'after' }).lean(),
    );
  }

  officer(number: string) {
    return this.officers.findOne({ _id: number }, { _id: 0, importId: 0 }).lean<OfficerDoc>();
  }
  /** Which of these officer numbers are already on the register. */
  async takenNumbers(numbers: string[]) {
    const found = await this.officers.find({ number: { $in: numbers } }, { number: 1 }).lean<OfficerDoc[]>();
    return new Set(found.map((o) => o.number));
  }
  /** Inserts many (CSV import); throws on the first failure, leaving earlier rows in place. */
  async insertOfficers(os: Array<Omit<OfficerDoc, 'createdAt' | 'updatedAt'>>): Promise<void> {
    await this.officers.insertMany(
      os.map((o) => ({ ...o, _id: o.number })),
      { ordered: true },
    );
  }
  async deleteImported(importId: string): Promise<number> {
    return (await this.officers.deleteMany({ importId })).deletedCount;
  }
  async insertOfficer(o: Omit<OfficerDoc, 'createdAt' | 'updatedAt'>): Promise<OfficerDoc | false> {
    return insertUnique(async () => (await this.officers.create({ ...o, _id: o.number })).toObject());
  }
  async updateOfficer(number: string, set: Partial<OfficerDoc>) {
    return dropId(
      await this.officers
        .findOneAndUpdate({ _id: number }, { $set: set }, { returnDocument: 'after' })
        .lean(),
    );
  }
  async listOfficers(filter: OfficerFilter, limit: number, offset: number) {
    const q: Record<string, unknown> = {};
    if (filter.station) q.station = filter.station;
    if (filter.qualification) q.qualifications = filter.qualification;
    if (filter.active !== undefined) q.active = filter.active;
    if (filter.q) {
      const re = containsText(filter.q);
      q.$or = [{ number: re }, { name: re }];
    }
    const [items, total] = await Promise.all([
      this.officers
        .find(q, { _id: 0, importId: 0 })
        .sort({ number: 1 })
        .skip(offset)
        .limit(limit)
        .lean<OfficerDoc[]>(),
      this.officers.countDocuments(q),
    ]);
    return { items, total };
  }
}

/** Drops the storage-only fields (_id, importId) from a document before it leaves the repository. */
function dropId<T extends { _id?: unknown }>(doc: T | null): Omit<T, '_id'> | null {
  if (!doc) return null;
  const { _id, importId: _i, ...rest } = doc as T & { importId?: unknown };
  return rest as Omit<T, '_id'>;
}

async function insertUnique<T>(insert: () => Promise<T>): Promise<T | false> {
  try {
    const doc = await insert();
    delete (doc as { _id?: unknown })._id;
    delete (doc as { importId?: unknown }).importId;
    return doc;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
