export { ClipsService, type ClipView } from './clips.service.js';
export { ClipsRepository, type ClipMeasure } from './clips.repository.js';
export { clipsRoutes } from './clips.routes.js';
export { clipUploadRoutes, type DeviceVerifier } from './clips.upload.js';
export {
  unknownContext,
  type ClipContext,
  type ClipNotifier,
  type ClipEvent,
  type ClipRefusalReporter,
} from './clips.ports.js';
export type { ClipDoc, ClipRisk, ClipStatus, DerivativeDoc } from './clips.model.js';
export { ClipRedactionState } from './clips.redaction.js';
