// The versions register: firmware versions IT approved or blocked, per kind and model (`*`: every
// model of the kind). A version in neither list is unreviewed. It replaces BLOCKED_FIRMWARE.
import { Schema, type Connection } from 'mongoose';
import { DEVICE_KINDS } from '../bus/index.js';
import type { Stored } from '../db/stored.js';

export const VERSION_STATUSES = ['approved', 'blocked'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** `_id` = `<kind>|<model>|<version>`: one entry per version and model, found by `_id`. */
const versionFields = {
  _id: { type: String, required: true },
  kind: { type: String, enum: DEVICE_KINDS, required: true },
  /** A model of the register, or `*` for every model of the kind. */
  model: { type: String, required: true },
  version: { type: String, required: true },
  status: { type: String, enum: VERSION_STATUSES, required: true },
  /** Why (required to block): shown wherever a device on it is unfit. */
  reason: { type: String, default: '' },
  by: { type: String, required: true },
  at: { type: Date, required: true },
};
const versionOptions = { collection: 'firmware_versions', versionKey: false } as const;
export type VersionRecord = Stored<typeof versionFields, typeof versionOptions>;

const versionSchema = new Schema<VersionRecord>(versionFields, versionOptions);

export const versionModel = (conn: Connection) => conn.model<VersionRecord>('FirmwareVersion', versionSchema);

export const versionId = (kind: string, model: string, version: string) => `${kind}|${model}|${version}`;
