import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { credentialModel, type DeviceCredentialDoc } from './credentials.model.js';

export class CredentialsRepository {
  private readonly creds;
  constructor(conn: Connection) {
    this.creds = credentialModel(conn);
  }

  hashOf(username: string) {
    return this.creds.findOne({ _id: username }, { _id: 0, hash: 1 }).lean<{ hash: string }>();
  }

  /** Stores the credential, replacing any earlier one for the device. */
  async replace(doc: DeviceCredentialDoc): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.creds.replaceOne({ _id: doc._id }, doc, { upsert: true });
        return;
      } catch (err) {
        // Two first-time upserts raced and the unique index let one insert: update the winner's row.
        if (!isDuplicateKey(err) || attempt > 0) throw err;
      }
    }
  }
}
