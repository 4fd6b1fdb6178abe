// The measures of a phase, computed from the platform's own records (never typed in): the officer
// register, custody (open and closed assignments), clips, faults, the camera register, the
// readiness and desk history (metrics.history.ts) and the recorded spend (BudgetReader).
//
// What is measured for a phase, over its period (activation, or planned start, to completion or now):
// - officers in scope: eligible under its rule (0 while it has not started);
// - officers equipped: eligible officers who held a camera at some moment in the period;
// - readiness share and desk availability: the history of the stations its eligible officers
//   belong to (samples count every in-scope officer of those stations, not only this phase's);
// - clips offloaded, hours recorded, evidential share, clips redacted: clips recorded in the
//   period while an eligible officer held the camera;
// - faults and losses per 100 cameras: of the distinct cameras eligible officers held in the
//   period, faults opened in the period, and those now recorded lost;
// - cost per equipped officer: the phase's recorded spend ÷ officers equipped.
import {
  costPer,
  deskAvailability,
  equippedBetween,
  per100,
  readinessShare,
  share,
  weeklyAvailability,
} from './metrics.maths.js';
import type { MeasuresHistory } from './metrics.history.js';
import {
  isEligible,
  type AvailabilityEvidence,
  type AvailabilityWeek,
  type BudgetReader,
  type OfficerFacts,
  type Phase,
  type PhaseMetrics,
  type PhaseMetricsSource,
} from './rollout.types.js';

export type OfficerRecord = OfficerFacts & { number: string };
export interface CustodyRecord {
  camera: string;
  officer: string;
  issuedAt: Date;
  returnedAt: Date | null;
}
export interface ClipRecord {
  holder: string | null;
  recordedFrom: Date;
  recordedTo: Date;
  evidential: boolean;
  redacted: boolean;
}

/** What the measures read of other capabilities (wired in metrics.build.ts). */
export interface MeasureRecords {
  officers(): Promise<OfficerRecord[]>;
  /** Custody spans open now or closed since `since`. */
  custodySince(since: Date): Promise<CustodyRecord[]>;
  /** Clips recorded in [from, to). */
  clips(from: Date, to: Date): Promise<ClipRecord[]>;
  /** Faults opened in [from, to). */
  faultsOpened(from: Date, to: Date): Promise<Array<{ camera: string; openedAt: Date }>>;
  /** Serials of cameras recorded lost. */
  lostCameras(): Promise<string[]>;
}

/** Everything read once for a period, so a report over five phases reads each collection once. */
export interface MeasureSnapshot {
  from: Date;
  to: Date;
  officers: OfficerRecord[];
  custody: CustodyRecord[];
  clips: ClipRecord[];
  faults: Array<{ camera: string; openedAt: Date }>;
  lost: Set<string>;
  spentByPhase: Map<string, number>;
}

const STARTED = new Set(['active', 'in-review', 'complete']);

/** A phase's measured period: activation (or planned start) to completion (or `at`). */
export function phasePeriod(phase: Phase, at: Date): { from: Date; to: Date } {
  const from = new Date(phase.activatedAt ?? phase.plannedStart);
  const end = phase.completedAt ? new Date(phase.completedAt) : at;
  const to = end < at ? end : at;
  return { from, to: to < from ? from : to };
}

export class RolloutMetrics implements PhaseMetricsSource, AvailabilityEvidence {
  constructor(
    private readonly records: MeasureRecords,
    private readonly history: MeasuresHistory,
    private readonly budget: BudgetReader,
  ) {}

  async forPhase(phase: Phase, at: Date): Promise<PhaseMetrics> {
    const { from, to } = phasePeriod(phase, at);
    return this.compute(phase, at, await this.snapshot(from, to));
  }

  async weekly(q: { stations: string[] | null; from: Date; to: Date }): Promise<AvailabilityWeek[]> {
    await this.history.fold();
    const [desk, readiness] = await Promise.all([this.history.deskDays(q), this.history.readinessDays(q)]);
    return weeklyAvailability(desk, readiness);
  }

  /** Reads what the measures of any phase within [from, to] need. */
  async snapshot(from: Date, to: Date): Promise<MeasureSnapshot> {
    await this.history.fold();
    const end = new Date(to.getTime() + 1);
    const [officers, custody, clips, faults, lost, budget] = await Promise.all([
      this.records.officers(),
      this.records.custodySince(from),
      this.records.clips(from, end),
      this.records.faultsOpened(from, end),
      this.records.lostCameras(),
      this.budget.summary(),
    ]);
    return {
      from,
      to,
      officers,
      custody,
      clips,
      faults,
      lost: new Set(lost),
      spentByPhase: new Map(budget.phases.map((p) => [p.phase, p.spent])),
    };
  }

  /** The phase's measures from a snapshot covering its period. */
  async compute(phase: Phase, at: Date, snap: MeasureSnapshot): Promise<PhaseMetrics> {
    const { from, to } = phasePeriod(phase, at);
    const started = STARTED.has(phase.status);
    const eligible = started ? snap.officers.filter((o) => isEligible(o, phase.rule)) : [];
    const numbers = new Set(eligible.map((o) => o.number));
    const stations = [...new Set(eligible.map((o) => o.station))];
    const spans = snap.custody.filter((c) => numbers.has(c.officer));
    const equipped = equippedBetween(spans, from, to);
    const cameras = new Set(
      spans
        .filter((s) => s.issuedAt <= to && (s.returnedAt === null || s.returnedAt >= from))
        .map((s) => s.camera),
    );
    const clips = snap.clips.filter(
      (c) => c.holder !== null && numbers.has(c.holder) && c.recordedFrom >= from && c.recordedFrom <= to,
    );
    const faults = snap.faults.filter((f) => cameras.has(f.camera) && f.openedAt >= from && f.openedAt <= to);
    const lost = [...cameras].filter((c) => snap.lost.has(c)).length;
    const window = { from, to, stations };
    const [readiness, desk] =
      stations.length > 0
        ? await Promise.all([this.history.readinessDays(window), this.history.deskDays(window)])
        : [[], []];
    const deskShare = deskAvailability(desk);
    const spent = snap.spentByPhase.get(phase.id) ?? 0;
    const hours = clips.reduce(
      (h, c) => h + (c.recordedTo.getTime() - c.recordedFrom.getTime()) / 3_600_000,
      0,
    );
    return {
      phase: phase.id,
      from: from.toISOString(),
      to: to.toISOString(),
      officersInScope: eligible.length,
      officersEquipped: equipped.size,
      readinessShare: readinessShare(readiness),
      deskAvailability: deskShare.share,
      deskNoCamera: deskShare.noCamera,
      clipsOffloaded: clips.length,
      hoursRecorded: Math.round(hours * 10) / 10,
      evidentialShare: share(clips.filter((c) => c.evidential).length, clips.length),
      clipsRedacted: clips.filter((c) => c.redacted).length,
      faultsPer100Cameras: per100(faults.length, cameras.size),
      lossesPer100Cameras: per100(lost, cameras.size),
      spent,
      costPerEquippedOfficer: costPer(spent, equipped.size),
    };
  }
}
