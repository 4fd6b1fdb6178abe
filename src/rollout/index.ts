// The phased rollout capability: phases and gates, budget, planner, scope, measures and the report.
export * from './rollout.types.js';
