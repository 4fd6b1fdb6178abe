import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { shiftModel, type ShiftDoc } from './shifts.model.js';

const NO_ID = { _id: 0 } as const;
export type NewShift = Omit<ShiftDoc, 'createdAt' | 'updatedAt'>;

export class ShiftsRepository {
  private readonly shifts;
  constructor(conn: Connection) {
    this.shifts = shiftModel(conn);
  }

  byId(id: string) {
    return this.shifts.findOne({ id }, NO_ID).lean<ShiftDoc>();
  }

  /** Inserts; false if a shift with that id exists (the unique index decides). */
  async insert(s: NewShift): Promise<ShiftDoc | false> {
    try {
      const doc = (await this.shifts.create(s)).toObject();
      delete (doc as { _id?: unknown })._id;
      return doc;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async existingIds(ids: string[]): Promise<Set<string>> {
    const found = await this.shifts.find({ id: { $in: ids } }, { id: 1, _id: 0 }).lean<{ id: string }[]>();
    return new Set(found.map((f) => f.id));
  }

  async deleteImported(importId: string) {
    await this.shifts.deleteMany({ importId });
  }

  async setOfficers(id: string, officers: string[]) {
    await this.shifts.updateOne({ id }, { $set: { officers } });
    return this.byId(id);
  }

  /** Shifts at a station overlapping [from, to). */
  list(filter: { station?: string; from: Date; to: Date }) {
    const q: Record<string, unknown> = { start: { $lt: filter.to }, end: { $gt: filter.from } };
    if (filter.station) q.station = filter.station;
    return this.shifts.find(q, NO_ID).sort({ start: 1, station: 1, team: 1 }).limit(1000).lean<ShiftDoc[]>();
  }

  /** Shifts of these officers overlapping [from, to) (to refuse double-booking). */
  forOfficers(numbers: string[], from: Date, to: Date) {
    return this.shifts
      .find({ officers: { $in: numbers }, start: { $lt: to }, end: { $gt: from } }, NO_ID)
      .lean<ShiftDoc[]>();
  }
}
