// Firmware for IT: maintenance windows, campaigns and the engine that carries them out, fleet
// compliance (docs/firmware.md). Artifacts and approved/blocked versions come in through
// engine.ports.ts (FirmwareArtifacts, FirmwarePolicy).
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
export { MinimalArtifacts, MinimalPolicy } from './artifacts.minimal.js';
export type {
  ArtifactInfo,
  CommandPublisher,
  DeviceKind as FirmwareDeviceKind,
  FirmwareArtifacts,
  FirmwareFleet,
  FirmwarePolicy,
  FleetDevice,
} from './engine.ports.js';
export type { LiveFacts, RegisterFacts } from './engine.eligibility.js';
