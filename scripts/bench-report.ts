// Report generation time: `npm run bench:report`. Renders the rollout progress report of a 1,300-officer
// force with a year of monthly history (test/helpers/rollout-report.ts) to HTML (four vega-lite charts
// drawn as SVG on the server) and prints it to PDF with Debian's chromium, as POST /rollout/reports
// and GET …/:id.pdf and publish do. The first PDF includes starting the browser (the first print after
// the platform starts); the rest reuse it. Gathering the figures from the database (helper M's
// ReportSource) is not part of this figure. The last line is JSON.
import { performance } from 'node:perf_hooks';
import { PdfPrinter } from '../src/rollout/reports.pdf.js';
import { renderReport } from '../src/rollout/reports.render.js';
import { forceReportInput } from '../test/helpers/rollout-report.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const input = forceReportInput();
const officers = input.phases.reduce((a, p) => a + p.targetHeadcount, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => Math.round(n * 10) / 10;

const printer = new PdfPrinter({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  let t = performance.now();
  const firstHtml = await renderReport(input, {
    status: 'published',
    publishedAt: new Date(),
    id: 'rpt_bench',
  });
  const htmlColdMs = performance.now() - t;
  t = performance.now();
  const firstPdf = await printer.print(firstHtml);
  const pdfColdMs = performance.now() - t;
  const html: number[] = [];
  const pdf: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const page = await renderReport(input, { status: 'published', publishedAt: new Date(), id: 'rpt_bench' });
    const t1 = performance.now();
    await printer.print(page);
    const t2 = performance.now();
    html.push(t1 - t0);
    pdf.push(t2 - t1);
    total.push(t2 - t0);
  }
  const result = {
    bench: 'report',
    officers,
    months: input.curve.length,
    phases: input.phases.length,
    htmlBytes: Buffer.byteLength(firstHtml),
    pdfBytes: firstPdf.length,
    htmlColdMs: ms(htmlColdMs),
    pdfColdMs: ms(pdfColdMs),
    firstReportMs: ms(htmlColdMs + pdfColdMs),
    htmlMedianMs: ms(median(html)),
    pdfMedianMs: ms(median(pdf)),
    totalMedianMs: ms(median(total)),
    runs: RUNS,
    under10s: htmlColdMs + pdfColdMs < 10_000,
  };
  console.log(
    `report for ${officers} officers, ${result.months} months: first ${result.firstReportMs} ms (HTML ${result.htmlColdMs}, PDF with browser start ${result.pdfColdMs}); then median ${result.totalMedianMs} ms (HTML ${result.htmlMedianMs}, PDF ${result.pdfMedianMs}) over ${RUNS} runs`,
  );
  console.log(JSON.stringify(result));
} finally {
  await printer.close();
}
