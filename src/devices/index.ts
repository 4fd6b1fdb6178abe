export { CredentialsService, type DeviceRegistry } from './credentials.service.js';
export { CredentialsRepository } from './credentials.repository.js';
export {
  DeviceStateService,
  type DeviceStateOptions,
  type FirmwareVerdict,
  type IngestStats,
} from './state.service.js';
export { DeviceStateRepository } from './state.repository.js';
export { devicesRoutes } from './devices.routes.js';
export type { DeviceView } from './state.view.js';
export {
  healthOf,
  conditionsOf,
  assignmentWarning,
  healthFrom,
  healthReasonsOf,
  type Health,
  type HealthReason,
  type HealthThresholds,
  type RegisterFacts,
} from './health.js';
export { DockAllocation, type Allocation } from './dock-allocation.js';
export { DockedClaims, CORROBORATION_GRACE_MS } from './dock-claims.js';
export { defineHistoryRetention, TRIM_HISTORY_JOB } from './retention.job.js';
export { DeviceRefusals, type Refusal } from './refusals.js';
