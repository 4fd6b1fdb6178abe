import { Schema, type Connection } from 'mongoose';
import type { DeviceKind } from '../bus/index.js';

/** One row per device: issuing new credentials replaces the hash, which revokes the old password. */
export interface DeviceCredentialDoc {
  username: string;
  kind: DeviceKind;
  deviceId: string;
  /** `sha256$<hex>` of the 256-bit random password (see credentials.service.ts for why not scrypt). */
  hash: string;
  issuedAt: Date;
}

const schema = new Schema<DeviceCredentialDoc>(
  {
    username: { type: String, required: true, unique: true },
    kind: { type: String, required: true },
    deviceId: { type: String, required: true },
    hash: { type: String, required: true },
    issuedAt: { type: Date, required: true },
  },
  { collection: 'device_credentials', versionKey: false },
);

export const credentialModel = (conn: Connection) =>
  conn.model<DeviceCredentialDoc>('DeviceCredential', schema);
