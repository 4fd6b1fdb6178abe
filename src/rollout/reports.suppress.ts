// Small-count suppression for the published report (statistical disclosure control). A count from 1
// to 4 is shown as "<5" (primary suppression); zero is shown, since "nobody" identifies no one. A
// table shows its row, column and grand totals, so one hidden cell in a line whose total and other
// cells are shown could be worked out by subtraction: secondary suppression hides further cells
// ("[c]") until no hidden value can be derived from what is shown. The check is exact for sums (a
// hidden value is derivable when its unit vector lies in the span of the table's additive
// constraints over the hidden values) plus the bound a reader knows of a "<5" (1..4): a line whose
// hidden "<5" cells add up to their least or greatest possible sum (two cells summing to 2) gives
// them away too, and is treated the same way.

export const PRIMARY = '<5';
export const SECONDARY = '[c]';

export type CellMark = 'shown' | 'primary' | 'secondary';

export interface SuppressedCell {
  value: number;
  mark: CellMark;
  /** What the reader sees: the count, "<5" or "[c]". */
  text: string;
}

export interface SuppressedTable {
  cells: SuppressedCell[][];
  rowTotals: SuppressedCell[];
  colTotals: SuppressedCell[];
  grandTotal: SuppressedCell;
}

/** A single count as the report shows it: 1..4 → "<5". */
export const isSmall = (n: number) => n >= 1 && n <= 4;
export const showCount = (n: number): string => (isSmall(n) ? PRIMARY : n.toLocaleString('en-GB'));

// ---- the table as variables and constraints -------------------------------------------------
// Variables: the r×c cells, then the r row totals, the c column totals and the grand total.
// Constraints (each a set of variables with coefficients summing to 0): every row (cells − total),
// every column, the row totals against the grand total and the column totals against it.

interface Model {
  values: number[];
  constraints: Array<Map<number, number>>;
  /** Variables that lie in each constraint (for choosing a complementary cell). */
  rows: number;
  cols: number;
}

function model(counts: readonly (readonly number[])[]): Model {
  const rows = counts.length;
  const cols = counts[0]?.length ?? 0;
  const cell = (i: number, j: number) => i * cols + j;
  const rowT = (i: number) => rows * cols + i;
  const colT = (j: number) => rows * cols + rows + j;
  const grand = rows * cols + rows + cols;
  const values: number[] = [];
  for (const r of counts) {
    if (r.length !== cols) throw new Error('suppression: every row needs the same number of columns');
    for (const v of r) {
      if (!Number.isInteger(v) || v < 0) throw new Error('suppression: counts are non-negative integers');
      values.push(v);
    }
  }
  const rowSums = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const colSums = Array.from({ length: cols }, (_, j) => counts.reduce((a, r) => a + r[j]!, 0));
  values.push(
    ...rowSums,
    ...colSums,
    rowSums.reduce((a, b) => a + b, 0),
  );
  const constraints: Array<Map<number, number>> = [];
  for (let i = 0; i < rows; i++) {
    const m = new Map<number, number>();
    for (let j = 0; j < cols; j++) m.set(cell(i, j), 1);
    m.set(rowT(i), -1);
    constraints.push(m);
  }
  for (let j = 0; j < cols; j++) {
    const m = new Map<number, number>();
    for (let i = 0; i < rows; i++) m.set(cell(i, j), 1);
    m.set(colT(j), -1);
    constraints.push(m);
  }
  const byRows = new Map<number, number>([[grand, -1]]);
  for (let i = 0; i < rows; i++) byRows.set(rowT(i), 1);
  const byCols = new Map<number, number>([[grand, -1]]);
  for (let j = 0; j < cols; j++) byCols.set(colT(j), 1);
  constraints.push(byRows, byCols);
  return { values, constraints, rows, cols };
}

/** Rank of a small dense matrix (Gaussian elimination; entries are small integers). */
function rank(m: number[][]): number {
  const a = m.map((r) => [...r]);
  let r = 0;
  const width = a[0]?.length ?? 0;
  for (let c = 0; c < width && r < a.length; c++) {
    let p = r;
    while (p < a.length && Math.abs(a[p]![c]!) < 1e-9) p++;
    if (p === a.length) continue;
    [a[r], a[p]] = [a[p]!, a[r]!];
    const pivot = a[r]![c]!;
    for (let i = 0; i < a.length; i++) {
      if (i === r) continue;
      const f = a[i]![c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k < width; k++) a[i]![k]! -= f * a[r]![k]!;
    }
    r++;
  }
  return r;
}

