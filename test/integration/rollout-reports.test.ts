// The published progress report (issue 17, part 6): a programme lead generates a draft from a
// 1,300-officer force's year, previews it as HTML and PDF (each chart there and drawn; small counts
// shown as "<5" with secondary suppression), publishes it write-once with its SHA-256 in the audit
// trail; the other roles cannot; the public URL is off unless the force opts in; the monthly job
// makes one draft per month however often it runs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import type { DomainEvent } from '../../src/events/index.js';
import { CHART_COLOURS } from '../../src/rollout/reports.charts.js';
import { PdfPrinter } from '../../src/rollout/reports.pdf.js';
import { renderReport } from '../../src/rollout/reports.render.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { ARTIFACTS, launchChromium, newPage, screenshot, seriousA11yViolations } from '../helpers/browser.js';
import { eventually } from '../helpers/mqtt.js';
import { forceReportInput, literalReportSource } from '../helpers/rollout-report.js';
import { startReports } from '../helpers/rollout-reports.js';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** A binary PPM (P6) as pixels. */
function readPpm(file: string) {
  const buf = readFileSync(file);
  const header = buf
    .subarray(0, 50)
    .toString('latin1')
    .match(/^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error('not a P6 PPM');
  return { width: Number(header[1]), height: Number(header[2]), data: buf.subarray(header[0].length) };
}

/** Pixels close to a colour (the charts' own colours: the chart is drawn, not an empty frame). */
function pixelsNear(img: { data: Buffer }, hex: string, tolerance = 40): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let n = 0;
  for (let o = 0; o + 2 < img.data.length; o += 3) {
    if (
      Math.abs(img.data[o]! - r) + Math.abs(img.data[o + 1]! - g) + Math.abs(img.data[o + 2]! - b) <
      tolerance
    )
      n++;
  }
  return n;
}

/** The PDF's pages as PNG (kept with the screenshots) and PPM (measured here). */
function pdfPages(pdf: Buffer, name: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'report-pdf-'));
  const file = path.join(dir, 'report.pdf');
  writeFileSync(file, pdf);
  mkdirSync(ARTIFACTS, { recursive: true });
  execFileSync('pdftoppm', ['-r', '80', '-png', file, path.join(ARTIFACTS, name)]);
  execFileSync('pdftoppm', ['-r', '80', file, path.join(dir, 'page')]);
  const pages = readdirSync(dir)
    .filter((f) => f.endsWith('.ppm'))
    .sort()
    .map((f) => readPpm(path.join(dir, f)));
  const text = execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, ' ');
  const pngs = readdirSync(ARTIFACTS).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'));
  return { pages, text, pngs };
}

