// The report's small-count suppression: 1..4 shown as "<5", and secondary suppression so that no row,
// column or grand total gives a hidden count away by subtraction.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  isSafe,
  PRIMARY,
  SECONDARY,
  showCount,
  suppressTable,
  type SuppressedTable,
} from '../../src/rollout/reports.suppress.js';

const marks = (t: SuppressedTable) => t.cells.map((r) => r.map((c) => c.mark));

/**
 * An independent check of the simplest attack: a line (a row or column with its total, or the
 * totals against the grand total) with its total shown and exactly one hidden member reveals it.
 */
function singleHiddenLines(t: SuppressedTable): string[] {
  const bad: string[] = [];
  const lines: Array<{
    name: string;
    members: SuppressedTable['rowTotals'];
    total: SuppressedTable['grandTotal'];
  }> = [
    ...t.cells.map((r, i) => ({ name: `row ${i}`, members: r, total: t.rowTotals[i]! })),
    ...t.colTotals.map((total, j) => ({ name: `column ${j}`, members: t.cells.map((r) => r[j]!), total })),
    { name: 'row totals', members: t.rowTotals, total: t.grandTotal },
    { name: 'column totals', members: t.colTotals, total: t.grandTotal },
  ];
  for (const l of lines) {
    const hiddenMembers = l.members.filter((c) => c.mark !== 'shown').length;
    if (l.total.mark === 'shown' && hiddenMembers === 1) bad.push(l.name);
    // Everything in the line shown but the total: the total is their sum.
    if (l.total.mark !== 'shown' && hiddenMembers === 0) bad.push(`${l.name} total`);
  }
  return bad;
}

describe('single counts', () => {
  it('shows 1 to 4 as "<5" and zero and 5 upwards as they are', () => {
    expect([0, 1, 2, 3, 4, 5, 1300].map(showCount)).toEqual(['0', '<5', '<5', '<5', '<5', '5', '1,300']);
  });
});

describe('primary suppression', () => {
  it('leaves a table without small counts as it is', () => {
    const t = suppressTable([
      [0, 12, 7],
      [9, 0, 15],
    ]);
    expect(
      marks(t)
        .flat()
        .every((m) => m === 'shown'),
    ).toBe(true);
    expect(t.grandTotal.text).toBe('43');
  });

  it('hides a small total even when its cells are zero and large', () => {
    const t = suppressTable([
      [0, 3],
      [0, 40],
    ]);
    expect(t.colTotals[0]!.text).toBe('0');
    expect(t.cells[0]![1]!.text).toBe(PRIMARY);
    expect(t.rowTotals[0]!.text).toBe(PRIMARY);
    expect(singleHiddenLines(t)).toEqual([]);
  });
});

describe('secondary suppression', () => {
  it('hides complementary cells so that no total reveals the small one (worked example)', () => {
    // Row 0 would give 13 − 10 = 3; hiding 10 lets column 0 give 15 − 12 = 3; hiding 12 lets
    // column 1 give 30 − 20 = 10: all four interior cells go, the totals stay.
    const t = suppressTable([
      [3, 10],
      [12, 20],
    ]);
    expect(marks(t)).toEqual([
      ['primary', 'secondary'],
      ['secondary', 'secondary'],
    ]);
    expect(t.cells[0]!.map((c) => c.text)).toEqual([PRIMARY, SECONDARY]);
    expect([...t.rowTotals, ...t.colTotals, t.grandTotal].map((c) => c.text)).toEqual([
      '13',
      '32',
      '15',
      '30',
      '45',
    ]);
    expect(
      isSafe(
        [
          [3, 10],
          [12, 20],
        ],
        t,
      ),
    ).toBe(true);
  });

  it('does not let two "<5" cells summing to 2 give themselves away', () => {
    // Row 0: 1 + 1 + 30 = 32. Two "<5" and 30 shown would leave 2 for two cells of at least 1 each.
    const counts = [
      [1, 1, 30],
      [8, 9, 40],
      [7, 6, 20],
    ];
    const t = suppressTable(counts);
    expect(t.cells[0]![0]!.text).toBe(PRIMARY);
    expect(t.cells[0]![1]!.text).toBe(PRIMARY);
    expect(t.cells[0]![2]!.mark).not.toBe('shown');
    expect(isSafe(counts, t)).toBe(true);
    expect(singleHiddenLines(t)).toEqual([]);
  });

  it('a naive primary-only table would leak (the check itself fails on one)', () => {
    const counts = [
      [3, 10],
      [12, 20],
    ];
    const naive = suppressTable([
      [10, 10],
      [12, 20],
    ]);
    // The same layout with only the primary cell hidden: marked by hand.
    naive.cells[0]![0] = { value: 3, mark: 'primary', text: PRIMARY };
    expect(isSafe(counts, naive)).toBe(false);
    expect(singleHiddenLines(naive)).toEqual(['row 0', 'column 0']);
  });

  it('is safe for any table of counts (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((rows) =>
          fc.integer({ min: 1, max: 4 }).chain((cols) =>
            fc.array(
              fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 60 })), {
                minLength: cols,
                maxLength: cols,
              }),
              { minLength: rows, maxLength: rows },
            ),
          ),
        ),
        (counts) => {
          const t = suppressTable(counts);
          const all = [...t.cells.flat(), ...t.rowTotals, ...t.colTotals, t.grandTotal];
          // No count 1..4 is ever shown, and everything shown is its true value.
          for (const c of all) {
            if (c.value >= 1 && c.value <= 4) expect(c.text).toBe(PRIMARY);
            if (c.mark === 'shown') expect(c.text).toBe(c.value.toLocaleString('en-GB'));
          }
          expect(singleHiddenLines(t)).toEqual([]);
          expect(isSafe(counts, t)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
