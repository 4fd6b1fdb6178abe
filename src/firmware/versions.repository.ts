import type { DeviceKind } from '../bus/index.js';
import type { Connection } from '../db/connection.js';
import { versionId, versionModel, type VersionRecord } from './versions.model.js';

export { versionId };

export class VersionsRepository {
  private readonly versions;
  constructor(conn: Connection) {
    this.versions = versionModel(conn);
  }

  /** The whole register (a few entries per model and release). */
  all() {
    return this.versions.find({}).lean<VersionRecord[]>();
  }

  get(kind: DeviceKind, model: string, version: string) {
    return this.versions.findOne({ _id: versionId(kind, model, version) }).lean<VersionRecord>();
  }

  /** Writes the entry whole (a status change replaces the previous one: the audit trail keeps it). */
  async put(entry: VersionRecord): Promise<void> {
    await this.versions.replaceOne({ _id: entry._id }, entry, { upsert: true });
  }

  /** Removes the entry; true if there was one. */
  async delete(kind: DeviceKind, model: string, version: string): Promise<boolean> {
    return (await this.versions.deleteOne({ _id: versionId(kind, model, version) })).deletedCount > 0;
  }
}
