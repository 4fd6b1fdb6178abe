// The phased rollout's shared shapes: phases and their gates, the budget, the planner's answer, the
// measures per phase and the published report's input. One file so the programme (phases, budget,
// planner), the measures (metrics, readiness history) and the report agree on one contract.
import type { Qualification } from '../shared/qualifications.js';

export const PHASE_STATUSES = ['planned', 'approved', 'active', 'in-review', 'complete'] as const;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];
export const ISSUE_MODES = ['personal', 'pool'] as const;
export type IssueMode = (typeof ISSUE_MODES)[number];
export const GATE_DECISIONS = ['proceed', 'extend', 'hold'] as const;
export type GateDecision = (typeof GATE_DECISIONS)[number];
export const COST_KINDS = ['camera', 'dock-bay', 'licence', 'storage-tb', 'staff-hour'] as const;
export type CostKind = (typeof COST_KINDS)[number];
export const CONCERN_CATEGORIES = [
  'activation',
  'misuse',
  'privacy',
  'retention',
  'complaint',
  'other',
] as const;
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];
export const CONCERN_OUTCOMES = ['open', 'resolved', 'upheld', 'not-upheld'] as const;
export type ConcernOutcome = (typeof CONCERN_OUTCOMES)[number];

/**
 * Who a phase is for. Each list narrows (all lists must match); within a list any entry matches; an
 * empty list matches everyone. Officer roles such as uniformed officer and PCSO are qualifications.
 */
/** A concerns-log entry (GET /rollout/concerns). Summaries hold no personal data. */
export interface Concern {
  id: string;
  phase: string | null;
  category: ConcernCategory;
  summary: string;
  outcome: ConcernOutcome;
  at: string;
  by: string;
}

/** GET /rollout/issue-list: a station's in-scope officers still without their personal camera. */
export interface IssueListEntry {
  number: string;
  name: string;
  team: string | null;
  /** The first (in order) started personal-issue phase the officer is eligible under. */
  phase: string;
  phaseName: string;
}

export interface IssueList {
  station: string;
  officers: IssueListEntry[];
}

export interface EligibilityRule {
  qualifications: Qualification[];
  teams: string[];
  stations: string[];
}

/** What eligibility looks at of an officer. */
export interface OfficerFacts {
  station: string;
  team: string | null;
  qualifications: readonly string[];
  active: boolean;
}

export function isEligible(o: OfficerFacts, rule: EligibilityRule): boolean {
  if (!o.active) return false;
  const any = <T>(list: readonly T[], test: (x: T) => boolean) => list.length === 0 || list.some(test);
  return (
    any(rule.qualifications, (q) => o.qualifications.includes(q)) &&
    any(rule.teams, (t) => t === o.team) &&
    any(rule.stations, (s) => s === o.station)
  );
}

export interface PhaseMetrics {
  phase: string;
  /** The measured period: activation (or planned start) to completion or `at`. ISO. */
  from: string;
  to: string;
  officersInScope: number;
  /** Phase-eligible officers who hold or held a camera since activation. */
  officersEquipped: number;
  /** Share (0..1) of in-scope on-shift officer-hours with a working camera; null without samples. */
  readinessShare: number | null;
  /** Share (0..1) of desk issue attempts that found a camera; null without attempts. */
  deskAvailability: number | null;
  /** Times a desk had no camera to issue. */
  deskNoCamera: number;
  clipsOffloaded: number;
  hoursRecorded: number;
  /** Share (0..1) of offloaded clips marked evidential; null without clips. */
  evidentialShare: number | null;
  clipsRedacted: number;
  faultsPer100Cameras: number | null;
  lossesPer100Cameras: number | null;
  /** £ spent on the phase (recorded spend). */
  spent: number;
  costPerEquippedOfficer: number | null;
}

export interface GateReview {
  at: string;
  by: string;
  decision: GateDecision;
  rationale: string;
  /** The metrics as they were at the review, frozen. */
  metrics: PhaseMetrics;
}

