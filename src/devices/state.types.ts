import type { CameraTelemetry, DeviceKind, DockTelemetry } from '../bus/index.js';

export interface Fault {
  code: string;
  message: string;
  since: string;
}

/** What the platform knows about one device now. Kept in memory, persisted coalesced. */
export interface DeviceState {
  kind: DeviceKind;
  id: string;
  online: boolean;
  lastSeen: Date | null;
  /** The latest camera telemetry (cameras only). */
  camera: CameraTelemetry | null;
  /** The latest dock telemetry (docks only). */
  dock: DockTelemetry | null;
  faults: Fault[];
  /** Messages from this device that failed the topic contract and were dropped. */
  malformed: number;
  updatedAt: Date;
}

export interface HistorySample {
  t: Date;
  battery?: number;
  charging?: boolean;
  storageUsedMb?: number;
  recording?: boolean;
  docked?: boolean;
  /** Docks: occupied slots. */
  occupied?: number;
}
