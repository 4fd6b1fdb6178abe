import { Schema, type Connection } from 'mongoose';
import type { DeviceKind } from '../bus/index.js';

/** One row per device: issuing new credentials replaces the hash, which revokes the old password. */
export interface DeviceCredentialDoc {
  /** The MQTT username (`camera:SERIAL`). It is the `_id` because FerretDB v1 pushes only `_id`
   * lookups down to SQLite; any other key is a collection scan on every CONNECT. */
  _id: string;
  kind: DeviceKind;
  deviceId: string;
  /** `sha256$<hex>` of the 256-bit random password (see credentials.service.ts for why not scrypt). */
  hash: string;
  issuedAt: Date;
}

const schema = new Schema<DeviceCredentialDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    deviceId: { type: String, required: true },
    hash: { type: String, required: true },
    issuedAt: { type: Date, required: true },
  },
  { collection: 'device_credentials', versionKey: false },
);

export const credentialModel = (conn: Connection) =>
  conn.model<DeviceCredentialDoc>('DeviceCredential', schema);
