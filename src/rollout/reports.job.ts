// `rollout.monthly-report`: a draft of last month's report, made once per month. A repeating tick
// (`rollout.monthly-report-tick`, every ROLLOUT_REPORT_CHECK_S) queues the month's job under the key
// YYYY-MM, a unique claim, so it is queued once however many processes tick; the job's draft id is
// `rpt_<YYYY-MM>`, claimed by its insert, so a job run twice (agenda's lock is not atomic on
// FerretDB v1) still makes one draft.
import type { JobScheduler } from '../jobs/index.js';
import { z } from 'zod';
import { MonthlyReportJob } from './reports.schemas.js';
import { previousMonth, type ReportsService } from './reports.service.js';

export const MONTHLY_REPORT_JOB = 'rollout.monthly-report';
export const MONTHLY_REPORT_TICK = 'rollout.monthly-report-tick';

/** Defines both jobs (before the scheduler starts); `repeat` schedules the tick (any time). */
export function defineMonthlyReport(opts: {
  jobs: JobScheduler;
  reports: ReportsService;
  everyS: number;
  now?: () => Date;
}): { repeat(): Promise<void>; queue(month: string): Promise<boolean> } {
  const { jobs, reports } = opts;
  const queue = (month: string) => jobs.enqueueOnce(MONTHLY_REPORT_JOB, { month }, month);
  jobs.define({
    name: MONTHLY_REPORT_JOB,
    data: MonthlyReportJob,
    handler: async ({ month }) => {
      await reports.monthly(month, { actor: { type: 'job', id: MONTHLY_REPORT_JOB } });
    },
  });
  jobs.define({
    name: MONTHLY_REPORT_TICK,
    data: z.unknown(),
    handler: async () => {
      await queue(previousMonth(opts.now?.() ?? new Date()));
    },
  });
  return { repeat: () => jobs.every(MONTHLY_REPORT_TICK, opts.everyS * 1000), queue };
}
