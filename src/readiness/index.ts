export {
  ReadinessService,
  type LiveCameraSource,
  type ReadinessFeed,
  type ReadinessOptions,
  type ReadinessSampleSink,
  type ReadinessScope,
} from './readiness.service.js';
export { readinessRoutes } from './readiness.routes.js';
export {
  DEFAULT_POLICY,
  assess,
  fmtMinutes,
  gotWorse,
  type ReadinessPolicy,
  type CameraFacts,
} from './rules.js';
export { drainPerMinute, minutesLeft } from './drain.js';
export { liveCameraSource } from './live-source.js';
