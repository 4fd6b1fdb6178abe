// What the firmware API answers (/api/v1/firmware/…), as the screens use it. The answers' shapes
// come from the server's own schemas and live-feed types (as ../types.ts does for the other
// capabilities), so the two cannot drift; the rest are the screens' own names for their parts.
import type { z } from 'zod';
import type { ArtifactResponse } from '../../../../src/firmware/artifacts.responses.js';
import type {
  CampaignDevicePage,
  CampaignPreviewResponse,
} from '../../../../src/firmware/campaigns.responses.js';
import type { Compliance } from '../../../../src/firmware/compliance.service.js';
import type { VersionResponse } from '../../../../src/firmware/versions.responses.js';
import type { WindowResponse } from '../../../../src/firmware/windows.responses.js';
import type {
  FirmwareCampaignDetail as CampaignDetail,
  FirmwareCampaignSummary as CampaignSummary,
} from '../../../../src/realtime/events.js';
import type { Role } from '../types.js';

/** GET /firmware/artifacts (items), GET /firmware/artifacts/:id. */
export type Artifact = ArtifactResponse;
/** GET /firmware/versions: one approved or blocked version; `model` may be `*` (every model). */
export type VersionEntry = VersionResponse;
/** GET /firmware/windows (items); PUT /firmware/windows/:station takes `{timeZone, windows}`. */
export type StationWindows = z.infer<typeof WindowResponse>;
/** GET /firmware/campaigns (items); GET /firmware/campaigns/:id and the live `firmware:campaign`. */
export type { CampaignDetail, CampaignSummary, Compliance };
/** GET /firmware/campaigns/:id/devices (items). */
export type DeviceUpdate = z.infer<typeof CampaignDevicePage>['items'][number];
/** POST /firmware/campaigns/preview. */
export type Preview = z.infer<typeof CampaignPreviewResponse>;

export type DeviceKind = 'camera' | 'dock';
export const DEVICE_KINDS: readonly DeviceKind[] = ['camera', 'dock'];

/** A version's entry in the register (`firmware_versions`); a version without one is unreviewed. */
export type VersionStatus = 'approved' | 'blocked';
export type ArtifactStatus = VersionStatus | 'unreviewed';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];

/** A weekly maintenance window in the station's time zone; `end` < `start` crosses midnight. */
export interface MaintenanceWindow {
  days: Day[];
  start: string;
  end: string;
}

/** One device's update in a campaign (`firmware_updates.state`), in the order it moves through. */
export const UPDATE_STATES = [
  'pending',
  'waiting',
  'sent',
  'downloading',
  'downloaded',
  'verifying',
  'installing',
  'rebooting',
  'retry-wait',
  'succeeded',
  'failed',
  'canceled',
] as const;
export type UpdateState = (typeof UPDATE_STATES)[number];
/** How many updates are in each state; a state nobody is in may be missing. */
export type StateCounts = Partial<Record<UpdateState, number>>;

/** `creating`: the campaign's device list is being written (a moment after POST). */
export type CampaignStatus =
  'creating' | 'awaiting-approval' | 'running' | 'paused' | 'completed' | 'canceled';
export type WaveStatus = 'pending' | 'running' | 'awaiting-approval' | 'done';

/** Pause after this many failures (since the last resume), or this share of started devices; null: not set. */
export interface ErrorThreshold {
  count: number | null;
  percent: number | null;
}

/** What a campaign is asked to do: POST /firmware/campaigns and …/preview take this body. */
export interface CampaignBody {
  name: string;
  kind: DeviceKind;
  model: string;
  /** The artifact's id; it names the target version. */
  artifact: string;
  /** A semver range the device's current version must satisfy; null: any version. */
  fromRange: string | null;
  /** Station codes; empty: every station. */
  stations: string[];
  /** Explicit serials or dock ids; empty: every device that matches. */
  devices: string[];
  canarySize: number;
  /** Percentages of the devices after the canary, summing to 100. */
  groups: number[];
  successThreshold: number;
  errorThreshold: ErrorThreshold;
  approveEachWave: boolean;
  stepTimeoutS: number;
  maxRetries: number;
  minBattery: number;
}

export interface WaveProgress {
  index: number;
  size: number;
  status: WaveStatus;
  counts: StateCounts;
  /** Who approved the wave, when each wave is approved by a person. */
  approvedBy?: string | null;
}

export interface WaitingReason {
  reason: string;
  count: number;
}

export interface Failure {
  kind?: DeviceKind;
  device: string;
  wave?: number;
  reason: string;
  at: string;
}

/** Lists answer either a bare array or the paged envelope; the screens take both. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
export const itemsOf = <T>(r: T[] | Page<T>): T[] => (Array.isArray(r) ? r : r.items);

/** Who may read firmware at all, and who may change it (the auditor reads only). */
export const FIRMWARE_READERS: readonly Role[] = ['it', 'admin', 'auditor'];
export const FIRMWARE_MANAGERS: readonly Role[] = ['it', 'admin'];