/** Hidden variables whose value a reader can derive (by sums, or by the 1..4 bounds of "<5"). */
export function derivable(
  counts: readonly (readonly number[])[],
  hidden: ReadonlySet<number>,
  primary: ReadonlySet<number>,
): number[] {
  const { values, constraints } = model(counts);
  const order = [...hidden].sort((a, b) => a - b);
  // Each constraint restricted to the hidden variables (the shown ones are known constants).
  const matrix = constraints
    .map((c) => order.map((v) => c.get(v) ?? 0))
    .filter((row) => row.some((x) => x !== 0));
  const base = rank(matrix);
  const out = new Set<number>();
  for (const v of order) {
    const unit = order.map((w) => (w === v ? 1 : 0));
    if (rank([...matrix, unit]) === base) out.add(v);
  }
  // Bounds: in a constraint whose hidden members are all "<5" cells with coefficient +1 and whose
  // other members are shown, their sum S is known; each lies in 1..4, so S = k or S = 4k fixes them.
  for (const c of constraints) {
    const hiddenIn = [...c.keys()].filter((v) => hidden.has(v));
    if (hiddenIn.length < 2) continue;
    if (!hiddenIn.every((v) => primary.has(v) && c.get(v) === 1)) continue;
    let known = 0;
    for (const [v, coef] of c) if (!hidden.has(v)) known += coef * values[v]!;
    const sum = -known;
    if (sum === hiddenIn.length || sum === 4 * hiddenIn.length) for (const v of hiddenIn) out.add(v);
  }
  return [...out];
}

/**
 * Suppresses a table of counts (rows × columns) with its totals: 1..4 anywhere (cells or totals)
 * is "<5"; then, while any hidden value can be derived, the smallest positive shown cell sharing a
 * line with one is hidden too (interior cells before totals, zeros last).
 */
export function suppressTable(counts: readonly (readonly number[])[]): SuppressedTable {
  const { values, constraints, rows, cols } = model(counts);
  const n = values.length;
  const primary = new Set<number>();
  for (let v = 0; v < n; v++) if (isSmall(values[v]!)) primary.add(v);
  const hidden = new Set(primary);
  const interior = rows * cols;
  for (let guard = 0; guard < n; guard++) {
    const leaks = derivable(counts, hidden, primary);
    if (leaks.length === 0) break;
    // Candidates: what is shown in any line through a leaking value.
    const neighbours = new Set<number>();
    for (const c of constraints)
      if (leaks.some((l) => c.has(l))) for (const v of c.keys()) if (!hidden.has(v)) neighbours.add(v);
    // No shown neighbour: hide anything shown (cannot happen for a non-empty table; a safe fallback).
    const pool = neighbours.size ? [...neighbours] : [...Array(n).keys()].filter((v) => !hidden.has(v));
    if (pool.length === 0) break;
    pool.sort((a, b) => {
      const rank = (v: number) => [values[v] === 0 ? 1 : 0, v >= interior ? 1 : 0, values[v]!, v];
      const ra = rank(a);
      const rb = rank(b);
      for (let k = 0; k < ra.length; k++) if (ra[k] !== rb[k]) return ra[k]! - rb[k]!;
      return 0;
    });
    hidden.add(pool[0]!);
  }
  const at = (v: number): SuppressedCell => {
    const value = values[v]!;
    const mark: CellMark = primary.has(v) ? 'primary' : hidden.has(v) ? 'secondary' : 'shown';
    const text =
      mark === 'primary' ? PRIMARY : mark === 'secondary' ? SECONDARY : value.toLocaleString('en-GB');
    return { value, mark, text };
  };
  return {
    cells: Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => at(i * cols + j))),
    rowTotals: Array.from({ length: rows }, (_, i) => at(interior + i)),
    colTotals: Array.from({ length: cols }, (_, j) => at(interior + rows + j)),
    grandTotal: at(n - 1),
  };
}

/** True when no hidden value of the suppressed table can be derived from what it shows. */
export function isSafe(counts: readonly (readonly number[])[], t: SuppressedTable): boolean {
  const all = [...t.cells.flat(), ...t.rowTotals, ...t.colTotals, t.grandTotal];
  const hidden = new Set<number>();
  const primary = new Set<number>();
  all.forEach((c, v) => {
    if (c.mark !== 'shown') hidden.add(v);
    if (c.mark === 'primary') primary.add(v);
  });
  return derivable(counts, hidden, primary).length === 0;
}
