// The measured history as it happens: a readiness sample from every board computed (at most one
// per station and minute, whoever computes it), a desk record for every issue and every time a
// desk or dock had no camera to give; closed days folded into day records. Reads answer day records
// (folded, plus today's raw records summed on the fly).
import type { Logger } from '../logger.js';
import type { ReadinessBoard } from '../realtime/index.js';
import { addReadiness, dayKey, minuteKey, type DeskDay, type ReadinessDay } from './metrics.maths.js';
import type { DeskKind } from './metrics.model.js';
import type { MetricsRepository } from './metrics.repository.js';

/** A day is folded this long after it ended: a sample computed just before midnight still lands. */
export const FOLD_GRACE_MS = 15 * 60_000;

export interface DeskRecord {
  /** What caused it, unique across processes (see metrics.model.ts). */
  key: string;
  station: string;
  kind: DeskKind;
  at: Date;
}

const pairOf = (key: string) => {
  const i = key.lastIndexOf('|');
  return { station: key.slice(0, i), day: key.slice(i + 1) };
};

export class MeasuresHistory {
  constructor(
    private readonly repo: MetricsRepository,
    private readonly log: Logger,
  ) {}

  /** A board was computed (readiness's sample sink): kept as this minute's sample of its station. */
  sampled(board: ReadinessBoard): void {
    this.recordSample(board).catch((err: unknown) =>
      this.log.error({ err, station: board.station }, 'readiness sample not recorded'),
    );
  }

  /** True when this board is its station's sample for its minute; false: one was recorded first. */
  async recordSample(board: ReadinessBoard): Promise<boolean> {
    if (board.onDuty === 0) return false; // nobody counted: nothing to weigh
    const at = new Date(board.at);
    return this.repo.insertSample({
      _id: `${board.station}|${minuteKey(at)}`,
      station: board.station,
      day: dayKey(at),
      at,
      onShift: board.onDuty,
      working: board.working,
      noCamera: board.officers.filter((o) => o.camera === null).map((o) => o.officer),
    });
  }

  /** True when recorded; false when this cause was recorded already (another process heard it). */
  recordDesk(r: DeskRecord): Promise<boolean> {
    return this.repo.insertDeskEvent({
      _id: r.key,
      station: r.station,
      day: dayKey(r.at),
      kind: r.kind,
      at: r.at,
    });
  }

  /**
   * Folds every closed day's raw records into day records. Safe in any number of processes at
   * once: the day record's insert decides, and raw records go only once a day record exists.
   */
  async fold(now = new Date()): Promise<number> {
    const before = dayKey(new Date(now.getTime() - FOLD_GRACE_MS));
    const { readiness, desk } = await this.repo.unfoldedBefore(before);
    for (const key of readiness) {
      const { station, day } = pairOf(key);
      const [folded] = this.sumReadiness(await this.repo.rawSamples(day, day, [station]));
      if (folded) await this.repo.insertReadinessDay(folded);
      await this.repo.dropRawDay('readiness', station, day);
    }
    for (const key of desk) {
      const { station, day } = pairOf(key);
      const [folded] = this.sumDesk(await this.repo.rawDeskEvents(day, day, [station]));
      if (folded) await this.repo.insertDeskDay(folded);
      await this.repo.dropRawDay('desk', station, day);
    }
    return readiness.length + desk.length;
  }

  /** Readiness per station and day in [from, to] (whole UTC days). */
  async readinessDays(q: {
    from: Date;
    to: Date;
    stations: readonly string[] | null;
  }): Promise<ReadinessDay[]> {
    const [first, last] = [dayKey(q.from), dayKey(q.to)];
    const [folded, raw] = await Promise.all([
      this.repo.readinessDaysIn(first, last, q.stations),
      this.repo.rawSamples(first, last, q.stations),
    ]);
    // A day folded by a process that stopped before removing its raw records counts once.
    const done = new Set(folded.map((d) => `${d.station}|${d.day}`));
    return [...folded, ...this.sumReadiness(raw.filter((s) => !done.has(`${s.station}|${s.day}`)))];
  }

  /** Desk records per station and day in [from, to] (whole UTC days). */
  async deskDays(q: { from: Date; to: Date; stations: readonly string[] | null }): Promise<DeskDay[]> {
    const [first, last] = [dayKey(q.from), dayKey(q.to)];
    const [folded, raw] = await Promise.all([
      this.repo.deskDaysIn(first, last, q.stations),
      this.repo.rawDeskEvents(first, last, q.stations),
    ]);
    const done = new Set(folded.map((d) => `${d.station}|${d.day}`));
    return [...folded, ...this.sumDesk(raw.filter((e) => !done.has(`${e.station}|${e.day}`)))];
  }

  /** Bulk day records (seeding a demo's history). */
  insertDays(readiness: readonly ReadinessDay[], desk: readonly DeskDay[]): Promise<void> {
    return this.repo.insertDays(readiness, desk);
  }

  private sumReadiness(
    samples: ReadonlyArray<{
      station: string;
      day: string;
      onShift: number;
      working: number;
      noCamera: string[];
    }>,
  ): ReadinessDay[] {
    const days = new Map<string, ReadinessDay>();
    for (const s of samples) {
      const key = `${s.station}|${s.day}`;
      const d = days.get(key) ?? {
        station: s.station,
        day: s.day,
        samples: 0,
        onShift: 0,
        working: 0,
        noCamera: [],
      };
      days.set(
        key,
        addReadiness(d, { samples: 1, onShift: s.onShift, working: s.working, noCamera: s.noCamera ?? [] }),
      );
    }
    return [...days.values()];
  }

  private sumDesk(events: ReadonlyArray<{ station: string; day: string; kind: DeskKind }>): DeskDay[] {
    const days = new Map<string, DeskDay>();
    for (const e of events) {
      const key = `${e.station}|${e.day}`;
      const d = days.get(key) ?? { station: e.station, day: e.day, issues: 0, noCamera: 0 };
      if (e.kind === 'issue') d.issues++;
      else d.noCamera++;
      days.set(key, d);
    }
    return [...days.values()];
  }
}
