import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { credentialModel, type DeviceCredentialDoc } from './credentials.model.js';

export class CredentialsRepository {
  private readonly creds;
  constructor(conn: Connection) {
    this.creds = credentialModel(conn);
  }

  /** Every credential (username and hash), or those issued since `since`. */
  hashes(since?: Date) {
    return this.creds
      .find(since ? { issuedAt: { $gte: since } } : {}, { _id: 1, hash: 1 })
      .lean<Array<{ _id: string; hash: string }>>();
  }

  hashOf(username: string) {
    return this.creds.findOne({ _id: username }, { _id: 0, hash: 1 }).lean<{ hash: string }>();
  }

  /**
   * Stores the credentials, replacing any earlier ones of the same devices. Upserts by `_id` in one
   * unordered bulk write; two first-time upserts of one device that race are settled by the unique
   * `_id` index, and the loser's replacement is then applied as an update of the winner's row.
   */
  async replaceMany(docs: DeviceCredentialDoc[]): Promise<void> {
    const write = (batch: DeviceCredentialDoc[]) =>
      this.creds.bulkWrite(
        batch.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })),
        { ordered: false },
      );
    try {
      await write(docs);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await write(docs);
    }
  }
}
