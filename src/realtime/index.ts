export { RealtimeGateway, type SnapshotSources, type GatewayOptions } from './realtime.gateway.js';
export { type Viewer, maySeeStation, maySeeReadiness } from './access.js';
export type * from './events.js';
