import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { credentialModel, type DeviceCredentialDoc } from './credentials.model.js';

/** Credentials replaced per bulk write (see replaceMany). */
const REPLACE_CHUNK = 50;

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
    // In chunks: one unordered bulk write replacing about a hundred existing credentials or more
    // never returns on the embedded FerretDB, and every later write to the database waits behind it
    // (re-provisioning the demo fleet hung the platform; docs/database.md). 50 replaced in ~0.3 s.
    for (let i = 0; i < docs.length; i += REPLACE_CHUNK) {
      const chunk = docs.slice(i, i + REPLACE_CHUNK);
      try {
        await write(chunk);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        await write(chunk);
      }
    }
  }
}
