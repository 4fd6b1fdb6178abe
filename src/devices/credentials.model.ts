import { Schema, type Connection } from 'mongoose';
import { DEVICE_KINDS } from '../bus/index.js';
import type { Stored } from '../db/stored.js';

/** One row per device: issuing new credentials replaces the hash, which revokes the old password. */
const credentialFields = {
  /** The MQTT username (`camera:SERIAL`). It is the `_id` because FerretDB v1 pushes only `_id`
   * lookups down to SQLite; any other key is a collection scan on every CONNECT. */
  _id: { type: String, required: true },
  kind: { type: String, enum: DEVICE_KINDS, required: true },
  deviceId: { type: String, required: true },
  /** `sha256$<hex>` of the 256-bit random password (see credentials.service.ts for why not scrypt). */
  hash: { type: String, required: true },
  issuedAt: { type: Date, required: true },
};
const credentialOptions = { collection: 'device_credentials', versionKey: false } as const;
export type DeviceCredentialDoc = Stored<typeof credentialFields, typeof credentialOptions>;

const schema = new Schema<DeviceCredentialDoc>(credentialFields, credentialOptions);

export const credentialModel = (conn: Connection) =>
  conn.model<DeviceCredentialDoc>('DeviceCredential', schema);
