// The one typed map of Socket.IO events between the platform and the dashboard (web/ imports these
// types too). Services never touch socket.io: they call the LiveFeed interface (index.ts).
import type { Viewer } from './access.js';

/** A device as the dashboard shows it: the register's side and the live side, one flat record. */
export interface LiveDevice {
  kind: 'camera' | 'dock';
  id: string;
  station: string | null;
  model?: string | null;
  /** Lifecycle status from the register (cameras). */
  status?: string | null;
  /** Officer number holding the camera (register). */
  holder?: string | null;
  /**
   * Cameras: travelling in a transfer (register). Counted at neither station until received; the
   * row keeps the sending station's `station` so that station's staff still see it.
   */
  inTransit?: boolean;
  online?: boolean;
  lastSeen?: string | null;
  health?: 'ok' | 'warning' | 'fault' | 'offline' | 'unknown';
  reasons?: string[];
  battery?: number | null;
  charging?: boolean | null;
  storage?: { usedMb: number; totalMb: number } | null;
  firmware?: string | null;
  recording?: boolean | null;
  docked?: { dock: string; slot: number } | null;
}

/** Changed fields of one device; `id`, `kind` and `station` always present. */
export type DevicePatch = Pick<LiveDevice, 'kind' | 'id' | 'station'> & Partial<LiveDevice>;

export interface Snapshot {
  at: string;
  /** The sequence number of the last diff included; diffs with a higher seq follow. */
  seq: number;
  viewer: Viewer;
  devices: LiveDevice[];
}

export interface DevicesDiff {
  seq: number;
  at: string;
  changes: DevicePatch[];
}

export type Rag = 'green' | 'amber' | 'red';

export interface OfficerReadiness {
  officer: string;
  name: string;
  camera: string | null;
  /** The camera's health, the same value the API and the fleet list show (null: no camera). */
  cameraHealth: 'ok' | 'warning' | 'fault' | 'offline' | 'unknown' | null;
  rag: Rag;
  /** Why not green, in words an inspector reads at a glance. Empty when green. */
  reasons: string[];
  battery: number | null;
  /** Estimated minutes of battery left at the current drain, when it can be estimated. */
  batteryMinutesLeft: number | null;
  /**
   * In the rollout's scope (eligible under a phase that has started), so counted on the board. True
   * for everyone while no phase has started: a force not using phases counts every officer.
   */
  inScope: boolean;
}

export interface ReadinessBoard {
  station: string;
  at: string;
  shift: { id: string; team: string; start: string; end: string } | null;
  /** The officers on duty who count: in the rollout's scope (everyone while no phase has started). */
  officers: OfficerReadiness[];
  /** On duty but not in the rollout's scope: shown apart, not counted in `working`/`onDuty`. */
  outOfScope: OfficerReadiness[];
  /** True when a rollout phase has started, so scope applies; false: every officer counts. */
  scoped: boolean;
  /** "N of M officers on shift have a working camera" (in-scope officers only). */
  working: number;
  onDuty: number;
}

export interface ReadinessAlert {
  station: string;
  officer: string;
  name: string;
  from: Rag | null;
  to: Rag;
  reasons: string[];
  at: string;
}

/** Counts of a campaign's device updates by state (`waiting`, `sent`, `succeeded`, `failed`, …). */
export type FirmwareUpdateCounts = Record<string, number>;

/** A firmware campaign as lists show it (GET /api/v1/firmware/campaigns). */
export interface FirmwareCampaignSummary {
  id: string;
  name: string;
  kind: 'camera' | 'dock';
  model: string;
  artifact: string;
  version: string;
  fromRange: string | null;
  stations: string[];
  devices: string[];
  canarySize: number;
  groups: number[];
  successThreshold: number;
  errorThreshold: { count: number | null; percent: number | null };
  approveEachWave: boolean;
  stepTimeoutS: number;
  maxRetries: number;
  minBattery: number;
  status: 'creating' | 'awaiting-approval' | 'running' | 'paused' | 'completed' | 'canceled';
  pausedReason: string | null;
  currentWave: number | null;
  createdBy: string;
  approvedBy: string | null;
  rollbackOf: string | null;
  createdAt: string;
  updatedAt: string;
  /** Devices in the campaign. */
  total: number;
  counts: FirmwareUpdateCounts;
}

/** A campaign's page (GET /api/v1/firmware/campaigns/:id), also pushed live as `firmware:campaign`. */
export interface FirmwareCampaignDetail extends FirmwareCampaignSummary {
  waves: Array<{
    index: number;
    size: number;
    status: 'pending' | 'running' | 'awaiting-approval' | 'done';
    approvedBy: string | null;
    counts: FirmwareUpdateCounts;
  }>;
  /** Devices waiting to be eligible, by reason ("officer O123 is on shift", "not docked", …). */
  waiting: Array<{ reason: string; count: number }>;
  /** The latest failures (at most 100), newest first. */
  failures: Array<{ kind: 'camera' | 'dock'; device: string; wave: number; reason: string; at: string }>;
}

export interface ServerToClientEvents {
  snapshot: (s: Snapshot) => void;
  'devices:diff': (d: DevicesDiff) => void;
  'readiness:board': (b: ReadinessBoard) => void;
  'readiness:alert': (a: ReadinessAlert) => void;
  /** A campaign changed (at most twice a second per campaign): to IT, admins and auditors. */
  'firmware:campaign': (c: FirmwareCampaignDetail) => void;
}

export type Ack<T> = (reply: { ok: true; data: T } | { ok: false; error: string }) => void;

export interface ClientToServerEvents {
  /** Ask for a fresh snapshot (the client does so when it notices a gap in diff seqs). */
  resync: (ack: Ack<Snapshot>) => void;
  /**
   * The rows this screen shows (`camera:SERIAL`, `dock:ID`; at most 500): their readings (battery,
   * storage, last seen…) are sent to this socket only, and each is sent whole as it comes into view.
   * Changes to status, holder, station, health, online and firmware reach every viewer in scope.
   */
  view: (view: { devices: string[] }) => void;
  /** Start receiving a station's readiness board (inspectors); answers with the board now. */
  'readiness:watch': (station: string, ack: Ack<ReadinessBoard>) => void;
}

export interface SocketData {
  viewer: Viewer;
  /** The session that opened the socket (server side only): logging out closes its sockets. */
  sessionId: string;
}
