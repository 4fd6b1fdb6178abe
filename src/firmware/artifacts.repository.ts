import type { DeviceKind, DeviceRef } from '../bus/index.js';
import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { artifactModel, grantModel, type ArtifactRecord } from './artifacts.model.js';

/** The unique key of a (kind, model, version). */
export const artifactKey = (kind: DeviceKind, model: string, version: string) =>
  `${kind}|${model}|${version}`;
/** A grant's `_id`: the device's username, then the artifact. */
export const grantId = (device: DeviceRef, artifact: string) => `${device.kind}:${device.id}|${artifact}`;

export class ArtifactsRepository {
  private readonly artifacts;
  private readonly grants;
  constructor(conn: Connection) {
    this.artifacts = artifactModel(conn);
    this.grants = grantModel(conn);
  }

  /** Inserts the record; false if its (kind, model, version) is already recorded. */
  async insert(a: ArtifactRecord): Promise<boolean> {
    try {
      await this.artifacts.create(a);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  byId(id: string) {
    return this.artifacts.findOne({ _id: id }).lean<ArtifactRecord>();
  }

  byKey(kind: DeviceKind, model: string, version: string) {
    return this.artifacts.findOne({ key: artifactKey(kind, model, version) }).lean<ArtifactRecord>();
  }

  /** Every artifact of the filter (the collection holds one per released version: hundreds at most). */
  list(filter: { kind?: DeviceKind; model?: string }) {
    return this.artifacts
      .find({ ...(filter.kind && { kind: filter.kind }), ...(filter.model && { model: filter.model }) })
      .lean<ArtifactRecord[]>();
  }

  async isStored(sha256: string): Promise<boolean> {
    return (await this.artifacts.countDocuments({ sha256 })) > 0;
  }

  /** Records that the device may download the artifact; a grant already there is left as it is. */
  async grant(device: DeviceRef, artifact: string): Promise<void> {
    try {
      await this.grants.create({ _id: grantId(device, artifact), artifact, at: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async isGranted(device: DeviceRef, artifact: string): Promise<boolean> {
    return (await this.grants.countDocuments({ _id: grantId(device, artifact) })) > 0;
  }
}
