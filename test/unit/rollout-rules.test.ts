// The rollout's pure rules: the planner's maths, the budget's arithmetic and tranche release, and
// which status allows which phase change.
import { describe, expect, it } from '@jest/globals';
import {
  dueTranches,
  estimate,
  phaseYears,
  programmeTotals,
  STAFF_HOURS_PER_OFFICER,
  STORAGE_TB_PER_OFFICER_YEAR,
  unitCost,
} from '../../src/rollout/budget.rules.js';
import { afterGate, allows, isStarted } from '../../src/rollout/phases.rules.js';
import { PhaseBody } from '../../src/rollout/phases.schemas.js';
import {
  camerasNeeded,
  peakConcurrent,
  planStation,
  planTotals,
  withSpare,
} from '../../src/rollout/planner.maths.js';
import type { CostLine } from '../../src/rollout/rollout.types.js';

const at = (h: number) => new Date(Date.UTC(2026, 0, 5, h));
const shift = (from: number, to: number, officers: string[]) => ({ start: at(from), end: at(to), officers });

describe('planner maths', () => {
  it('finds the most eligible officers on shift at the same moment', () => {
    const eligible = new Set(['a', 'b', 'c', 'd']);
    const shifts = [shift(7, 15, ['a', 'b', 'x']), shift(14, 22, ['c', 'd', 'y']), shift(22, 30, ['a'])];
    // 14:00–15:00: a, b, c, d (x and y are not eligible).
    expect(peakConcurrent(shifts, eligible)).toBe(4);
  });

  it('does not count shifts that only touch as overlapping', () => {
    const eligible = new Set(['a', 'b', 'c']);
    expect(peakConcurrent([shift(7, 15, ['a', 'b']), shift(15, 23, ['c'])], eligible)).toBe(2);
  });

  it('counts an officer on two overlapping shifts once', () => {
    expect(peakConcurrent([shift(7, 15, ['a']), shift(8, 12, ['a'])], new Set(['a']))).toBe(1);
  });

  it('is 0 without shifts or without eligible officers on them', () => {
    expect(peakConcurrent([], new Set(['a']))).toBe(0);
    expect(peakConcurrent([shift(7, 15, ['z'])], new Set(['a']))).toBe(0);
  });

  it('adds the spare share and rounds up, without floating-point surprises', () => {
    expect(withSpare(10, 10)).toBe(11);
    expect(withSpare(100, 15)).toBe(115);
    expect(withSpare(7, 10)).toBe(8); // 7.7 → 8
    expect(withSpare(0, 50)).toBe(0);
  });

  it('sizes personal issue by headcount and pool issue by the peak on shift', () => {
    expect(camerasNeeded('personal', 10, { eligible: 40, peak: 12 })).toBe(44);
    expect(camerasNeeded('pool', 10, { eligible: 40, peak: 12 })).toBe(14); // 13.2 → 14
  });

  it('gives one dock bay per camera and the shortfall against stock, never below 0', () => {
    expect(planStation('A', 'pool', 0, { eligible: 9, peak: 5, stock: 3 })).toEqual({
      station: 'A',
      eligibleOfficers: 9,
      peakConcurrentOnShift: 5,
      camerasNeeded: 5,
      dockBaysNeeded: 5,
      currentStock: 3,
      shortfall: 2,
    });
    expect(planStation('B', 'personal', 0, { eligible: 2, peak: 1, stock: 10 }).shortfall).toBe(0);
  });

  it('totals the stations', () => {
    const rows = [
      planStation('A', 'pool', 0, { eligible: 9, peak: 5, stock: 3 }),
      planStation('B', 'pool', 0, { eligible: 4, peak: 2, stock: 6 }),
    ];
    expect(planTotals(rows)).toEqual({
      eligibleOfficers: 13,
      peakConcurrentOnShift: 7,
      camerasNeeded: 7,
      dockBaysNeeded: 7,
      currentStock: 9,
      shortfall: 2,
    });
  });
});

