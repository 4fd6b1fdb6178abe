export { ClipsService, readJsonBlob, type ClipView } from './clips.service.js';
export { ClipsRepository, type ClipMeasure } from './clips.repository.js';
export { clipsRoutes } from './clips.routes.js';
export { disclosuresRoutes } from './disclosures.routes.js';
export { Disclosures } from './disclosures.service.js';
export { DisclosuresRepository } from './disclosures.repository.js';
export { MissedFaces } from './missed-faces.service.js';
export { clipUploadRoutes, type DeviceVerifier } from './clips.upload.js';
export {
  unknownContext,
  type ClipContext,
  type ClipNotifier,
  type ClipEvent,
  type ClipRefusalReporter,
} from './clips.ports.js';
export type { ClipDoc, ClipRisk, ClipStatus, DerivativeDoc, MissedFaceDoc } from './clips.model.js';
export { ClipRedactionState } from './clips.redaction.js';
