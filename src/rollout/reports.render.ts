// The published progress report: ReportInput → one self-contained HTML page (inline CSS, inline SVG
// charts, no script, no external resource), laid out for the screen and for A4 print (the PDF is
// this page printed by chromium, reports.pdf.ts). Aggregates only: the input holds no names, numbers
// or serials, and every count from 1 to 4 is shown as "<5" (reports.suppress.ts); the concerns table
// also has secondary suppression, since its totals would otherwise give small cells away.
import { charts, monthLabel, type Chart } from './reports.charts.js';
import { PRIMARY, SECONDARY, showCount, suppressTable } from './reports.suppress.js';
import {
  CONCERN_CATEGORIES,
  CONCERN_OUTCOMES,
  type ConcernCategory,
  type ConcernOutcome,
  type PhaseStatus,
  type ReportInput,
} from './rollout.types.js';

export interface RenderOptions {
  /** A draft says so on every page; a published version carries its publication date. */
  status: 'draft' | 'published';
  publishedAt?: Date;
  /** The report's id, printed in the footer so a reader can cite the version. */
  id?: string;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const day = (iso: string | Date) =>
  new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
const monthYear = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const pounds = (n: number | null) => (n === null ? '–' : `£${Math.round(n).toLocaleString('en-GB')}`);
const percent = (n: number | null) => (n === null ? '–' : `${(n * 100).toFixed(1)}%`);
const decimal = (n: number | null) => (n === null ? '–' : n.toFixed(1));
const hours = (n: number) => Math.round(n).toLocaleString('en-GB');

const STATUS_LABEL: Record<PhaseStatus, string> = {
  planned: 'Planned',
  approved: 'Approved',
  active: 'Active',
  'in-review': 'In gate review',
  complete: 'Complete',
};
const CATEGORY_LABEL: Record<ConcernCategory, string> = {
  activation: 'Camera not switched on',
  misuse: 'Footage misuse',
  privacy: 'Privacy',
  retention: 'Retention',
  complaint: 'Complaint',
  other: 'Other',
};
const OUTCOME_LABEL: Record<ConcernOutcome, string> = {
  open: 'Open',
  resolved: 'Resolved',
  upheld: 'Upheld',
  'not-upheld': 'Not upheld',
};

/** A count cell: "<5" for 1..4, marked so the legend's meaning is one hover away. */
const countCell = (n: number) =>
  showCount(n) === PRIMARY
    ? `<td class="num sup" title="between 1 and 4">${esc(PRIMARY)}</td>`
    : `<td class="num">${showCount(n)}</td>`;

function figure(c: Chart): string {
  const id = `chart-${c.name}`;
  return `<figure class="chart" data-chart="${c.name}" data-points="${c.points}" aria-labelledby="${id}-t" aria-describedby="${id}-d">
<figcaption><span class="fig-title" id="${id}-t">${esc(c.title)}</span><span class="fig-summary" id="${id}-d">${esc(c.summary)}</span></figcaption>
${c.points === 0 ? `<p class="empty">No data for this period yet.</p>` : c.svg.replace(/^<svg /, `<svg aria-labelledby="${id}-t" aria-describedby="${id}-d" `)}
</figure>`;
}

function curveTable(input: ReportInput): string {
  const rows = input.curve
    .map((c, i) => {
      const r = input.readiness[i];
      const f = input.faults[i];
      const s = input.spend[i];
      return `<tr><th scope="row">${esc(monthLabel(c.month))}</th><td class="num">${c.plannedEquipped.toLocaleString('en-GB')}</td>${countCell(c.actualEquipped)}<td class="num">${percent(r?.share ?? null)}</td><td class="num">${pounds(s?.spent ?? null)}</td><td class="num">${pounds(s?.released ?? null)}</td><td class="num">${decimal(f?.faultsPer100 ?? null)}</td></tr>`;
    })
    .join('\n');
  return `<table class="data monthly">
<caption>The charts' figures by month (cumulative where stated)</caption>
<thead><tr><th scope="col">Month</th><th scope="col">Planned equipped</th><th scope="col">Actual equipped</th><th scope="col">Readiness</th><th scope="col">Spent (cum.)</th><th scope="col">Released (cum.)</th><th scope="col">Faults per 100</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function phasesTable(input: ReportInput): string {
  const phases = [...input.phases].sort((a, b) => a.order - b.order);
  const rows = phases
    .map((p) => {
      const m = p.metrics;
      const started = p.status !== 'planned' && p.status !== 'approved';
      const gate = p.gate ? `${esc(p.gate.decision)} (${esc(day(p.gate.at))})` : '–';
      const cells = started
        ? `${countCell(m.officersInScope)}${countCell(m.officersEquipped)}<td class="num">${percent(m.readinessShare)}</td><td class="num">${percent(m.deskAvailability)}</td>${countCell(m.deskNoCamera)}${countCell(m.clipsOffloaded)}<td class="num">${hours(m.hoursRecorded)}</td><td class="num">${percent(m.evidentialShare)}</td>${countCell(m.clipsRedacted)}<td class="num">${decimal(m.faultsPer100Cameras)}</td><td class="num">${decimal(m.lossesPer100Cameras)}</td><td class="num">${pounds(m.spent)}</td><td class="num">${pounds(m.costPerEquippedOfficer)}</td>`
        : `<td class="num na" colspan="13">Not started</td>`;
      return `<tr><th scope="row">${p.order}. ${esc(p.name)}<span class="sub">${esc(STATUS_LABEL[p.status])} · target ${p.targetHeadcount.toLocaleString('en-GB')} · ${esc(p.issueMode)} issue · ${esc(monthYear(p.plannedStart))} – ${esc(monthYear(p.plannedEnd))}</span></th>${cells}<td>${gate}</td></tr>`;
    })
    .join('\n');
  return `<div class="wide" tabindex="0" role="region" aria-label="Measures per phase (scrolls sideways on a narrow screen)"><table class="data phases">
<caption>Measures per phase, from the platform's own records</caption>
<colgroup><col class="phase"><col span="11"><col class="money" span="2"><col class="gate"></colgroup>
<thead><tr><th scope="col">Phase</th><th scope="col">In scope</th><th scope="col">Equip&shy;ped</th><th scope="col">Readi&shy;ness</th><th scope="col">Desk found a camera</th><th scope="col">Desk had none</th><th scope="col">Clips</th><th scope="col">Hours</th><th scope="col">Evi&shy;dential</th><th scope="col">Redact&shy;ed</th><th scope="col">Faults /100</th><th scope="col">Losses /100</th><th scope="col">Spent</th><th scope="col">Per officer</th><th scope="col" class="txt">Gate</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}

function gatesList(input: ReportInput): string {
  const gates = input.phases.filter((p) => p.gate).sort((a, b) => a.order - b.order);
  if (gates.length === 0) return '<p>No gate review has been held yet.</p>';
  return `<ul class="gates">${gates
    .map(
      (p) =>
        `<li><strong>${esc(p.name)}</strong>: ${esc(p.gate!.decision)} on ${esc(day(p.gate!.at))}. ${esc(p.gate!.rationale)}</li>`,
    )
    .join('')}</ul>`;
}

/** The concerns log counted by category and outcome, with totals, suppressed. */
export function concernsMatrix(input: ReportInput): number[][] {
  return CONCERN_CATEGORIES.map((c) =>
    CONCERN_OUTCOMES.map((o) =>
      input.concerns.filter((x) => x.category === c && x.outcome === o).reduce((a, x) => a + x.count, 0),
    ),
  );
}

function concernsTable(input: ReportInput): string {
  const t = suppressTable(concernsMatrix(input));
  const td = (c: { mark: string; text: string }) =>
    `<td class="num${c.mark === 'shown' ? '' : ' sup'}"${c.mark === 'primary' ? ' title="between 1 and 4"' : c.mark === 'secondary' ? ' title="withheld so that totals do not reveal a small count"' : ''}>${esc(c.text)}</td>`;
  const rows = CONCERN_CATEGORIES.map(
    (c, i) =>
      `<tr><th scope="row">${esc(CATEGORY_LABEL[c])}</th>${t.cells[i]!.map(td).join('')}${td(t.rowTotals[i]!)}</tr>`,
  ).join('\n');
  return `<table class="data concerns">
<caption>Concerns recorded, by category and outcome</caption>
<thead><tr><th scope="col">Category</th>${CONCERN_OUTCOMES.map((o) => `<th scope="col">${esc(OUTCOME_LABEL[o])}</th>`).join('')}<th scope="col">Total</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row">Total</th>${t.colTotals.map(td).join('')}${td(t.grandTotal)}</tr></tfoot>
</table>`;
}

const CSS = `
@page { size: A4; margin: 14mm 12mm 16mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1d1d1d; font-size: 11px; line-height: 1.45; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 22px 0 8px; border-bottom: 2px solid #3a4a5c; padding-bottom: 3px; break-after: avoid; }
.meta { color: #444; margin: 0 0 12px; }
.banner { border: 2px dashed #9a6b1f; color: #7a2e00; background: #fff4ea; padding: 6px 10px; font-weight: bold; margin: 0 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 8px; margin: 8px 0 4px; padding: 0; list-style: none; }
.cards li { border: 1px solid #d5d5d5; border-radius: 4px; padding: 8px 10px; break-inside: avoid; }
.cards .v { display: block; font-size: 17px; font-weight: bold; }
.cards .k { color: #444; }
.charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; }
.chart { margin: 0; border: 1px solid #d5d5d5; border-radius: 4px; padding: 8px; break-inside: avoid; }
.chart svg { width: 100%; height: auto; max-height: 280px; display: block; }
.fig-title { display: block; font-weight: bold; font-size: 12px; }
.fig-summary { display: block; color: #444; margin-bottom: 4px; }
.empty { color: #555; font-style: italic; padding: 40px 0; text-align: center; }
table.data { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 10px; break-inside: auto; }
table.data caption { text-align: left; font-weight: bold; padding: 2px 0 4px; }
table.data th, table.data td { border-bottom: 1px solid #ddd; padding: 3px 5px; vertical-align: top; text-align: left; }
table.data thead th:not(:first-child):not(.txt) { text-align: right; }
table.data thead th { background: #f1f4f8; border-bottom: 2px solid #b9c4d3; }
table.data tfoot th, table.data tfoot td { border-top: 2px solid #b9c4d3; font-weight: bold; }
table.data tr { break-inside: avoid; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.data td.sup { color: #7a2e00; font-weight: bold; }
table.data td.na { text-align: center; color: #555; font-style: italic; }
table.phases { table-layout: fixed; font-size: 8.5px; }
table.phases th, table.phases td { padding: 3px 2px; }
table.phases col.phase { width: 18%; }
table.phases col.money { width: 6.5%; }
table.phases col.gate { width: 10%; }
.sub { display: block; font-weight: normal; color: #555; font-size: 9px; }
.gates li { margin-bottom: 4px; }
.notes { color: #333; font-size: 10px; }
.notes dt { font-weight: bold; }
.notes dd { margin: 0 0 6px; }
footer { margin-top: 18px; color: #555; font-size: 9px; border-top: 1px solid #ddd; padding-top: 6px; }
@media screen and (max-width: 720px) { .charts { grid-template-columns: minmax(0, 1fr); } body { padding: 12px; } .wide { overflow-x: auto; } table.phases { min-width: 900px; } }
@media print { body { padding: 0; max-width: none; } .charts { gap: 8px; } .chart svg { height: 60mm; max-height: none; } h2.page { break-before: page; } }
`;

/** The report as one HTML document. */
export async function renderReport(input: ReportInput, opts: RenderOptions): Promise<string> {
  const figures = await charts(input);
  const p = input.programme;
  const equipped = input.phases.reduce((a, x) => a + x.metrics.officersEquipped, 0);
  const target = input.phases.reduce((a, x) => a + x.targetHeadcount, 0);
  const lastReadiness = [...input.readiness].reverse().find((r) => r.share !== null)?.share ?? null;
  const period = `${day(input.period.from)} to ${day(new Date(new Date(input.period.to).getTime() - 1))}`;
  const state =
    opts.status === 'draft'
      ? `<p class="banner" role="note">Draft: not published. Figures may change before publication.</p>`
      : '';
  const published =
    opts.status === 'published' && opts.publishedAt ? ` · Published ${esc(day(opts.publishedAt))}` : '';
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(input.title)}: ${esc(period)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${esc(input.title)}</h1>
<p class="meta">Period: ${esc(period)} · Generated ${esc(day(input.generatedAt))}${published}</p>
${state}
</header>
<section aria-labelledby="s-summary">
<h2 id="s-summary">Summary</h2>
<ul class="cards">
<li><span class="v">${equipped < 5 && equipped > 0 ? PRIMARY : equipped.toLocaleString('en-GB')}</span><span class="k">officers equipped of ${target.toLocaleString('en-GB')} in all phases</span></li>
<li><span class="v">${percent(lastReadiness)}</span><span class="k">readiness, latest month</span></li>
<li><span class="v">${pounds(p.businessCase)}</span><span class="k">business case</span></li>
<li><span class="v">${pounds(p.released)}</span><span class="k">funds released</span></li>
<li><span class="v">${pounds(p.committed)}</span><span class="k">committed</span></li>
<li><span class="v">${pounds(p.spent)}</span><span class="k">spent</span></li>
<li><span class="v">${pounds(p.forecastToCompletion)}</span><span class="k">forecast to completion</span></li>
</ul>
</section>
<section aria-labelledby="s-charts">
<h2 id="s-charts">At a glance</h2>
<div class="charts">
${figures.map(figure).join('\n')}
</div>
</section>
<section aria-labelledby="s-phases">
<h2 id="s-phases" class="page">Phases</h2>
${phasesTable(input)}
<h3>Gate reviews</h3>
${gatesList(input)}
</section>
<section aria-labelledby="s-concerns">
<h2 id="s-concerns">Concerns about use</h2>
${concernsTable(input)}
</section>
<section aria-labelledby="s-monthly">
<h2 id="s-monthly">Monthly figures</h2>
${curveTable(input)}
</section>
<section aria-labelledby="s-notes" class="notes">
<h2 id="s-notes">Notes</h2>
<dl>
<dt>Small numbers</dt><dd>Counts from 1 to 4 are shown as "${esc(PRIMARY)}". Where a total would let a reader work such a count out, further cells are withheld and shown as "${esc(SECONDARY)}". Rollout points under five are not drawn.</dd>
<dt>Source</dt><dd>Every measure is computed from the platform's own records (issues and returns at the stores desk, readiness samples, faults, offloaded clips, recorded spend); none is typed in. Aggregates for the whole force only: no station, team or person is shown.</dd>
<dt>Readiness</dt><dd>Share of in-scope officer-hours on shift during which the officer held a working camera.</dd>
<dt>Desk availability</dt><dd>Share of attempts to issue a camera at a stores desk that found one.</dd>
<dt>Cost per officer</dt><dd>Recorded spend on the phase divided by the officers it equipped.</dd>
</dl>
</section>
</main>
<footer>${opts.id ? `Report ${esc(opts.id)} · ` : ''}${opts.status === 'draft' ? 'Draft' : 'Published version'} · Generated ${esc(new Date(input.generatedAt).toISOString())}</footer>
</body>
</html>
`;
}
