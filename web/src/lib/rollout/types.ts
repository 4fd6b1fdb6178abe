// The rollout API's answers as the programme screen uses them: the server's own contract and
// response types (src/rollout), so a change there fails the dashboard's type-check rather than a
// screen at run time.
import type { z } from 'zod';
import type { ReportResponse } from '../../../../src/rollout/reports.responses.js';

export {
  CONCERN_CATEGORIES,
  CONCERN_OUTCOMES,
  COST_KINDS,
  GATE_DECISIONS,
  ISSUE_MODES,
  PHASE_STATUSES,
} from '../../../../src/rollout/rollout.types.js';
export type {
  AvailabilityWeek,
  Budget,
  Concern,
  ConcernCategory,
  ConcernOutcome,
  CostKind,
  CostLine,
  EligibilityRule,
  GateDecision,
  GateReview,
  IssueMode,
  Phase,
  PhaseMetrics,
  PhaseStatus,
  Plan,
  PlanStation,
  Tranche,
} from '../../../../src/rollout/rollout.types.js';

import type { Phase } from '../../../../src/rollout/rollout.types.js';

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

/** A progress report (GET /rollout/reports): a draft, or a published, write-once version. */
export type ReportSummary = z.infer<typeof ReportResponse>;

/** A list as the API answers it: a bare array, or the paged envelope of src/shared/responses.ts. */
export type ListOf<T> = T[] | { items: T[] };
export const itemsOf = <T>(l: ListOf<T> | null | undefined): T[] =>
  !l ? [] : Array.isArray(l) ? l : l.items;
