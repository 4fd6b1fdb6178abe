import { z } from 'zod';

/** `rpt_<24 hex>` (on demand) or `rpt_<YYYY-MM>` (the monthly draft). */
export const ReportId = z.string().regex(/^rpt_([0-9a-f]{24}|\d{4}-(0[1-9]|1[0-2]))$/);
export const ReportParams = z.object({ id: ReportId });
export const PublicReportParams = z.object({ id: z.union([z.literal('latest'), ReportId]) });
export const MonthlyReportJob = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) });
