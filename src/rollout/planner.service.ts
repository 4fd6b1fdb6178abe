// The allocation planner (docs/rollout.md "Planner"): per station, the phase's eligible officers,
// the peak of them on shift at once in the planning window, cameras and dock bays needed, stock and
// shortfall, the estimate, and the measured availability evidence. A what-if (another spare share
// or issue mode) is answered the same way and saved nowhere.
import { notFound } from '../errors.js';
import { estimate, phaseYears } from './budget.rules.js';
import { peakConcurrent, planStation, planTotals } from './planner.maths.js';
import type { RegisterCamera, RolloutRegisters, RosterOfficer, RosterShift } from './planner.ports.js';
import {
  isEligible,
  type AvailabilityEvidence,
  type CostLine,
  type IssueMode,
  type Phase,
  type PhaseDirectory,
  type Plan,
} from './rollout.types.js';

const DAY_MS = 24 * 3_600_000;
/** The planning window around now when none is given: four weeks back, four weeks ahead. */
export const PLAN_WINDOW_DAYS = 28;
/** How far back the availability evidence looks. */
export const EVIDENCE_WEEKS = 12;
/** Cameras that are no longer stock. */
const GONE = new Set(['retired', 'lost']);

export interface PlanOptions {
  sparePercent?: number | undefined;
  issueMode?: IssueMode | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** The registers as read once, so a budget with five phases reads them once. */
export interface RegisterSnapshot {
  officers: RosterOfficer[];
  cameras: RegisterCamera[];
  shifts: RosterShift[];
}

export class PlannerService {
  constructor(
    private readonly phases: PhaseDirectory,
    private readonly registers: RolloutRegisters,
    private readonly costLines: () => Promise<CostLine[]>,
    private readonly evidence: AvailabilityEvidence,
  ) {}

  async snapshot(now = new Date(), opts: Pick<PlanOptions, 'from' | 'to'> = {}): Promise<RegisterSnapshot> {
    const from = opts.from ?? new Date(now.getTime() - PLAN_WINDOW_DAYS * DAY_MS);
    const to = opts.to ?? new Date(now.getTime() + PLAN_WINDOW_DAYS * DAY_MS);
    const [officers, cameras, shifts] = await Promise.all([
      this.registers.officers(),
      this.registers.cameras(),
      this.registers.shifts(from, to),
    ]);
    return { officers, cameras, shifts };
  }

  /** GET /rollout/plan: the plan of a phase, or a what-if on it. */
  async plan(phaseId: string, opts: PlanOptions = {}, now = new Date()): Promise<Plan> {
    const phase = await this.phases.get(phaseId);
    if (!phase) throw notFound('rollout-phase', phaseId);
    const [snap, lines] = await Promise.all([this.snapshot(now, opts), this.costLines()]);
    const plan = this.compute(phase, snap, lines, opts);
    const stations = plan.stations.map((s) => s.station);
    const availability = await this.evidence.weekly({
      stations,
      from: new Date(now.getTime() - EVIDENCE_WEEKS * 7 * DAY_MS),
      to: now,
    });
    return { ...plan, availability };
  }

  /** The phase's own estimate (£): its own spare share and issue mode. */
  async estimateOf(phase: Phase): Promise<number> {
    const [snap, lines] = await Promise.all([this.snapshot(), this.costLines()]);
    return this.compute(phase, snap, lines).estimate;
  }

  compute(phase: Phase, snap: RegisterSnapshot, lines: readonly CostLine[], opts: PlanOptions = {}): Plan {
    const issueMode = opts.issueMode ?? phase.issueMode;
    const sparePercent = opts.sparePercent ?? phase.sparePercent;
    const eligible = snap.officers.filter((o) => isEligible(o, phase.rule));
    const byStation = new Map<string, Set<string>>();
    for (const o of eligible) {
      const set = byStation.get(o.station) ?? new Set<string>();
      set.add(o.number);
      byStation.set(o.station, set);
    }
    const stock = new Map<string, number>();
    for (const c of snap.cameras)
      if (!GONE.has(c.status) && !c.transfer) stock.set(c.station, (stock.get(c.station) ?? 0) + 1);
    const rows = [...byStation.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([station, numbers]) =>
        planStation(station, issueMode, sparePercent, {
          eligible: numbers.size,
          peak: peakConcurrent(
            snap.shifts.filter((s) => s.station === station),
            numbers,
          ),
          stock: stock.get(station) ?? 0,
        }),
      );
    const totals = planTotals(rows);
    const cost = estimate(lines, {
      cameras: totals.camerasNeeded,
      dockBays: totals.dockBaysNeeded,
      headcount: totals.eligibleOfficers,
      years: phaseYears(phase.plannedStart, phase.plannedEnd),
    });
    return {
      phase: phase.id,
      issueMode,
      sparePercent,
      whatIf: issueMode !== phase.issueMode || sparePercent !== phase.sparePercent,
      stations: rows,
      totals,
      estimate: cost.total,
      availability: [],
    };
  }
}
