// The rollout API's answers as the programme screen uses them: copied from the server's contract
// (src/rollout/rollout.types.ts, issue 17) because that file imports the people capability, which
// the dashboard's type-check cannot read. Keep the two in step; the e2e test catches a drift.
import type { Qualification } from '../../../../src/people/qualifications.js';

export const PHASE_STATUSES = ['planned', 'approved', 'active', 'in-review', 'complete'] as const;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];
export const ISSUE_MODES = ['personal', 'pool'] as const;
export type IssueMode = (typeof ISSUE_MODES)[number];
export const GATE_DECISIONS = ['proceed', 'extend', 'hold'] as const;
export type GateDecision = (typeof GATE_DECISIONS)[number];
export type CostKind = 'camera' | 'dock-bay' | 'licence' | 'storage-tb' | 'staff-hour';
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

export interface EligibilityRule {
  qualifications: Qualification[];
  teams: string[];
  stations: string[];
}

export interface PhaseMetrics {
  phase: string;
  from: string;
  to: string;
  officersInScope: number;
  officersEquipped: number;
  readinessShare: number | null;
  deskAvailability: number | null;
  deskNoCamera: number;
  clipsOffloaded: number;
  hoursRecorded: number;
  evidentialShare: number | null;
  clipsRedacted: number;
  faultsPer100Cameras: number | null;
  lossesPer100Cameras: number | null;
  spent: number;
  costPerEquippedOfficer: number | null;
}

export interface GateReview {
  at: string;
  by: string;
  decision: GateDecision;
  rationale: string;
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
  committed: number | null;
  approval: { by: string; at: string; override: { by: string; reason: string } | null } | null;
  activatedAt: string | null;
  completedAt: string | null;
  gateReviews: GateReview[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** What POST /rollout/phases and PATCH /rollout/phases/:id take (the phase's own fields). */
export type PhaseInput = Pick<
  Phase,
  | 'name'
  | 'description'
  | 'rule'
  | 'targetHeadcount'
  | 'plannedStart'
  | 'plannedEnd'
  | 'issueMode'
  | 'sparePercent'
>;

export interface CostLine {
  kind: CostKind;
  label: string;
  unitCost: number;
}

export interface Tranche {
  id: string;
  name: string;
  amount: number;
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
  headroom: number;
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
  week: string;
  deskNoCamera: number;
  deskIssues: number;
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
  whatIf: boolean;
  stations: PlanStation[];
  totals: Omit<PlanStation, 'station'>;
  estimate: number;
  availability: AvailabilityWeek[];
}

/** A concerns-log entry (GET /rollout/concerns). Summaries hold no personal data. */
export interface Concern {
  id: string;
  phase: string | null;
  category: ConcernCategory;
  summary: string;
  outcome: ConcernOutcome;
  at: string;
  by?: string;
}

/** A progress report (GET /rollout/reports): a draft, or a published, write-once version. */
export interface ReportSummary {
  id: string;
  status: 'draft' | 'published';
  generatedAt: string;
  /** `YYYY-MM` for the monthly draft. */
  key?: string | null;
  publishedAt?: string | null;
  publishedBy?: string | null;
  /** SHA-256 (hex) of the published HTML and PDF. */
  sha256?: { html: string; pdf: string } | null;
}

/** A list as the API answers it: a bare array, or the paged envelope of src/shared/responses.ts. */
export type ListOf<T> = T[] | { items: T[] };
export const itemsOf = <T>(l: ListOf<T> | null | undefined): T[] =>
  !l ? [] : Array.isArray(l) ? l : l.items;