export interface Phase {
  id: string;
  order: number;
  name: string;
  description: string;
  rule: EligibilityRule;
  targetHeadcount: number;
  plannedStart: string;
  plannedEnd: string;
  issueMode: IssueMode;
  sparePercent: number;
  status: PhaseStatus;
  /** The estimate frozen at approval (£), null before. */
  committed: number | null;
  approval: { by: string; at: string; override: { by: string; reason: string } | null } | null;
  activatedAt: string | null;
  completedAt: string | null;
  gateReviews: GateReview[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface CostLine {
  kind: CostKind;
  label: string;
  /** £ per unit: per camera, per dock bay, per officer-year, per TB-year, per staff hour. */
  unitCost: number;
}

export interface Tranche {
  id: string;
  name: string;
  amount: number;
  /** Cumulative recorded savings (£) that release it. */
  trigger: number;
  released: boolean;
  releasedAt: string | null;
}

export interface Budget {
  businessCase: { total: number; years: number; currency: 'GBP'; note: string };
  costLines: CostLine[];
  tranches: Tranche[];
  savings: {
    total: number;
    entries: Array<{ id: string; amount: number; note: string; at: string; by: string }>;
  };
  released: number;
  committed: number;
  spent: number;
  /** released − committed. */
  headroom: number;
  /**
   * Added by helper M (optional): the recorded spend entries, dated, for the report's monthly spend
   * curve. Without it the curve puts each phase's spend in the month it was activated.
   */
  spendEntries?: Array<{ phase: string; amount: number; at: string }>;
  forecastToCompletion: number;
  phases: Array<{
    phase: string;
    name: string;
    status: PhaseStatus;
    estimate: number;
    committed: number | null;
    spent: number;
  }>;
}

export interface AvailabilityWeek {
  station: string;
  /** ISO week, e.g. 2026-W48. */
  week: string;
  /** Times a desk had no camera to issue. */
  deskNoCamera: number;
  deskIssues: number;
  /** On-shift in-scope officers seen without a working camera (distinct officers that week). */
  onShiftWithoutCamera: number;
}

export interface PlanStation {
  station: string;
  eligibleOfficers: number;
  peakConcurrentOnShift: number;
  camerasNeeded: number;
  dockBaysNeeded: number;
  currentStock: number;
  shortfall: number;
}

export interface Plan {
  phase: string;
  issueMode: IssueMode;
  sparePercent: number;
  /** True when issueMode/sparePercent differ from the phase's own (a what-if, not saved). */
  whatIf: boolean;
  stations: PlanStation[];
  totals: Omit<PlanStation, 'station'>;
  estimate: number;
  availability: AvailabilityWeek[];
}

export interface ReportInput {
  generatedAt: string;
  title: string;
  period: { from: string; to: string };
  programme: {
    businessCase: number;
    released: number;
    committed: number;
    spent: number;
    forecastToCompletion: number;
  };
  phases: Array<{
    name: string;
    order: number;
    status: PhaseStatus;
    plannedStart: string;
    plannedEnd: string;
    targetHeadcount: number;
    issueMode: IssueMode;
    gate: { decision: GateDecision; at: string; rationale: string } | null;
    metrics: PhaseMetrics;
  }>;
  /** Per month (YYYY-MM), cumulative. */
  curve: Array<{ month: string; plannedEquipped: number; actualEquipped: number }>;
  readiness: Array<{ month: string; share: number | null }>;
  spend: Array<{ month: string; spent: number; released: number; committed: number }>;
  faults: Array<{ month: string; faultsPer100: number | null }>;
  concerns: Array<{ category: ConcernCategory; outcome: ConcernOutcome; count: number }>;
}

// ---- ports between the rollout's parts (wired in src/composition/rollout.ts) ----

/** Officers in scope: eligible under a phase that is active, in review or complete. */
export interface RolloutScope {
  /** False when no phase has started: then every officer counts, as before phases existed. */
  active(): Promise<boolean>;
  inScope(officer: OfficerFacts & { number: string }): Promise<boolean>;
}

export interface PhaseDirectory {
  list(): Promise<Phase[]>;
  get(id: string): Promise<Phase | null>;
}

export interface BudgetReader {
  summary(): Promise<Budget>;
}

export interface PhaseMetricsSource {
  forPhase(phase: Phase, at: Date): Promise<PhaseMetrics>;
}

export interface AvailabilityEvidence {
  weekly(q: { stations: string[] | null; from: Date; to: Date }): Promise<AvailabilityWeek[]>;
}

export interface ReportSource {
  gather(at: Date): Promise<ReportInput>;
}
