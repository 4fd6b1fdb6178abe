// The rollout programme's API under /rollout: phases and their gates, the budget, the concerns log,
// the planner and the stores' issue list (docs/rollout.md). Who may call what: rollout.roles.ts.
import { SecureRouter } from '../http/route.js';
import { CaseBody, CostLinesBody, SavingsBody, SpendBody, TrancheBody } from './budget.schemas.js';
import type { BudgetService } from './budget.service.js';
import { ConcernBody, ConcernParams, ConcernPatch } from './concerns.schemas.js';
import type { ConcernsService } from './concerns.service.js';
import { ApproveBody, GateBody, PhaseBody, PhaseParams, PhasePatch } from './phases.schemas.js';
import type { PhasesService } from './phases.service.js';
import { IssueListQuery, PlanQuery } from './planner.schemas.js';
import type { PlannerService } from './planner.service.js';
import {
  BOARD,
  ISSUE_LIST_READERS,
  LEAD_OR_BOARD,
  PHASE_READERS,
  PROGRAMME_LEADS,
  ROLLOUT_READERS,
} from './rollout.roles.js';
import type { PhaseMetricsSource } from './rollout.types.js';
import type { RolloutScopeService } from './scope.service.js';

const phaseNotFound = ['rollout-phase-not-found'] as const;
const transition = [
  'rollout-phase-not-found',
  'rollout-phase-transition-invalid',
  'rollout-phase-busy',
] as const;

export function rolloutRoutes(s: {
  metrics: PhaseMetricsSource;
  phases: PhasesService;
  budget: BudgetService;
  concerns: ConcernsService;
  planner: PlannerService;
  scope: RolloutScopeService;
}) {
  const api = new SecureRouter();

  // Phases.
  api.get('/rollout/phases', { allow: PHASE_READERS, doc: { summary: 'The phases, in order' } }, () =>
    s.phases.list(),
  );
  api.get(
    '/rollout/phases/:id',
    { allow: PHASE_READERS, params: PhaseParams, doc: { problems: phaseNotFound } },
    ({ params }) => s.phases.phase(params.id),
  );
  api.get(
    '/rollout/phases/:id/metrics',
    {
      allow: ROLLOUT_READERS,
      params: PhaseParams,
      doc: { summary: "The phase's measures now, from the platform's records", problems: phaseNotFound },
    },
    async ({ params }) => s.metrics.forPhase(await s.phases.phase(params.id), new Date()),
  );
  api.post(
    '/rollout/phases',
    {
      allow: PROGRAMME_LEADS,
      body: PhaseBody,
      status: 201,
      doc: { summary: 'Propose a phase', problems: ['rollout-phase-busy'] },
    },
    ({ body, ctx }) => s.phases.propose(body, ctx),
  );
  api.patch(
    '/rollout/phases/:id',
    {
      allow: PROGRAMME_LEADS,
      params: PhaseParams,
      body: PhasePatch,
      doc: { summary: 'Edit a planned phase', problems: transition },
    },
    ({ params, body, ctx }) => s.phases.edit(params.id, body, ctx),
  );
  api.post(
    '/rollout/phases/:id/approve',
    {
      allow: BOARD,
      params: PhaseParams,
      body: ApproveBody,
      doc: {
        summary: 'Approve a planned phase (override: approve although unfunded, with a reason)',
        problems: [...transition, 'rollout-same-person', 'rollout-unfunded'],
      },
    },
    ({ params, body, ctx }) => s.phases.approve(params.id, body.override, ctx),
  );
  api.post(
    '/rollout/phases/:id/activate',
    {
      allow: PROGRAMME_LEADS,
      params: PhaseParams,
      doc: { summary: 'Start an approved phase', problems: transition },
    },
    ({ params, ctx }) => s.phases.activate(params.id, ctx),
  );
  api.post(
    '/rollout/phases/:id/review',
    {
      allow: PROGRAMME_LEADS,
      params: PhaseParams,
      doc: { summary: 'Put an active phase in gate review', problems: transition },
    },
    ({ params, ctx }) => s.phases.review(params.id, ctx),
  );
  api.post(
    '/rollout/phases/:id/gate',
    {
      allow: BOARD,
      params: PhaseParams,
      body: GateBody,
      doc: { summary: 'Decide the gate review: proceed, extend or hold', problems: transition },
    },
    ({ params, body, ctx }) => s.phases.gate(params.id, body, ctx),
  );

  // Budget.
  api.get('/rollout/budget', { allow: ROLLOUT_READERS, doc: { summary: 'The budget and its totals' } }, () =>
    s.budget.summary(),
  );
  api.put(
    '/rollout/budget/case',
    { allow: BOARD, body: CaseBody, doc: { summary: 'Set the business case' } },
    ({ body, ctx }) => s.budget.setCase(body, ctx),
  );
  api.put(
    '/rollout/budget/cost-lines',
    { allow: LEAD_OR_BOARD, body: CostLinesBody, doc: { summary: 'Replace the cost lines' } },
    ({ body, ctx }) => s.budget.setCostLines(body, ctx),
  );
  api.post(
    '/rollout/budget/tranches',
    { allow: BOARD, body: TrancheBody, status: 201, doc: { summary: 'Add a funding tranche' } },
    ({ body, ctx }) => s.budget.addTranche(body, ctx),
  );
  api.post(
    '/rollout/budget/savings',
    {
      allow: LEAD_OR_BOARD,
      body: SavingsBody,
      status: 201,
      doc: { summary: 'Record savings (may release tranches)' },
    },
    ({ body, ctx }) => s.budget.recordSavings(body, ctx),
  );
  api.post(
    '/rollout/budget/spend',
    {
      allow: PROGRAMME_LEADS,
      body: SpendBody,
      status: 201,
      doc: { summary: 'Record spend on a phase', problems: phaseNotFound },
    },
    ({ body, ctx }) => s.budget.recordSpend(body, ctx),
  );

  // Concerns.
  api.get('/rollout/concerns', { allow: ROLLOUT_READERS, doc: { summary: 'The concerns log' } }, () =>
    s.concerns.list(),
  );
  api.post(
    '/rollout/concerns',
    {
      allow: PROGRAMME_LEADS,
      body: ConcernBody,
      status: 201,
      doc: { summary: 'Log a concern', problems: phaseNotFound },
    },
    ({ body, ctx }) => s.concerns.record(body, ctx),
  );
  api.patch(
    '/rollout/concerns/:id',
    {
      allow: PROGRAMME_LEADS,
      params: ConcernParams,
      body: ConcernPatch,
      doc: { summary: "Change a concern's outcome", problems: ['rollout-concern-not-found'] },
    },
    ({ params, body, ctx }) => s.concerns.setOutcome(params.id, body, ctx),
  );

  // Planner and the stores' issue list.
  api.get(
    '/rollout/plan',
    {
      allow: ROLLOUT_READERS,
      query: PlanQuery,
      doc: { summary: "A phase's allocation plan, or a what-if on it", problems: phaseNotFound },
    },
    ({ query }) =>
      s.planner.plan(query.phase, {
        sparePercent: query.sparePercent,
        issueMode: query.issueMode,
        from: query.from,
        to: query.to,
      }),
  );
  api.get(
    '/rollout/issue-list',
    {
      allow: ISSUE_LIST_READERS,
      query: IssueListQuery,
      doc: { summary: "A station's in-scope officers without their personal camera" },
    },
    ({ query }) => s.scope.issueList(query.station),
  );
  return api.router;
}
