// The report's four charts as inline SVG, drawn on the server by vega-lite (compile) and vega (a
// headless view, no canvas, no browser): rollout curve planned against actual, readiness %, spend
// against the business case and the released funds, faults per 100 cameras. Each chart has a colour
// of its own (the PDF test finds every chart on the rendered pages by it) and says in words what it
// shows (the figure's text alternative). Counts 1..4 are not drawn (suppression, reports.suppress.ts).
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ReportInput } from './rollout.types.js';
import { isSmall } from './reports.suppress.js';

/** One colour per chart's main series, distinct from each other and from the greys of axes and text. */
export const CHART_COLOURS = {
  'rollout-curve': '#1b5fa8',
  readiness: '#1a7f55',
  spend: '#b54708',
  faults: '#7b3fa2',
} as const;
export type ChartName = keyof typeof CHART_COLOURS;

export interface Chart {
  name: ChartName;
  title: string;
  /** What the chart shows, in a sentence (for screen readers and the figure's caption). */
  summary: string;
  svg: string;
  /** Data points drawn (0: the chart says it has no data yet). */
  points: number;
}

const WIDTH = 330;
const HEIGHT = 170;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `2026-03` → `Mar 26`. */
export const monthLabel = (m: string) => `${MONTHS[Number(m.slice(5, 7)) - 1] ?? m} ${m.slice(2, 4)}`;
/** `2026-03` → `March 2026`, for sentences (where `Mar 26` reads as a day). */
const monthInWords = (m: string) =>
  new Date(`${m}-01T00:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: WIDTH,
  height: HEIGHT,
  background: 'white',
  config: {
    font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif',
    axis: {
      labelColor: '#333',
      titleColor: '#333',
      gridColor: '#e3e3e3',
      labelFontSize: 10,
      titleFontSize: 10,
    },
    legend: { labelColor: '#333', labelFontSize: 10, orient: 'bottom', title: null },
    view: { stroke: null },
  },
} as const;

const monthAxis = (months: string[]) => ({
  field: 'label',
  type: 'ordinal' as const,
  sort: months.map(monthLabel),
  title: null,
  axis: { labelAngle: -40 },
});

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    // A fixed width for the page's grid; the viewBox keeps it scaling.
    return svg.replace(/^<svg /, '<svg role="img" focusable="false" preserveAspectRatio="xMidYMid meet" ');
  } finally {
    view.finalize();
  }
}

const pounds = (n: number) => `£${Math.round(n).toLocaleString('en-GB')}`;

export async function rolloutCurve(input: ReportInput): Promise<Chart> {
  const months = input.curve.map((c) => c.month);
  const values = input.curve.flatMap((c) => [
    { label: monthLabel(c.month), series: 'Planned', value: c.plannedEquipped },
    // Suppressed counts (1..4) are not drawn: the line starts once five or more are equipped.
    ...(isSmall(c.actualEquipped)
      ? []
      : [{ label: monthLabel(c.month), series: 'Actual', value: c.actualEquipped }]),
  ]);
  const last = input.curve.at(-1);
  const svg = await toSvg({
    ...base,
    data: { values },
    mark: { type: 'line', point: { size: 28, filled: true }, strokeWidth: 2.5 },
    encoding: {
      x: monthAxis(months),
      y: {
        field: 'value',
        type: 'quantitative',
        title: 'Officers equipped (cumulative)',
        // Whole officers: no 0.5 ticks on a small programme.
        axis: { format: ',d', tickMinStep: 1 },
      },
      color: {
        field: 'series',
        type: 'nominal',
        scale: { domain: ['Planned', 'Actual'], range: ['#8a8a8a', CHART_COLOURS['rollout-curve']] },
      },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        scale: {
          domain: ['Planned', 'Actual'],
          range: [
            [6, 4],
            [1, 0],
          ],
        },
        legend: null,
      },
    },
  });
  return {
    name: 'rollout-curve',
    title: 'Rollout: officers equipped, planned and actual',
    summary: last
      ? `By ${monthInWords(last.month)}, ${isSmall(last.actualEquipped) ? 'fewer than 5' : last.actualEquipped.toLocaleString('en-GB')} officers were equipped against ${last.plannedEquipped.toLocaleString('en-GB')} planned.`
      : 'No rollout months yet.',
    svg,
    points: values.filter((v) => v.series === 'Actual').length,
  };
}

export async function readinessChart(input: ReportInput): Promise<Chart> {
  const months = input.readiness.map((r) => r.month);
  const values = input.readiness
    .filter((r) => r.share !== null)
    .map((r) => ({ month: r.month, label: monthLabel(r.month), value: Math.round(r.share! * 1000) / 10 }));
  const svg = await toSvg({
    ...base,
    data: { values },
    layer: [
      {
        mark: { type: 'area', color: CHART_COLOURS.readiness, opacity: 0.15 },
        encoding: { x: monthAxis(months), y: { field: 'value', type: 'quantitative' } },
      },
      {
        mark: {
          type: 'line',
          color: CHART_COLOURS.readiness,
          strokeWidth: 2.5,
          point: { filled: true, size: 28 },
        },
        encoding: {
          x: monthAxis(months),
          y: {
            field: 'value',
            type: 'quantitative',
            scale: { domain: [0, 100] },
            title: '% of officer-hours ready',
          },
        },
      },
    ],
  });
  const last = values.at(-1);
  return {
    name: 'readiness',
    title: 'Readiness: officer-hours with a working camera',
    summary: last
      ? `In ${monthInWords(last.month)}, ${last.value}% of in-scope on-shift officer-hours had a working camera.`
      : 'No readiness samples yet.',
    svg,
    points: values.length,
  };
}

export async function spendChart(input: ReportInput): Promise<Chart> {
  const months = input.spend.map((s) => s.month);
  const series = [
    ['Spent', 'spent'],
    ['Released funds', 'released'],
    ['Committed', 'committed'],
  ] as const;
  const values = input.spend.flatMap((s) =>
    series.map(([name, key]) => ({ label: monthLabel(s.month), series: name, value: s[key] })),
  );
  const svg = await toSvg({
    ...base,
    layer: [
      {
        data: { values },
        mark: {
          type: 'line',
          strokeWidth: 2.5,
          interpolate: 'step-after',
          point: { filled: true, size: 20 },
        },
        encoding: {
          x: monthAxis(months),
          y: {
            field: 'value',
            type: 'quantitative',
            title: '£ (cumulative)',
            axis: { labelExpr: "'£' + format(datum.value / 1000, ',.0f') + 'k'" },
          },
          color: {
            field: 'series',
            type: 'nominal',
            scale: {
              domain: ['Spent', 'Released funds', 'Committed', 'Business case'],
              range: [CHART_COLOURS.spend, '#2f6f8f', '#999999', '#222222'],
            },
          },
        },
      },
      {
        data: { values: [{ value: input.programme.businessCase, series: 'Business case' }] },
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: {
          y: { field: 'value', type: 'quantitative' },
          color: { field: 'series', type: 'nominal' },
        },
      },
    ],
  });
  const p = input.programme;
  return {
    name: 'spend',
    title: 'Spend against the business case and released funds',
    summary: `${pounds(p.spent)} spent of ${pounds(p.released)} released funds and a ${pounds(p.businessCase)} business case; ${pounds(p.committed)} committed.`,
    svg,
    points: input.spend.length,
  };
}

export async function faultsChart(input: ReportInput): Promise<Chart> {
  const months = input.faults.map((f) => f.month);
  const values = input.faults
    .filter((f) => f.faultsPer100 !== null)
    .map((f) => ({
      month: f.month,
      label: monthLabel(f.month),
      value: Math.round(f.faultsPer100! * 10) / 10,
    }));
  const svg = await toSvg({
    ...base,
    data: { values },
    mark: { type: 'bar', color: CHART_COLOURS.faults, cornerRadiusEnd: 2 },
    encoding: {
      x: monthAxis(months),
      y: { field: 'value', type: 'quantitative', title: 'Faults per 100 cameras', axis: { format: ',.1~f' } },
    },
  });
  const last = values.at(-1);
  return {
    name: 'faults',
    title: 'Faults per 100 cameras',
    summary: last
      ? `In ${monthInWords(last.month)}, ${last.value} faults were opened per 100 cameras issued.`
      : 'No cameras issued yet.',
    svg,
    points: values.length,
  };
}

/** The four charts, in the order the report shows them. */
export const charts = (input: ReportInput): Promise<Chart[]> =>
  Promise.all([rolloutCurve(input), readinessChart(input), spendChart(input), faultsChart(input)]);
