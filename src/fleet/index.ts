export { FleetService, type Camera } from './fleet.service.js';
export { FleetRepository } from './fleet.repository.js';
export { fleetRoutes } from './fleet.routes.js';
export { CAMERA_STATUSES, type CameraStatus } from './lifecycle.js';
export type { DockDoc } from './fleet.model.js';
export { CameraSerial, CameraParams, DockId } from './fleet.schemas.js';
