export { CredentialsService, type DeviceRegistry } from './credentials.service.js';
export { CredentialsRepository } from './credentials.repository.js';
export { DeviceStateService, type DeviceStateOptions, type IngestStats } from './state.service.js';
export { DeviceStateRepository } from './state.repository.js';
export { DeviceEvents, type DeviceEventMap } from './events.js';
export { devicesRoutes } from './devices.routes.js';
export type { DeviceView } from './state.view.js';
export { healthOf, conditionsOf, type Health, type HealthThresholds } from './health.js';
export { DockAllocation, type Allocation } from './dock-allocation.js';
