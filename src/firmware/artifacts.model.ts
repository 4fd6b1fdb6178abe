// Firmware artifacts IT uploaded (signed by the vendor, stored write-once under
// $DATA_DIR/firmware/<sha256>), and the download grants: which device may fetch which artifact.
import { Schema, type Connection } from 'mongoose';
import { DEVICE_KINDS } from '../bus/index.js';
import type { Stored } from '../db/stored.js';

/**
 * One uploaded artifact. `_id` is its id (12 hex digits, random); `key` (`kind|model|version`) is
 * unique: the insert claims the version, so two uploads of one version cannot both be recorded.
 */
const artifactFields = {
  _id: { type: String, required: true },
  key: { type: String, required: true, unique: true },
  kind: { type: String, enum: DEVICE_KINDS, required: true },
  model: { type: String, required: true },
  version: { type: String, required: true },
  size: { type: Number, required: true },
  sha256: { type: String, required: true },
  /** The vendor's Ed25519 signature over the bytes, base64: sent to devices in the command. */
  signature: { type: String, required: true },
  /** SHA-256 of the trusted public key that verified it (signing.ts keyFingerprint). */
  keyFingerprint: { type: String, required: true },
  notes: { type: String, default: '' },
  uploadedBy: { type: String, required: true },
  uploadedAt: { type: Date, required: true },
};
const artifactOptions = { collection: 'firmware_artifacts', versionKey: false } as const;
export type ArtifactRecord = Stored<typeof artifactFields, typeof artifactOptions>;

const artifactSchema = new Schema<ArtifactRecord>(artifactFields, artifactOptions);
artifactSchema.index({ sha256: 1 });

/**
 * A device may download an artifact: `_id` = `<kind>:<id>|<artifact>`, inserted by the update engine
 * before it sends the device the command naming it (idempotent: a second insert is a duplicate).
 */
const grantFields = {
  _id: { type: String, required: true },
  artifact: { type: String, required: true },
  at: { type: Date, required: true },
};
const grantOptions = { collection: 'firmware_grants', versionKey: false } as const;
export type GrantRecord = Stored<typeof grantFields, typeof grantOptions>;

const grantSchema = new Schema<GrantRecord>(grantFields, grantOptions);

export const artifactModel = (conn: Connection) =>
  conn.model<ArtifactRecord>('FirmwareArtifact', artifactSchema);
export const grantModel = (conn: Connection) => conn.model<GrantRecord>('FirmwareGrant', grantSchema);
