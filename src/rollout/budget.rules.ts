// The budget's arithmetic, pure (docs/rollout.md "Budget"): a phase's estimate from the cost lines
// and the planner's figures, which tranches recorded savings release, and the programme's totals.
import type { CostKind, CostLine, PhaseStatus } from './rollout.types.js';

/** Storage one equipped officer's footage takes in a year (TB): ~1.5 h a week at ~2 GB/h. */
export const STORAGE_TB_PER_OFFICER_YEAR = 0.15;
/** Staff time per equipped officer: issue, training and the first check-in (hours). */
export const STAFF_HOURS_PER_OFFICER = 3;
const YEAR_MS = 365.25 * 24 * 3_600_000;

/** £ per unit of a kind: the sum of its lines (a camera and its mount are two camera lines); 0 without. */
export const unitCost = (lines: readonly CostLine[], kind: CostKind) =>
  lines.filter((l) => l.kind === kind).reduce((a, l) => a + l.unitCost, 0);

/** The phase's planned length in years (at least a day's worth). */
export function phaseYears(plannedStart: string, plannedEnd: string): number {
  const ms = Date.parse(plannedEnd) - Date.parse(plannedStart);
  return Math.max(ms, 24 * 3_600_000) / YEAR_MS;
}

export interface EstimateInput {
  cameras: number;
  dockBays: number;
  /** Officers the phase equips (its eligible officers). */
  headcount: number;
  years: number;
}

export interface EstimateBreakdown {
  camera: number;
  'dock-bay': number;
  licence: number;
  'storage-tb': number;
  'staff-hour': number;
  total: number;
}

/** £, rounded to the pound. */
export function estimate(lines: readonly CostLine[], e: EstimateInput): EstimateBreakdown {
  const parts = {
    camera: e.cameras * unitCost(lines, 'camera'),
    'dock-bay': e.dockBays * unitCost(lines, 'dock-bay'),
    licence: e.headcount * unitCost(lines, 'licence') * e.years,
    'storage-tb': e.headcount * STORAGE_TB_PER_OFFICER_YEAR * unitCost(lines, 'storage-tb') * e.years,
    'staff-hour': e.headcount * STAFF_HOURS_PER_OFFICER * unitCost(lines, 'staff-hour'),
  };
  const total = Math.round(Object.values(parts).reduce((a, b) => a + b, 0));
  return { ...parts, total };
}

/** Tranches not yet released whose trigger the cumulative savings reach. */
export const dueTranches = <T extends { id: string; trigger: number }>(
  tranches: readonly T[],
  released: ReadonlySet<string>,
  savings: number,
): T[] => tranches.filter((t) => !released.has(t.id) && savings >= t.trigger);

/** A phase's commitment counts once it is approved (and for ever after). */
export const isCommitted = (s: PhaseStatus) => s !== 'planned';

export interface ProgrammeTotals {
  committed: number;
  spent: number;
  forecastToCompletion: number;
}

/**
 * Committed: the estimates frozen at approval. Forecast: spent + what is committed but not yet
 * spent (per phase, never below 0) + the estimates of phases not yet approved.
 */
export function programmeTotals(
  phases: ReadonlyArray<{ status: PhaseStatus; committed: number | null; estimate: number; spent: number }>,
  unassignedSpend = 0,
): ProgrammeTotals {
  let committed = 0;
  let spent = unassignedSpend;
  let remaining = 0;
  let planned = 0;
  for (const p of phases) {
    spent += p.spent;
    if (isCommitted(p.status)) {
      committed += p.committed ?? 0;
      remaining += Math.max(0, (p.committed ?? 0) - p.spent);
    } else planned += p.estimate;
  }
  return { committed, spent, forecastToCompletion: spent + remaining + planned };
}