describe('the rollout progress report', () => {
  let app: TestApp;
  let reports: Awaited<ReturnType<typeof startReports>>;
  let lead: Record<string, string>;
  let board: Record<string, string>;
  let auditor: Record<string, string>;
  const events: DomainEvent<'rollout.report-published'>[] = [];
  const source = literalReportSource(forceReportInput());

  beforeAll(async () => {
    app = await startApp();
    reports = await startReports(app, source, { now: () => new Date('2026-12-03T09:00:00Z') });
    app.platform.events.on('rollout.report-published', (e) => void events.push(e));
    [lead, board, auditor] = await Promise.all([
      app.as('programme-lead'),
      app.as('board'),
      app.as('auditor'),
    ]);
  }, 60_000);
  afterAll(async () => {
    await reports?.close();
    await app?.close();
  });

  let id = '';

  it('generates a draft for the programme lead, listed for the board', async () => {
    const res = await reports.http().post('/api/v1/rollout/reports').set(lead).expect(201);
    expect(res.body).toMatchObject({ status: 'draft', kind: 'on-demand', publication: null });
    id = (res.body as { id: string }).id;
    expect(id).toMatch(/^rpt_[0-9a-f]{24}$/);
    expect(new Date((res.body as { generatedAt: string }).generatedAt).toString()).not.toBe('Invalid Date');
    expect(source.calls.at(-1)?.toISOString()).toBe('2026-12-03T09:00:00.000Z');
    const list = await reports.http().get('/api/v1/rollout/reports').set(board).expect(200);
    expect((list.body as Array<{ id: string }>).map((r) => r.id)).toContain(id);
  });

  it('refuses the roles that may not generate or read reports', async () => {
    const [stores, inspector] = await Promise.all([app.as('stores'), app.as('inspector')]);
    for (const who of [board, auditor, stores])
      await reports.http().post('/api/v1/rollout/reports').set(who).expect(403);
    await reports.http().get('/api/v1/rollout/reports').set(inspector).expect(403);
    await reports.http().get(`/api/v1/rollout/reports/${id}.html`).set(stores).expect(403);
    await reports.http().get('/api/v1/rollout/reports').expect(401);
  });

  it('serves the draft as one self-contained page: four drawn charts, tables, small counts suppressed', async () => {
    const res = await reports.http().get(`/api/v1/rollout/reports/${id}.html`).set(board).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    const html = res.text;
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'rollout-report-draft.html'), html);
    // Self-contained: nothing fetched, nothing run.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|url\((?!#)|@import/i);
    for (const name of Object.keys(CHART_COLOURS)) {
      const fig = html.match(
        new RegExp(`<figure class="chart" data-chart="${name}" data-points="(\\d+)"[\\s\\S]*?</figure>`),
      );
      expect(fig).not.toBeNull();
      expect(Number(fig![1])).toBeGreaterThan(5);
      // Drawn marks in the chart's own colour (a line's path, or bars) with real geometry.
      const colour = CHART_COLOURS[name as keyof typeof CHART_COLOURS];
      const marks = (fig![0].match(/<path[^>]*>/g) ?? []).filter(
        (t) =>
          t.includes(`"${colour}"`) &&
          /aria-roledescription="(line mark|bar)"/.test(t) &&
          /d="M[^"]{20,}"/.test(t),
      );
      expect({ name, marks: marks.length > 0 }).toEqual({ name, marks: true });
    }
    expect(html).toContain('Draft: not published');
    // AFO's desk had no camera 3 times, clips redacted 2: shown as <5 (escaped in HTML).
    expect(html).toMatch(/class="num sup"[^>]*>&lt;5</);
    // The concerns table has secondary suppression: a total would otherwise reveal the small cells.
    const concerns = html.match(/<table class="data concerns">[\s\S]*?<\/table>/)![0];
    expect(concerns).toContain('&lt;5');
    expect(concerns).toContain('[c]');
    expect(concerns).not.toMatch(/>[1-4]</);
    // The first month's 3 officers equipped is not shown as a count.
    expect(html).not.toMatch(/Dec 25<\/th><td class="num">30<\/td><td class="num">3</);
  });

  it('prints the draft to PDF: every chart on the rendered page, the suppression visible', async () => {
    const res = await reports
      .http()
      .get(`/api/v1/rollout/reports/${id}.pdf`)
      .set(lead)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, text, pngs } = pdfPages(pdf, 'rollout-report-draft');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pngs.length).toBe(pages.length);
    // The four charts are on the first page, each drawn in its colour (not an empty frame).
    const first = pages[0]!;
    for (const [name, colour] of Object.entries(CHART_COLOURS)) {
      expect({ name, drawn: pixelsNear(first, colour) > 150 }).toEqual({ name, drawn: true });
    }
    for (const title of [
      'Rollout: officers equipped, planned and actual',
      'Readiness: officer-hours with a working camera',
      'Spend against the business case and released funds',
      'Faults per 100 cameras',
      'Concerns recorded, by category and outcome',
    ])
      expect(text).toContain(title);
    expect(text).toContain('<5');
    expect(text).toContain('[c]');
    // The measure can fail: a report whose charts have no data has none of their colours.
    const printer = new PdfPrinter({ executablePath: app.platform.config.CHROMIUM_PATH });
    try {
      const empty = forceReportInput({ curve: [], readiness: [], spend: [], faults: [] });
      const blank = pdfPages(
        await printer.print(await renderReport(empty, { status: 'draft' })),
        'rollout-report-empty',
      );
      for (const [name, colour] of Object.entries(CHART_COLOURS))
        expect({ name, drawn: pixelsNear(blank.pages[0]!, colour) > 150 }).toEqual({ name, drawn: false });
    } finally {
      await printer.close();
    }
  }, 60_000);

  it('lets neither the board nor the auditor publish', async () => {
    const inspector = await app.as('inspector');
    for (const who of [board, auditor, inspector]) {
      const res = await reports.http().post(`/api/v1/rollout/reports/${id}/publish`).set(who).expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const list = await reports.http().get(`/api/v1/rollout/reports/${id}`).set(board).expect(200);
    expect(list.body).toMatchObject({ status: 'draft' });
  });

  it('publishes write-once: stored under its hashes, read-only, audited with them, announced', async () => {
    const res = await reports.http().post(`/api/v1/rollout/reports/${id}/publish`).set(lead).expect(200);
    const body = res.body as {
      status: string;
      publication: { sha256Html: string; sha256Pdf: string; publishedBy: string; bytesPdf: number };
    };
    expect(body.status).toBe('published');
    const { sha256Html, sha256Pdf } = body.publication;
    expect(body.publication.publishedBy).toMatch(/^programme-lead-/);
    const dir = path.join(app.platform.config.DATA_DIR, 'reports');
    for (const [hash, ext] of [
      [sha256Html, 'html'],
      [sha256Pdf, 'pdf'],
    ] as const) {
      const file = path.join(dir, `${hash}.${ext}`);
      expect(statSync(file).mode & 0o777).toBe(0o444);
      expect(sha256(readFileSync(file))).toBe(hash);
    }
    // Served as stored: the same bytes, the hash as ETag.
    const html = await reports.http().get(`/api/v1/rollout/reports/${id}.html`).set(auditor).expect(200);
    expect(sha256(html.text)).toBe(sha256Html);
    expect(html.headers.etag).toBe(`"${sha256Html}"`);
    expect(html.text).not.toContain('Draft: not published');
    expect(html.text).toContain('Published 3 December 2026');
    const pdf = await reports
      .http()
      .get(`/api/v1/rollout/reports/${id}.pdf`)
      .set(auditor)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(sha256(pdf.body as Buffer)).toBe(sha256Pdf);
    pdfPages(pdf.body as Buffer, 'rollout-report-published');
    // The audit trail holds both hashes, and the chain verifies.
    const audit = await app
      .http()
      .get(`/api/v1/audit?targetKind=rollout-report&targetId=${id}`)
      .set(auditor)
      .expect(200);
    const entries = (
      audit.body as {
        items: Array<{ action: string; changes: Record<string, unknown> | null; actor: { id: string } }>;
      }
    ).items;
    const published = entries.find((e) => e.action === 'rollout.report.publish');
    expect(published?.changes).toMatchObject({ sha256Html, sha256Pdf });
    expect(published?.actor.id).toBe(body.publication.publishedBy);
    expect(entries.some((e) => e.action === 'rollout.report.generate')).toBe(true);
    await app.http().get('/api/v1/audit/verify').set(auditor).expect(200);
    await eventually(() => events.length > 0);
    expect(events.map((e) => e.data)).toEqual([{ report: id, month: null, sha256Html, sha256Pdf }]);
    // Once only: a second publish is refused and the stored file is untouched.
    const before = statSync(path.join(dir, `${sha256Html}.html`));
    const again = await reports.http().post(`/api/v1/rollout/reports/${id}/publish`).set(lead).expect(409);
    expect((again.body as { type: string }).type).toBe('/problems/rollout-report-published');
    const after = statSync(path.join(dir, `${sha256Html}.html`));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(events).toHaveLength(1);
  }, 60_000);

  it('keeps the public URL off unless the force opts in', async () => {
    expect(app.platform.config.PUBLIC_REPORTS).toBe(false);
    for (const p of [
      '/public/reports/latest.html',
      '/public/reports/latest.pdf',
      `/public/reports/${id}.html`,
    ]) {
      const res = await reports.http().get(p).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('serves published versions only, without login, when PUBLIC_REPORTS is on', async () => {
    const open = await startReports(app, source, { publicReports: true });
    try {
      const draft = await open.http().post('/api/v1/rollout/reports').set(lead).expect(201);
      const latest = await open.http().get('/public/reports/latest.html').expect(200);
      const published = await reports.http().get(`/api/v1/rollout/reports/${id}`).set(auditor).expect(200);
      const { sha256Html } = (published.body as { publication: { sha256Html: string } }).publication;
      expect(sha256(latest.text)).toBe(sha256Html);
      expect(latest.headers['content-security-policy']).toContain("default-src 'none'");
      await open
        .http()
        .get(`/public/reports/${id}.pdf`)
        .expect(200)
        .expect('content-type', 'application/pdf');
      // A draft is not public.
      await open
        .http()
        .get(`/public/reports/${(draft.body as { id: string }).id}.html`)
        .expect(404);
      await open.http().get('/public/reports/elsewhere').expect(404);
      // What the public sees, in a browser: as served (its own CSP), accessible, at desk and phone widths.
      const browser = await launchChromium();
      try {
        for (const [label, viewport] of [
          ['desktop', { width: 1280, height: 900 }],
          ['phone', { width: 390, height: 844 }],
        ] as const) {
          const { page, problems, close } = await newPage(browser, viewport);
          await page.goto(`${open.url}/public/reports/latest.html`);
          await page.getByRole('heading', { name: 'Body-worn video rollout: progress report' }).waitFor();
          expect(await page.locator('figure.chart svg').count()).toBe(4);
          await screenshot(page, `rollout-report-public-${label}`);
          expect(await seriousA11yViolations(page)).toEqual([]);
          expect(problems).toEqual([]);
          await close();
        }
      } finally {
        await browser.close();
      }
    } finally {
      await open.close();
    }
  }, 60_000);

  it('makes one monthly draft per month however often the job is queued or run', async () => {
    // The tick ran at start-up (the clock says 3 December 2026): November's job is queued, once.
    expect(await reports.jobs.enqueueOnce('rollout.monthly-report', { month: '2026-11' }, '2026-11')).toBe(
      false,
    );
    await eventually(async () => {
      const list = await reports.http().get('/api/v1/rollout/reports').set(board).expect(200);
      return (list.body as Array<{ id: string }>).filter((r) => r.id === 'rpt_2026-11').length === 1;
    }, 20_000);
    // The job run again (agenda's lock is not atomic on FerretDB v1): still one.
    expect(await reports.reports.monthly('2026-11', { actor: { type: 'job', id: 'test' } })).toBe(false);
    const monthly = await reports.http().get('/api/v1/rollout/reports/rpt_2026-11').set(board).expect(200);
    expect(monthly.body).toMatchObject({
      kind: 'monthly',
      month: '2026-11',
      status: 'draft',
      at: '2026-12-01T00:00:00.000Z',
    });
  }, 30_000);
});
