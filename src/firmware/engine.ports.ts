// What campaigns and the engine need from outside them, injected at composition so that they
// depend on no other capability directly (and on the artifacts register only through this face).

import type { LiveFacts, RegisterFacts } from './engine.eligibility.js';

export type DeviceKind = 'camera' | 'dock';
export interface DeviceRef {
  kind: DeviceKind;
  id: string;
}

/** A stored, signature-checked firmware artifact (the fields a command carries). */
export interface ArtifactInfo {
  id: string;
  kind: DeviceKind;
  model: string;
  version: string;
  size: number;
  /** Hex. */
  sha256: string;
  /** Ed25519 over the bytes, base64. */
  signature: string;
}

/** The artifacts register (firmware artifacts.*): what the engine reads and grants. */
export interface FirmwareArtifacts {
  get(id: string): Promise<ArtifactInfo | null>;
  find(kind: DeviceKind, model: string, version: string): Promise<ArtifactInfo | null>;
  /** Lets the device download the artifact (idempotent); inserted before the command is published. */
  grant(device: DeviceRef, artifactId: string): Promise<void>;
  /** `/api/v1/firmware/artifacts/<id>/download`. */
  downloadPath(id: string): string;
}

/** Approved and blocked versions (firmware versions.*), kept in memory: every call is synchronous. */
export interface FirmwarePolicy {
  isBlocked(kind: DeviceKind, model: string, version: string): boolean;
  status(kind: DeviceKind, model: string, version: string): 'approved' | 'blocked' | 'unreviewed';
  /** Highest approved version of the model (semver), or null. */
  latestApproved(kind: DeviceKind, model: string): string | null;
  /** The register's entry that decides the version's status (with the reason IT gave), or null. */
  entry(kind: DeviceKind, model: string, version: string): { reason: string | null } | null;
}

/** A device of the register with what it reports (targeting, compliance). */
export interface FleetDevice extends RegisterFacts {
  kind: DeviceKind;
  id: string;
}

/** The register, the live device state and the shift roster. */
export interface FirmwareFleet {
  /** Every device of the kind in the register (optionally of one model). */
  devices(kind: DeviceKind, model?: string): Promise<FleetDevice[]>;
  /** The device's register record read now (null: not registered). */
  register(device: DeviceRef): Promise<RegisterFacts | null>;
  /** What the device last reported (null: never heard from). Synchronous: from memory. */
  live(device: DeviceRef): LiveFacts | null;
  /** The officers on a shift (at any station) at this instant. */
  officersOnShift(at: Date): Promise<Set<string>>;
  /** Whether a station exists. */
  stationExists(code: string): Promise<boolean>;
}

/** Publishes a command to a device (`…/commands`, QoS 1); resolves once the broker has it. */
export type CommandPublisher = (device: DeviceRef, command: Record<string, unknown>) => Promise<unknown>;
