// The report page from its input alone (no I/O but vega's own): structure, escaping, small counts,
// and what an empty programme looks like.
import { describe, expect, it } from '@jest/globals';
import { PdfPrinter } from '../../src/rollout/reports.pdf.js';
import { renderReport } from '../../src/rollout/reports.render.js';
import { forceReportInput } from '../helpers/rollout-report.js';

const figure = (html: string, name: string) =>
  html.match(
    new RegExp(`<figure class="chart" data-chart="${name}" data-points="(\\d+)"[\\s\\S]*?</figure>`),
  );

describe('the report page', () => {
  it('shows every small count of the phases table as "<5" and no bare 1..4', async () => {
    const html = await renderReport(forceReportInput(), {
      status: 'published',
      publishedAt: new Date(),
      id: 'rpt_2026-11',
    });
    const phases = html.match(/<table class="data phases">[\s\S]*?<\/table>/)![0];
    expect(phases.match(/&lt;5/g)).toHaveLength(2); // AFO: desk had none 3, redacted 2
    expect(phases).not.toMatch(/<td class="num">[1-4]<\/td>/);
    expect(html).toContain('Report rpt_2026-11');
    expect(html).not.toContain('Draft: not published');
  });

  it('escapes what people typed (a gate rationale) and runs nothing', async () => {
    const input = forceReportInput();
    input.phases[0]!.gate!.rationale = '<script>alert(1)</script> & "quoted"';
    const html = await renderReport(input, { status: 'draft' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;');
  });

  it('says a chart has no data rather than drawing an empty frame', async () => {
    const input = forceReportInput({ curve: [], readiness: [], spend: [], faults: [], concerns: [] });
    const html = await renderReport(input, { status: 'draft' });
    for (const name of ['rollout-curve', 'readiness', 'spend', 'faults']) {
      const fig = figure(html, name);
      expect(fig?.[1]).toBe('0');
      expect(fig?.[0]).toContain('No data for this period yet.');
      expect(fig?.[0]).not.toContain('<svg');
    }
  });

  it('does not draw rollout points under five', async () => {
    const html = await renderReport(forceReportInput(), { status: 'draft' });
    const curve = figure(html, 'rollout-curve')![0];
    expect(figure(html, 'rollout-curve')![1]).toBe('11'); // 12 months, the first (3 equipped) not drawn
    expect(curve).not.toMatch(/Actual[^"]*"[^>]*Dec 25|Dec 25; Officers equipped \(cumulative\): 3;/);
  });

  it('answers a chromium that cannot start with a problem (503), and says why to the log', async () => {
    const why: unknown[] = [];
    const printer = new PdfPrinter({
      executablePath: '/nonexistent/chromium',
      onLaunchError: (e) => why.push(e),
    });
    await expect(printer.print('<p>x</p>')).rejects.toMatchObject({
      type: 'rollout-report-pdf-unavailable',
      status: 503,
    });
    expect(why).toHaveLength(1);
    await printer.close();
  });
});
