/**
 * Lifecycle status: what stores did with the camera. Live health (battery, docked, online) is
 * reported by telemetry and kept apart, so a flat battery never changes what stores recorded.
 */
export const CAMERA_STATUSES = ['in_stock', 'issued', 'faulty', 'in_repair', 'lost', 'retired'] as const;
export type CameraStatus = (typeof CAMERA_STATUSES)[number];
