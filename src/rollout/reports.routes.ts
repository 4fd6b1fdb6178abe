// The report's routes: under /api/v1/rollout/reports for the programme's roles, and the opt-in public
// URL (/public/reports, PUBLIC_REPORTS) that serves published versions only, without login.
import type { Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { SecureRouter } from '../http/route.js';
import type { Role } from '../shared/roles.js';
import { ReportResponse } from './reports.responses.js';
import { PublicReportParams, ReportParams } from './reports.schemas.js';
import type { ReportFile, ReportsService } from './reports.service.js';

/** Everyone who reads under /rollout (design: issue 17), and who may make and publish a report. */
const READERS: readonly Role[] = ['programme-lead', 'board', 'admin', 'auditor'];
const MAKERS: readonly Role[] = ['programme-lead', 'admin'];

/**
 * The report is a self-contained page: no script, inline styles and SVG only. Its own policy
 * replaces the dashboard's (which forbids inline styles) and lets the programme screen show it in a
 * same-origin frame.
 */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

function send(res: Response, f: ReportFile, cache: string) {
  res.setHeader('Cache-Control', cache);
  if (f.sha256) res.setHeader('ETag', `"${f.sha256}"`);
  if (f.format === 'html') {
    res.setHeader('Content-Security-Policy', REPORT_CSP);
    res.type('text/html; charset=utf-8');
  } else {
    res.type('application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="rollout-report-${f.id}.pdf"`);
  }
  res.status(200).send(f.bytes);
}

export function reportsRoutes(reports: ReportsService) {
  const api = new SecureRouter();
  api.post(
    '/rollout/reports',
    { allow: MAKERS, status: 201, doc: { summary: 'Generate a draft report now', response: ReportResponse } },
    ({ ctx }) => reports.generate(ctx),
  );
  api.get('/rollout/reports', { allow: READERS, doc: { response: z.array(ReportResponse) } }, () =>
    reports.list(),
  );
  for (const format of ['html', 'pdf'] as const) {
    api.get(
      `/rollout/reports/:id.${format}`,
      {
        allow: READERS,
        params: ReportParams,
        doc: {
          summary: `The report as ${format.toUpperCase()}: a draft rendered now, a published version as stored`,
          produces: format === 'html' ? 'text/html' : 'application/pdf',
          problems: [
            'rollout-report-not-found',
            'rollout-report-damaged',
            ...(format === 'pdf' ? (['rollout-report-pdf-unavailable'] as const) : []),
          ],
        },
      },
      async ({ params, res }) => {
        const f = await reports.file(params.id, format);
        send(res, f, f.sha256 ? 'private, max-age=300' : 'no-store');
      },
    );
  }
  api.get(
    '/rollout/reports/:id',
    {
      allow: READERS,
      params: ReportParams,
      doc: { response: ReportResponse, problems: ['rollout-report-not-found'] },
    },
    ({ params }) => reports.get(params.id),
  );
  api.post(
    '/rollout/reports/:id/publish',
    {
      allow: MAKERS,
      params: ReportParams,
      doc: {
        summary: 'Publish a draft: its HTML and PDF stored write-once under their SHA-256, audited',
        response: ReportResponse,
        problems: ['rollout-report-not-found', 'rollout-report-published', 'rollout-report-pdf-unavailable'],
      },
    },
    ({ params, ctx }) => reports.publish(params.id, ctx),
  );
  return api.router;
}

/** Mounted at /public/reports outside the API (no login); 404 unless PUBLIC_REPORTS is on. */
export function publicReportsRoutes(reports: ReportsService) {
  const pub = new SecureRouter();
  for (const format of ['html', 'pdf'] as const) {
    pub.get(
      `/:id.${format}`,
      {
        allow: 'public',
        params: PublicReportParams,
        doc: {
          produces: format === 'html' ? 'text/html' : 'application/pdf',
          problems: ['rollout-report-not-found'],
        },
      },
      async ({ params, res }) => {
        const f = await reports.publicFile(params.id, format);
        send(res, f, params.id === 'latest' ? 'public, max-age=300' : 'public, max-age=86400, immutable');
      },
    );
  }
  // Anything else under the prefix is not the dashboard's to answer.
  pub.router.use(() => {
    throw new AppError('route-not-found', 'No such route');
  });
  return pub.router;
}
