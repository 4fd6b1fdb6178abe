// The phased rollout capability: phases and gates, budget, planner, scope, measures and the report.
export * from './rollout.types.js';
export { PhasesRepository } from './phases.repository.js';
export { PhasesService, type Funding } from './phases.service.js';
export { BudgetRepository } from './budget.repository.js';
export { BudgetService } from './budget.service.js';
export { ConcernsRepository } from './concerns.repository.js';
export { ConcernsService } from './concerns.service.js';
export { PlannerService } from './planner.service.js';
export type { RolloutRegisters, RosterOfficer, RegisterCamera, RosterShift } from './planner.ports.js';
export { RolloutScopeService } from './scope.service.js';
export { rolloutRoutes } from './rollout.routes.js';
export { isStarted } from './phases.rules.js';
export { MeasuresHistory, FOLD_GRACE_MS, type DeskRecord } from './metrics.history.js';
export { RolloutMetrics, phasePeriod, type MeasureRecords } from './metrics.service.js';
export { RolloutReportData, type ConcernCounts } from './reports.data.js';
export {
  buildRolloutMeasures,
  measureRecords,
  readinessScope,
  type RolloutMeasures,
} from './metrics.build.js';
export { seedRolloutHistory } from './metrics.seed.js';
export { buildRolloutReports, type RolloutReports } from './reports.build.js';
export { ReportsService, type ReportSummary } from './reports.service.js';
export { MONTHLY_REPORT_JOB, MONTHLY_REPORT_TICK } from './reports.job.js';
export { renderReport } from './reports.render.js';
export { suppressTable, showCount } from './reports.suppress.js';
