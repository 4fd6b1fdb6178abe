// Who may do what on the programme screen, as the screen shows it (the API decides; this only
// chooses which actions to offer and explains a refusal before it happens), and the small sums the
// screen draws with: money, shares, the timeline's scale. Issue 17's roles: the programme lead
// proposes and runs phases, the board approves and decides gates, admin may do everything, the
// auditor reads.
import type { Qualification } from '../../../../src/shared/qualifications.js';
import type { Role } from '../types.js';
import type { Phase, PhaseStatus } from './types.js';

export const PROGRAMME_ROLES: readonly Role[] = ['programme-lead', 'board', 'admin', 'auditor'];

const LEAD: readonly Role[] = ['programme-lead', 'admin'];
const BOARD: readonly Role[] = ['board', 'admin'];

export const canPropose = (role: Role) => LEAD.includes(role);
export const canRecordSavings = (role: Role) => role === 'programme-lead' || BOARD.includes(role);
export const canRecordSpend = (role: Role) => LEAD.includes(role);
export const canSetCase = (role: Role) => BOARD.includes(role);
export const canSetCostLines = (role: Role) => role === 'programme-lead' || BOARD.includes(role);
export const canAddTranches = (role: Role) => BOARD.includes(role);
export const canLogConcerns = (role: Role) => LEAD.includes(role);
export const canGenerateReports = (role: Role) => LEAD.includes(role);
export const canPublishReports = (role: Role) => LEAD.includes(role);
/** Override an unfunded approval with a reason: the board's call (admin may do everything). */
export const canOverrideFunding = (role: Role) => BOARD.includes(role);
export const isReadOnly = (role: Role) => !LEAD.includes(role) && !BOARD.includes(role);

export interface PhaseActions {
  edit: boolean;
  approve: boolean;
  /** The viewer proposed it, so the approval must come from someone else (two-person rule). */
  ownProposal: boolean;
  activate: boolean;
  review: boolean;
  gate: boolean;
}

export function phaseActions(p: Pick<Phase, 'status' | 'createdBy'>, me: { username: string; role: Role }) {
  const lead = LEAD.includes(me.role);
  const board = BOARD.includes(me.role);
  const own = p.createdBy === me.username;
  return {
    edit: lead && p.status === 'planned',
    approve: board && p.status === 'planned' && !own,
    ownProposal: board && p.status === 'planned' && own,
    activate: lead && p.status === 'approved',
    review: lead && p.status === 'active',
    gate: board && p.status === 'in-review',
  } satisfies PhaseActions;
}

export const STATUS_WORD: Record<PhaseStatus, string> = {
  planned: 'planned',
  approved: 'approved',
  active: 'active',
  'in-review': 'in review',
  complete: 'complete',
};

/** What to say for the refusals the rollout API gives, keyed by problem slug. */
export const ROLLOUT_ADVICE: Record<string, string> = {
  'rollout-unfunded':
    'Released funds do not cover this phase. Record the savings that release the next tranche, or a board member may approve it anyway with a reason (audited).',
  'rollout-same-person':
    'The person who proposed a phase cannot approve it (the two-person rule). Ask another board member.',
  'rollout-phase-transition-invalid':
    'Someone may have changed this phase a moment ago: the page now shows it as it is.',
  forbidden: 'Your role may read the programme but not do this.',
};

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
/** £1,400,000 */
export const money = (n: number | null | undefined) => (n == null ? '—' : gbp.format(n));
/** £1.4m, £620k: for chart labels. */
export const shortMoney = (n: number) =>
  Math.abs(n) >= 1e6
    ? `£${(n / 1e6).toFixed(2).replace(/\.?0+$/, '')}m`
    : Math.abs(n) >= 1e3
      ? `£${Math.round(n / 1e3)}k`
      : `£${Math.round(n)}`;
/** 0.934 → "93%"; null → "—" (nothing measured yet). */
export const share = (x: number | null | undefined) => (x == null ? '—' : `${Math.round(x * 100)}%`);
export const num = (x: number | null | undefined, digits = 0) =>
  x == null ? '—' : x.toLocaleString('en-GB', { maximumFractionDigits: digits });
export const day = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }) : '—';

export const dayTime = (iso: string | null | undefined) =>
  iso
    ? new Date(iso).toLocaleString('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      })
    : '—';

/**
 * The timeline's scale: from the first planned start to the last planned end, each phase's bar as
 * a left offset and width in % of it, and where "today" falls (null outside the span).
 */
export function timeline(phases: Array<Pick<Phase, 'id' | 'plannedStart' | 'plannedEnd'>>, now = new Date()) {
  const t = (iso: string) => new Date(iso).getTime();
  if (phases.length === 0)
    return { from: null, to: null, bars: new Map<string, { left: number; width: number }>(), today: null };
  const from = Math.min(...phases.map((p) => t(p.plannedStart)));
  const to = Math.max(...phases.map((p) => t(p.plannedEnd)), from + 1);
  const pct = (ms: number) => ((ms - from) / (to - from)) * 100;
  const bars = new Map(
    phases.map((p) => {
      const left = Math.max(0, pct(t(p.plannedStart)));
      return [p.id, { left, width: Math.max(1, Math.min(100, pct(t(p.plannedEnd))) - left) }] as const;
    }),
  );
  const today = now.getTime() >= from && now.getTime() <= to ? pct(now.getTime()) : null;
  return { from: new Date(from), to: new Date(to), bars, today };
}

/** Years (1 January) that fall inside the span, for the timeline's axis. */
export function yearTicks(from: Date, to: Date) {
  const out: Array<{ year: number; at: number }> = [];
  const span = to.getTime() - from.getTime();
  for (let y = from.getUTCFullYear() + 1; y <= to.getUTCFullYear(); y++) {
    out.push({ year: y, at: ((Date.UTC(y, 0, 1) - from.getTime()) / span) * 100 });
  }
  return out;
}

export const QUAL_WORD: Record<Qualification, string> = {
  AFO: 'Authorised firearms officer',
  TASER: 'Taser',
  DOMESTIC_RESPONSE: 'Domestic incident response',
  CUSTODY: 'Custody',
  UNIFORM: 'Uniformed officer',
  PCSO: 'PCSO',
};
