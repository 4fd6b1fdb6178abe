// A demo force's measured history (npm run seed:demo): a year of readiness and desk day records,
// consistent with its phases (an officer counts from the day the first phase they are eligible
// under was activated; before any, everyone counts, as without phases), and a share of its clips
// marked evidential through the clips service (audited like a reviewer's mark). Day records are
// bulk-inserted (a year for 12 stations is ~9,000 small documents): fast, and re-running keeps the
// records already there.
import type { ActionContext } from '../shared/index.js';
import { dayKey, dayStart, daysBetween, type DeskDay, type ReadinessDay } from './metrics.maths.js';
import type { MeasuresHistory } from './metrics.history.js';
import type { OfficerRecord } from './metrics.service.js';
import { isEligible, type Phase } from './rollout.types.js';

/** mulberry32: the same seed gives the same history. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedHistorySummary {
  readinessDays: number;
  deskDays: number;
  clipsMarked: number;
}

export async function seedRolloutHistory(p: {
  history: MeasuresHistory;
  phases: readonly Phase[];
  officers: readonly OfficerRecord[];
  /** Until the end of the day before this (today's samples come from the running platform). */
  at?: Date;
  days?: number;
  /** Marks every third clip evidential (clips service: `setEvidential`). */
  clips?: {
    ids(): Promise<string[]>;
    mark(id: string, reason: string, ctx: ActionContext): Promise<unknown>;
  };
  ctx?: ActionContext;
  seed?: number;
}): Promise<SeedHistorySummary> {
  const rand = prng(p.seed ?? 17);
  const at = p.at ?? new Date();
  const last = new Date(dayStart(dayKey(at)).getTime() - 1);
  const first = new Date(last.getTime() - ((p.days ?? 365) - 1) * 86_400_000);
  const started = p.phases.filter((ph) => ph.activatedAt !== null);
  // The day each officer came into scope (null: never); before any phase started, everyone counts.
  const firstPhase = started.length ? Math.min(...started.map((ph) => Date.parse(ph.activatedAt!))) : null;
  const since = new Map<string, number | null>();
  for (const o of p.officers) {
    const t = started.filter((ph) => isEligible(o, ph.rule)).map((ph) => Date.parse(ph.activatedAt!));
    since.set(o.number, t.length ? Math.min(...t) : null);
  }
  const byStation = new Map<string, OfficerRecord[]>();
  for (const o of p.officers)
    if (o.active) byStation.set(o.station, [...(byStation.get(o.station) ?? []), o]);

  const readiness: ReadinessDay[] = [];
  const desk: DeskDay[] = [];
  const days = daysBetween(first, last);
  const lastFourMonths = dayKey(new Date(last.getTime() - 120 * 86_400_000));
  for (const [station, officers] of byStation) {
    // A few busy stations run short of cameras as the rollout grows (the anchor force's story).
    const tight = rand() < 0.3;
    for (const [i, day] of days.entries()) {
      const end = dayStart(day).getTime() + 86_400_000;
      const counted = officers.filter((o) => {
        if (firstPhase === null || end <= firstPhase) return true;
        const s = since.get(o.number);
        return s !== null && s !== undefined && s < end;
      });
      if (counted.length === 0) continue;
      // About a quarter of a station's officers on duty at any minute; readiness improves over the
      // year as docks and spares arrive, with day-to-day noise.
      const progress = i / Math.max(1, days.length - 1);
      const onDuty = Math.max(1, Math.round(counted.length * (0.22 + rand() * 0.06)));
      const ready = Math.min(1, 0.8 + 0.13 * progress + (rand() - 0.5) * 0.06);
      // Officers seen on shift with no camera: now and then anywhere, most days at a station short
      // of cameras in the last months.
      const shortfall = tight && day >= lastFourMonths;
      const withoutCamera = Math.min(onDuty, shortfall ? (rand() < 0.35 ? 1 : 0) : rand() < 0.03 ? 1 : 0);
      const offset = Math.floor(rand() * counted.length);
      const minutes = 1440;
      readiness.push({
        station,
        day,
        samples: minutes,
        onShift: onDuty * minutes,
        working: Math.round(Math.min(onDuty * ready, onDuty - withoutCamera) * minutes),
        noCamera: counted
          .concat(counted)
          .slice(offset, offset + withoutCamera)
          .map((o) => o.number)
          .sort(),
      });
      const issues = Math.round(onDuty * 3 * (0.9 + rand() * 0.2)); // three shifts a day
      desk.push({
        station,
        day,
        issues,
        noCamera: shortfall ? Math.round(rand() * 4) : rand() < 0.05 ? 1 : 0,
      });
    }
  }
  await p.history.insertDays(readiness, desk);

  let clipsMarked = 0;
  if (p.clips && p.ctx) {
    const ids = await p.clips.ids();
    for (const [i, id] of ids.entries()) {
      if (i % 3 !== 0) continue;
      await p.clips.mark(id, 'Evidence in a case (demo data)', p.ctx);
      clipsMarked++;
    }
  }
  return { readinessDays: readiness.length, deskDays: desk.length, clipsMarked };
}
