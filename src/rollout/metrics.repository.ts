// Storage of the measured history (metrics.model.ts): inserts claim their `_id`, a duplicate is
// someone else having recorded the same thing first.
import { isDuplicateKey, type Connection } from '../db/connection.js';
import type { DeskDay, ReadinessDay } from './metrics.maths.js';
import {
  deskDayModel,
  deskEventModel,
  readinessDayModel,
  readinessSampleModel,
  type DeskEventDoc,
  type ReadinessSampleDoc,
} from './metrics.model.js';

/** True when every error of a bulk insert is a duplicate key (those rows were there already). */
function onlyDuplicates(err: unknown): boolean {
  if (isDuplicateKey(err)) return true;
  const errors = (err as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
  return Array.isArray(errors) && errors.every((e) => (e.code ?? e.err?.code) === 11000);
}

const dayRange = (from: string, to: string, stations: readonly string[] | null) => ({
  day: { $gte: from, $lte: to },
  ...(stations && { station: { $in: stations } }),
});

export class MetricsRepository {
  private readonly samples;
  private readonly readinessDays;
  private readonly deskEvents;
  private readonly deskDays;
  constructor(conn: Connection) {
    this.samples = readinessSampleModel(conn);
    this.readinessDays = readinessDayModel(conn);
    this.deskEvents = deskEventModel(conn);
    this.deskDays = deskDayModel(conn);
  }

  /** Inserts; false when this `_id` was recorded already. */
  private async claim(insert: () => Promise<unknown>): Promise<boolean> {
    try {
      await insert();
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  insertSample(doc: ReadinessSampleDoc): Promise<boolean> {
    return this.claim(() => this.samples.create(doc));
  }

  insertDeskEvent(doc: DeskEventDoc): Promise<boolean> {
    return this.claim(() => this.deskEvents.create(doc));
  }

  /** Raw samples of days up to `lastDay` (the raw collection holds only days not yet folded). */
  rawSamples(firstDay: string, lastDay: string, stations: readonly string[] | null) {
    return this.samples
      .find(dayRange(firstDay, lastDay, stations), {
        station: 1,
        day: 1,
        onShift: 1,
        working: 1,
        noCamera: 1,
      })
      .lean<ReadinessSampleDoc[]>();
  }

  rawDeskEvents(firstDay: string, lastDay: string, stations: readonly string[] | null) {
    return this.deskEvents
      .find(dayRange(firstDay, lastDay, stations), { station: 1, day: 1, kind: 1 })
      .lean<DeskEventDoc[]>();
  }

  /** Folded days in [firstDay, lastDay]. */
  async readinessDaysIn(
    firstDay: string,
    lastDay: string,
    stations: readonly string[] | null,
  ): Promise<ReadinessDay[]> {
    const docs = await this.readinessDays
      .find(dayRange(firstDay, lastDay, stations), { _id: 0 })
      .lean<ReadinessDay[]>();
    return docs.map((d) => ({ ...d, noCamera: d.noCamera ?? [] }));
  }

  deskDaysIn(firstDay: string, lastDay: string, stations: readonly string[] | null): Promise<DeskDay[]> {
    return this.deskDays.find(dayRange(firstDay, lastDay, stations), { _id: 0 }).lean<DeskDay[]>();
  }

  /** The (station, day) pairs with raw records of days before `beforeDay`: what can be folded. */
  async unfoldedBefore(beforeDay: string): Promise<{ readiness: string[]; desk: string[] }> {
    const q = { day: { $lt: beforeDay } };
    const [r, d] = await Promise.all([
      this.samples.find(q, { station: 1, day: 1 }).lean<Array<{ station: string; day: string }>>(),
      this.deskEvents.find(q, { station: 1, day: 1 }).lean<Array<{ station: string; day: string }>>(),
    ]);
    const keys = (rows: Array<{ station: string; day: string }>) => [
      ...new Set(rows.map((x) => `${x.station}|${x.day}`)),
    ];
    return { readiness: keys(r), desk: keys(d) };
  }

  /** Inserts the day record; false when someone folded that day first. */
  insertReadinessDay(d: ReadinessDay): Promise<boolean> {
    return this.claim(() => this.readinessDays.create({ _id: `${d.station}|${d.day}`, ...d }));
  }

  insertDeskDay(d: DeskDay): Promise<boolean> {
    return this.claim(() => this.deskDays.create({ _id: `${d.station}|${d.day}`, ...d }));
  }

  async dropRawDay(kind: 'readiness' | 'desk', station: string, day: string): Promise<void> {
    if (kind === 'readiness') await this.samples.deleteMany({ station, day });
    else await this.deskEvents.deleteMany({ station, day });
  }

  /** Bulk inserts of day records (the demo's year of history); rows already there are kept. */
  async insertDays(readiness: readonly ReadinessDay[], desk: readonly DeskDay[]): Promise<void> {
    const withId = <T extends { station: string; day: string }>(d: T) => ({
      _id: `${d.station}|${d.day}`,
      ...d,
    });
    const bulk = async (insert: () => Promise<unknown>) => {
      try {
        await insert();
      } catch (err) {
        if (!onlyDuplicates(err)) throw err;
      }
    };
    for (let i = 0; i < readiness.length; i += 1000) {
      const rows = readiness.slice(i, i + 1000).map(withId);
      await bulk(() => this.readinessDays.insertMany(rows, { ordered: false, lean: true }));
    }
    for (let i = 0; i < desk.length; i += 1000) {
      const rows = desk.slice(i, i + 1000).map(withId);
      await bulk(() => this.deskDays.insertMany(rows, { ordered: false, lean: true }));
    }
  }
}
