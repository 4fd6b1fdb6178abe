// The phased rollout capability: phases and gates, budget, planner, scope, measures and the report.
export * from './rollout.types.js';
export { buildRolloutReports, type RolloutReports } from './reports.build.js';
export { ReportsService, type ReportSummary } from './reports.service.js';
export { MONTHLY_REPORT_JOB, MONTHLY_REPORT_TICK } from './reports.job.js';
export { renderReport } from './reports.render.js';
export { suppressTable, showCount } from './reports.suppress.js';
