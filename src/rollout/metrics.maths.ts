// The measures' arithmetic, pure so each rule is unit tested without I/O
// (test/unit/rollout-metrics.maths.test.ts): calendar keys (UTC minute, day, ISO week, month),
// shares and rates, the planned rollout curve, and folding day records into weeks and months.
import type { AvailabilityWeek, Phase } from './rollout.types.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DDTHH:MM` (UTC): one readiness sample per station and minute. */
export const minuteKey = (d: Date) => d.toISOString().slice(0, 16);
/** `YYYY-MM-DD` (UTC). */
export const dayKey = (d: Date) => d.toISOString().slice(0, 10);
/** `YYYY-MM` (UTC). */
export const monthKey = (d: Date) => d.toISOString().slice(0, 7);
/** Midnight UTC of a `YYYY-MM-DD`. */
export const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);

/** ISO 8601 week of a UTC date, e.g. `2026-W48` (weeks start on Monday; week 1 holds 4 January). */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = t.getUTCDay() || 7; // Monday 1 … Sunday 7
  t.setUTCDate(t.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${pad(week)}`;
}

/** Every `YYYY-MM-DD` from `from`'s day to `to`'s day, both included. */
export function daysBetween(from: Date, to: Date): string[] {
  const out: string[] = [];
  for (let t = dayStart(dayKey(from)).getTime(); t <= to.getTime(); t += 86_400_000) {
    out.push(dayKey(new Date(t)));
  }
  return out;
}

/** Every `YYYY-MM` from `from`'s month to `to`'s month, both included. */
export function monthsBetween(from: Date, to: Date): string[] {
  const out: string[] = [];
  let y = from.getUTCFullYear();
  let m = from.getUTCMonth();
  const endY = to.getUTCFullYear();
  const endM = to.getUTCMonth();
  while (y < endY || (y === endY && m <= endM)) {
    out.push(`${y}-${pad(m + 1)}`);
    if (++m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

/** The last instant of a `YYYY-MM` month (the start of the next, minus 1 ms). */
export function monthEnd(month: string): Date {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1) - 1);
}

/** num / den, or null when there is nothing to divide by. */
export const share = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** Events per 100 cameras, or null without cameras. */
export const per100 = (events: number, cameras: number): number | null =>
  cameras > 0 ? (events * 100) / cameras : null;

/** £ per equipped officer, or null while nobody is equipped. */
export const costPer = (spent: number, equipped: number): number | null =>
  equipped > 0 ? spent / equipped : null;

/** One station's readiness over one day: sums over its samples (one a minute at most). */
export interface ReadinessDay {
  station: string;
  day: string;
  samples: number;
  /** Σ in-scope officers on shift over the samples (officer-minutes). */
  onShift: number;
  /** Σ of those with a working camera (green on the board). */
  working: number;
  /** Distinct in-scope on-shift officers seen with no camera issued that day. */
  noCamera: string[];
}

/** One station's desk over one day. */
export interface DeskDay {
  station: string;
  day: string;
  /** Cameras issued (at the desk or by a dock). */
  issues: number;
  /** Times a desk or dock had no camera to give. */
  noCamera: number;
}

/** Adds a sample (or a day) into a day record of the same station and day. */
export function addReadiness(into: ReadinessDay, s: Omit<ReadinessDay, 'station' | 'day'>): ReadinessDay {
  const seen = new Set([...into.noCamera, ...s.noCamera]);
  return {
    ...into,
    samples: into.samples + s.samples,
    onShift: into.onShift + s.onShift,
    working: into.working + s.working,
    noCamera: [...seen].sort(),
  };
}

/** Officer-hours share with a working camera: Σ working / Σ on shift (null without samples). */
export function readinessShare(days: readonly ReadinessDay[]): number | null {
  let on = 0;
  let ok = 0;
  for (const d of days) {
    on += d.onShift;
    ok += d.working;
  }
  return share(ok, on);
}

/** Share of desk attempts that found a camera: issues / (issues + no camera). */
export function deskAvailability(days: readonly DeskDay[]): { share: number | null; noCamera: number } {
  let issues = 0;
  let none = 0;
  for (const d of days) {
    issues += d.issues;
    none += d.noCamera;
  }
  return { share: share(issues, issues + none), noCamera: none };
}

/** Day records folded into the planner's weekly availability, per station and ISO week. */
export function weeklyAvailability(
  desk: readonly DeskDay[],
  readiness: readonly ReadinessDay[],
): AvailabilityWeek[] {
  const weeks = new Map<string, AvailabilityWeek & { officers: Set<string> }>();
  const at = (station: string, day: string) => {
    const week = isoWeek(dayStart(day));
    const key = `${station}|${week}`;
    let w = weeks.get(key);
    if (!w) {
      w = { station, week, deskNoCamera: 0, deskIssues: 0, onShiftWithoutCamera: 0, officers: new Set() };
      weeks.set(key, w);
    }
    return w;
  };
  for (const d of desk) {
    const w = at(d.station, d.day);
    w.deskIssues += d.issues;
    w.deskNoCamera += d.noCamera;
  }
  for (const r of readiness) {
    const w = at(r.station, r.day);
    for (const o of r.noCamera) w.officers.add(o);
  }
  return [...weeks.values()]
    .map(({ officers, ...w }) => ({ ...w, onShiftWithoutCamera: officers.size }))
    .sort((a, b) => a.week.localeCompare(b.week) || a.station.localeCompare(b.station));
}

/**
 * Officers a phase planned to have equipped by `at`: its target headcount, reached in a straight
 * line from its planned start to its planned end (0 before, all of it after).
 */
export function plannedEquipped(
  phase: Pick<Phase, 'plannedStart' | 'plannedEnd' | 'targetHeadcount'>,
  at: Date,
): number {
  const start = Date.parse(phase.plannedStart);
  const end = Date.parse(phase.plannedEnd);
  const t = at.getTime();
  if (t < start) return 0;
  if (t >= end || end <= start) return phase.targetHeadcount;
  return Math.round((phase.targetHeadcount * (t - start)) / (end - start));
}

/** The distinct officers who had a camera at some moment in [from, to], by their custody spans. */
export function equippedBetween(
  spans: ReadonlyArray<{ officer: string; issuedAt: Date; returnedAt: Date | null }>,
  from: Date,
  to: Date,
): Set<string> {
  const out = new Set<string>();
  for (const s of spans) {
    if (s.issuedAt <= to && (s.returnedAt === null || s.returnedAt >= from)) out.add(s.officer);
  }
  return out;
}
