// The report's parts, built from what they are given: the data (a ReportSource: helper M's
// gatherReportInput at integration), the audit trail, the event map, the job scheduler. The
// composition root (src/composition/rollout.ts) calls this; it holds no rule.
import path from 'node:path';
import type { AuditService } from '../audit/index.js';
import type { Config } from '../config.js';
import type { Connection } from '../db/connection.js';
import type { DomainEventBus } from '../events/index.js';
import type { JobScheduler } from '../jobs/index.js';
import type { Logger } from '../logger.js';
import { ReportFiles } from './reports.files.js';
import { defineMonthlyReport } from './reports.job.js';
import { PdfPrinter } from './reports.pdf.js';
import { ReportsRepository } from './reports.repository.js';
import { publicReportsRoutes, reportsRoutes } from './reports.routes.js';
import { ReportsService } from './reports.service.js';
import type { ReportSource } from './rollout.types.js';

export function buildRolloutReports(p: {
  config: Pick<Config, 'DATA_DIR' | 'PUBLIC_REPORTS' | 'CHROMIUM_PATH' | 'ROLLOUT_REPORT_CHECK_S'>;
  conn: Connection;
  audit: AuditService;
  events: DomainEventBus;
  source: ReportSource;
  log: Logger;
  /** The clock (tests); default: now. */
  now?: () => Date;
}) {
  const log = p.log.child({ component: 'rollout-reports' });
  const files = new ReportFiles(path.join(p.config.DATA_DIR, 'reports'));
  const printer = new PdfPrinter({
    executablePath: p.config.CHROMIUM_PATH,
    onLaunchError: (err) => log.error({ err }, 'chromium could not start: no PDF'),
  });
  const reports = new ReportsService(
    new ReportsRepository(p.conn),
    files,
    printer,
    p.source,
    p.audit,
    p.events,
    { publicReports: p.config.PUBLIC_REPORTS, ...(p.now && { now: p.now }) },
    log,
  );
  return {
    reports,
    /** The /api/v1 routes (mount with the other capabilities' routers). */
    router: reportsRoutes(reports),
    /** Mount at /public/reports, outside the API (no login); answers 404 unless PUBLIC_REPORTS. */
    publicRouter: publicReportsRoutes(reports),
    /**
     * Once the database is up and before the scheduler starts: makes the reports folder, defines the
     * monthly job and schedules its tick. Resolves with the stop (closes the PDF printer's browser).
     */
    async start(jobs: JobScheduler): Promise<() => Promise<void>> {
      await files.init();
      const monthly = defineMonthlyReport({
        jobs,
        reports,
        everyS: p.config.ROLLOUT_REPORT_CHECK_S,
        ...(p.now && { now: p.now }),
      });
      await monthly.repeat();
      return () => printer.close();
    },
  };
}

export type RolloutReports = ReturnType<typeof buildRolloutReports>;
