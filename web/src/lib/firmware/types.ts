// What the firmware API answers (issue 16's design, §1–4, /api/v1/firmware/…), as the screens use
// it. Written from the design while the API is built beside it: once src/firmware/*.responses.ts
// exists, these should be re-exported from there (like ../types.ts does for the other capabilities)
// so the two cannot drift.
import type { Role } from '../types.js';

export type DeviceKind = 'camera' | 'dock';
export const DEVICE_KINDS: readonly DeviceKind[] = ['camera', 'dock'];

/** A version's entry in the register (`firmware_versions`); a version without one is unreviewed. */
export type VersionStatus = 'approved' | 'blocked';
export type ArtifactStatus = VersionStatus | 'unreviewed';

/** GET /firmware/artifacts (items), GET /firmware/artifacts/:id. */
export interface Artifact {
  id: string;
  kind: DeviceKind;
  model: string;
  version: string;
  size: number;
  sha256: string;
  signature: string;
  keyFingerprint: string;
  notes: string | null;
  uploadedBy: string;
  uploadedAt: string;
  status: ArtifactStatus;
}

/** GET /firmware/versions: one approved or blocked version; `model` may be `*` (every model). */
export interface VersionEntry {
  kind: DeviceKind;
  model: string;
  version: string;
  status: VersionStatus;
  reason: string | null;
  by: string;
  at: string;
}

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];

/** A weekly maintenance window in the station's time zone; `end` < `start` crosses midnight. */
export interface MaintenanceWindow {
  days: Day[];
  start: string;
  end: string;
}

/** GET /firmware/windows (items); PUT /firmware/windows/:station takes `{timeZone, windows}`. */
export interface StationWindows {
  station: string;
  timeZone: string;
  windows: MaintenanceWindow[];
  updatedBy?: string;
  updatedAt?: string;
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

/** GET /firmware/campaigns (items). The settings are echoed as well; the screens read them if there. */
export interface CampaignSummary extends Partial<Omit<CampaignBody, 'name' | 'kind' | 'model'>> {
  id: string;
  name: string;
  kind: DeviceKind;
  model: string;
  version: string;
  status: CampaignStatus;
  pausedReason: string | null;
  currentWave: number | null;
  createdBy: string;
  approvedBy: string | null;
  createdAt: string;
  /** Devices in the campaign. */
  total: number;
  counts: StateCounts;
  rollbackOf?: string | null;
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

/** GET /firmware/campaigns/:id, and the body of the live `firmware:campaign` event. */
export interface CampaignDetail extends CampaignSummary {
  waves: WaveProgress[];
  waiting: WaitingReason[];
  /** The latest 100. */
  failures: Failure[];
}

/** GET /firmware/campaigns/:id/devices (items). */
export interface DeviceUpdate {
  kind: DeviceKind;
  device: string;
  station: string | null;
  model: string;
  fromVersion: string | null;
  wave: number;
  state: UpdateState;
  reason: string | null;
  attempt: number;
  /** Percent downloaded, while downloading. */
  progress?: number | null;
  updatedAt: string;
}

/** POST /firmware/campaigns/preview. */
export interface Preview {
  total: number;
  byStation: Array<{ station: string; count: number }>;
  byVersion: Array<{ version: string; count: number }>;
  waves: Array<{ index: number; size: number }>;
  /** The first 100. */
  excluded: Array<{ device: string; reason: string }>;
  excludedCount: number;
  /** The first 50 device ids. */
  sample: string[];
}

/** GET /firmware/compliance. */
export interface Compliance {
  byModel: Array<{
    kind: DeviceKind;
    model: string;
    /** The highest approved version (null: none approved). */
    latest?: string | null;
    versions: Array<{ version: string; count: number; status: ArtifactStatus }>;
  }>;
  byStation: Array<{
    station: string;
    kind: DeviceKind;
    model: string;
    current: number;
    behind: number;
    blocked: number;
    /** Devices that never reported a version. */
    unknown?: number;
  }>;
  /** The first 200 (of behindCount). */
  behind: Array<{
    kind: DeviceKind;
    id: string;
    station: string | null;
    model: string;
    version: string;
    latest: string;
  }>;
  behindCount?: number;
  /** The devices on blocked versions (of blockedCount). */
  blocked: Array<{
    kind: DeviceKind;
    id: string;
    station: string | null;
    model: string;
    version: string;
    reason: string | null;
  }>;
  blockedCount?: number;
}

/** Lists answer either a bare array or the paged envelope; the screens take both. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
export const itemsOf = <T>(r: T[] | Page<T>): T[] => (Array.isArray(r) ? r : r.items);

/**
 * The live event, as the design states it (server → client, to it/admin/auditor). The server's
 * map (src/realtime/events.ts) gains the same entry; live.ts adds this one to it until it does.
 */
export interface FirmwareServerToClientEvents {
  'firmware:campaign': (c: CampaignDetail) => void;
}

/** Who may read firmware at all, and who may change it (the auditor reads only). */
export const FIRMWARE_READERS: readonly Role[] = ['it', 'admin', 'auditor'];
export const FIRMWARE_MANAGERS: readonly Role[] = ['it', 'admin'];
