export { FirmwareArtifacts, type Artifact, type ArtifactFilter } from './artifacts.service.js';
export { ArtifactsRepository } from './artifacts.repository.js';
export { ArtifactFiles } from './artifacts.files.js';
export { firmwareArtifactsRoutes, FIRMWARE_MANAGERS, FIRMWARE_READERS } from './artifacts.routes.js';
export { firmwareDownloadRoutes, type DeviceVerifier, type RefusalSink } from './artifacts.download.js';
export { trustedKeysOf } from './artifacts.keys.js';
export { FirmwareVersions, type VersionEntry, type VersionRef } from './versions.service.js';
export { VersionsRepository } from './versions.repository.js';
export {
  FirmwarePolicy,
  blockedWords,
  type FirmwareStatus,
  type PolicyChange,
  type PolicyEntry,
} from './versions.policy.js';
export { firmwareVersionsRoutes } from './versions.routes.js';
export {
  decodeSignature,
  generateVendorKeys,
  keyFingerprint,
  loadTrustedKeys,
  parseTrustedKeys,
  signArtifact,
  signFile,
  verifySignature,
  writeVendorKeys,
  type TrustedKey,
  type VendorKeys,
} from './signing.js';
