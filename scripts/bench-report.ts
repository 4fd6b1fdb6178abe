// Report generation time: `npm run bench:report`. Renders the rollout progress report of a 1,300-officer
// force with a year of monthly history (test/helpers/rollout-report.ts) to HTML (four vega-lite charts
// drawn as SVG on the server) and prints it to PDF with Debian's chromium, as POST /rollout/reports
// and GET …/:id.pdf and publish do. The first PDF includes starting the browser (the first print after
// the platform starts); the rest reuse it. Then the same from the database, as the platform does
// it: a fresh embedded database seeded with the demo force (1,300 officers), its rollout, a year of
// measured history and desk activity; a draft generated (the figures gathered), its HTML and PDF
// served, and published. Side by side, so the database's share shows. The last line is JSON.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { startPlatform } from '../src/platform.js';
import { measureRecords, seedRolloutHistory } from '../src/rollout/index.js';
import { systemContext } from '../src/shared/index.js';
import { PdfPrinter } from '../src/rollout/reports.pdf.js';
import { renderReport } from '../src/rollout/reports.render.js';
import { forceReportInput } from '../test/helpers/rollout-report.js';
import { seedDemo } from './demo-force.js';
import { seedRollout } from './demo-rollout.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const input = forceReportInput();
const officers = input.phases.reduce((a, p) => a + p.targetHeadcount, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => Math.round(n * 10) / 10;

/** The demo force's report from its database: generate (gather), HTML, PDF, publish. */
async function fromDatabase() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bwv-bench-report-'));
  const platform = await startPlatform(
    loadConfig({
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      BWV_ADMIN_PASSWORD: 'bench-report-admin-password',
    }),
  );
  try {
    await platform.ready;
    const s = platform.services;
    process.stdout.write('Seeding the demo force, its rollout and a year of history… ');
    await seedDemo(s);
    await seedRollout(s);
    const officers = await measureRecords(s).officers();
    await seedRolloutHistory({
      history: s.rolloutMeasures.history,
      phases: await s.rolloutPhases.list(),
      officers,
    });
    // The desk at work in the active wave: 200 Taser officers issued a camera at their station.
    const stock = (await s.fleet.allCameras({ status: 'in_stock' })).filter((c) => !c.holder);
    let issued = 0;
    for (const o of officers.filter((x) => x.active && x.qualifications.includes('TASER'))) {
      const i = stock.findIndex((c) => c.station === o.station);
      if (i < 0 || issued === 200) continue;
      const [camera] = stock.splice(i, 1);
      await s.assignments.checkOut(
        { camera: camera!.serial, officer: o.number, mode: 'personal' },
        systemContext,
      );
      issued++;
    }
    console.log(`done (${issued} cameras issued).`);
    const reports = s.rolloutReports.reports;
    const t0 = performance.now();
    const draft = await reports.generate(systemContext);
    const t1 = performance.now();
    await reports.file(draft.id, 'html');
    const t2 = performance.now();
    await reports.file(draft.id, 'pdf');
    const t3 = performance.now();
    await reports.publish(draft.id, systemContext);
    const t4 = performance.now();
    return {
      gatherMs: ms(t1 - t0),
      htmlMs: ms(t2 - t1),
      pdfMs: ms(t3 - t2),
      publishMs: ms(t4 - t3),
      draftMs: ms(t3 - t0),
      issued,
    };
  } finally {
    await platform.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

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
  const db = await fromDatabase();
  const result = {
    bench: 'report',
    fromDatabase: db,
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
    under10s: htmlColdMs + pdfColdMs < 10_000 && db.draftMs < 10_000,
  };
  console.log(
    `report for ${officers} officers, ${result.months} months: first ${result.firstReportMs} ms (HTML ${result.htmlColdMs}, PDF with browser start ${result.pdfColdMs}); then median ${result.totalMedianMs} ms (HTML ${result.htmlMedianMs}, PDF ${result.pdfMedianMs}) over ${RUNS} runs`,
  );
  console.log(
    `from the demo force's database: gather ${db.gatherMs} ms, HTML ${db.htmlMs} ms, PDF ${db.pdfMs} ms (draft in ${db.draftMs} ms); publish ${db.publishMs} ms`,
  );
  console.log(JSON.stringify(result));
} finally {
  await printer.close();
}
// agenda's liveness timers of jobs running at stop would keep the process for minutes (seed-demo.ts).
process.exit(0);
