// The phased rollout capability: phases and gates, budget, planner, scope, measures and the report.
export * from './rollout.types.js';
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