describe('budget rules', () => {
  const lines: CostLine[] = [
    { kind: 'camera', label: 'Camera', unitCost: 450 },
    { kind: 'camera', label: 'Mount', unitCost: 39 },
    { kind: 'dock-bay', label: 'Dock bay', unitCost: 120 },
    { kind: 'licence', label: 'Licence', unitCost: 200 },
    { kind: 'storage-tb', label: 'Storage', unitCost: 100 },
    { kind: 'staff-hour', label: 'Staff', unitCost: 30 },
  ];

  it('sums the lines of a kind', () => {
    expect(unitCost(lines, 'camera')).toBe(489);
    expect(unitCost([], 'camera')).toBe(0);
  });

  it('estimates a phase from the planner figures and the cost lines', () => {
    const e = estimate(lines, { cameras: 11, dockBays: 11, headcount: 10, years: 2 });
    expect(e.camera).toBe(11 * 489);
    expect(e['dock-bay']).toBe(11 * 120);
    expect(e.licence).toBe(10 * 200 * 2);
    expect(e['storage-tb']).toBeCloseTo(10 * STORAGE_TB_PER_OFFICER_YEAR * 100 * 2);
    expect(e['staff-hour']).toBe(10 * STAFF_HOURS_PER_OFFICER * 30);
    expect(e.total).toBe(Math.round(5379 + 1320 + 4000 + 300 + 900));
  });

  it('measures a phase in years from its planned dates', () => {
    expect(phaseYears('2026-01-01', '2027-01-01')).toBeCloseTo(1, 2);
    expect(phaseYears('2026-01-01', '2026-01-01')).toBeGreaterThan(0);
  });

  it('releases the tranches whose trigger cumulative savings reach, once', () => {
    const tranches = [
      { id: 't1', trigger: 0 },
      { id: 't2', trigger: 250_000 },
      { id: 't3', trigger: 1_040_000 },
    ];
    expect(dueTranches(tranches, new Set(), 0).map((t) => t.id)).toEqual(['t1']);
    expect(dueTranches(tranches, new Set(['t1']), 249_999)).toEqual([]);
    expect(dueTranches(tranches, new Set(['t1']), 250_000).map((t) => t.id)).toEqual(['t2']);
    expect(dueTranches(tranches, new Set(['t1', 't2']), 2e6).map((t) => t.id)).toEqual(['t3']);
  });

  it('commits approved phases at their frozen figure and forecasts the rest', () => {
    const t = programmeTotals([
      { status: 'complete', committed: 100, estimate: 120, spent: 130 },
      { status: 'active', committed: 200, estimate: 250, spent: 50 },
      { status: 'planned', committed: null, estimate: 300, spent: 0 },
    ]);
    expect(t.committed).toBe(300);
    expect(t.spent).toBe(180);
    // spent 180 + remaining (0 + 150) + planned 300
    expect(t.forecastToCompletion).toBe(630);
  });
});

describe('phase transitions', () => {
  it('allows each action from one status only', () => {
    expect(allows('planned', 'approve')).toBe(true);
    expect(allows('planned', 'edit')).toBe(true);
    expect(allows('approved', 'edit')).toBe(false);
    expect(allows('approved', 'activate')).toBe(true);
    expect(allows('planned', 'activate')).toBe(false);
    expect(allows('active', 'review')).toBe(true);
    expect(allows('in-review', 'gate')).toBe(true);
    expect(allows('complete', 'gate')).toBe(false);
    expect(allows('active', 'approve')).toBe(false);
  });

  it('moves on after a gate decision', () => {
    expect(afterGate('proceed')).toBe('complete');
    expect(afterGate('extend')).toBe('active');
    expect(afterGate('hold')).toBe('in-review');
  });

  it('puts officers in scope from started phases only', () => {
    expect(
      ['planned', 'approved', 'active', 'in-review', 'complete'].filter((s) => isStarted(s as never)),
    ).toEqual(['active', 'in-review', 'complete']);
  });
});

describe('phase dates', () => {
  const phase = {
    name: 'Wave',
    rule: {},
    targetHeadcount: 10,
    plannedStart: '2026-04-01',
    plannedEnd: '2026-09-30',
    issueMode: 'personal',
  };
  it('takes days of this century, in order', () => {
    expect(PhaseBody.safeParse(phase).success).toBe(true);
    expect(PhaseBody.safeParse({ ...phase, plannedEnd: '2026-03-01' }).success).toBe(false);
  });
  it('refuses a day outside 2000–2099, naming the field (a report would span centuries)', () => {
    const r = PhaseBody.safeParse({ ...phase, plannedStart: '0080-02-29' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['plannedStart']);
    expect(PhaseBody.safeParse({ ...phase, plannedEnd: '2100-01-01' }).success).toBe(false);
  });
});
