// Firmware for IT: signed artifacts and their device downloads, the approved/blocked versions register.
export { FirmwareArtifacts, type Artifact, type ArtifactFilter } from './artifacts.service.js';
export { ArtifactsRepository } from './artifacts.repository.js';
export { ArtifactFiles } from './artifacts.files.js';
export { firmwareArtifactsRoutes } from './artifacts.routes.js';
export { FIRMWARE_MANAGERS, FIRMWARE_READERS } from './roles.js';
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

// Firmware for IT: maintenance windows, campaigns and the engine that carries them out, fleet
// compliance (docs/firmware.md). Campaigns and the engine see artifacts and approved/blocked
// versions only through engine.ports.ts.
export { CampaignsService, type CampaignCreated, type CampaignDevice } from './campaigns.service.js';
export { CampaignsRepository } from './campaigns.repository.js';
export { CampaignTransitions } from './campaigns.transitions.js';
export { campaignsRoutes } from './campaigns.routes.js';
export { UpdatesRepository } from './updates.repository.js';
export { WindowsService, type WindowView } from './windows.service.js';
export { WindowsRepository } from './windows.repository.js';
export { windowsRoutes } from './windows.routes.js';
export { ComplianceService, type Compliance } from './compliance.service.js';
export { complianceRoutes } from './compliance.routes.js';
export { FirmwareEngine, TICK_JOB, type EngineOptions } from './engine.js';
export type {
  ArtifactInfo,
  CommandPublisher,
  DeviceKind as FirmwareDeviceKind,
  FirmwareArtifacts as ArtifactsPort,
  FirmwareFleet,
  FirmwarePolicy as PolicyPort,
  FleetDevice,
} from './engine.ports.js';
export type { LiveFacts, RegisterFacts } from './engine.eligibility.js';
