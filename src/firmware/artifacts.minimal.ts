// A minimal, real artifacts register and version policy over the design's collections
// (`firmware_artifacts`, `firmware_grants`, `firmware_versions`), so that campaigns and the engine
// run and are tested on this branch before the artifacts capability (upload, signatures, download)
// is merged. The integrator replaces it with that capability's FirmwareArtifacts and FirmwarePolicy;
// nothing but the composition refers to this file.
import type { Connection } from 'mongoose';
import semver from 'semver';
import { isDuplicateKey } from '../db/connection.js';
import type {
  ArtifactInfo,
  DeviceKind,
  DeviceRef,
  FirmwareArtifacts,
  FirmwarePolicy,
} from './engine.ports.js';

interface ArtifactRecord extends ArtifactInfo {
  _id: string;
}

interface VersionRecord {
  _id: string;
  kind: DeviceKind;
  model: string;
  version: string;
  status: 'approved' | 'blocked';
  reason: string | null;
}

const view = ({ _id, ...a }: ArtifactRecord): ArtifactInfo => ({
  id: a.id,
  kind: a.kind,
  model: a.model,
  version: a.version,
  size: a.size,
  sha256: a.sha256,
  signature: a.signature,
});

export class MinimalArtifacts implements FirmwareArtifacts {
  constructor(private readonly conn: Connection) {}

  private get artifacts() {
    return this.conn.collection<ArtifactRecord>('firmware_artifacts');
  }

  async get(id: string): Promise<ArtifactInfo | null> {
    const a = await this.artifacts.findOne({ _id: id });
    return a ? view(a) : null;
  }

  async find(kind: DeviceKind, model: string, version: string): Promise<ArtifactInfo | null> {
    const a = await this.artifacts.findOne({ kind, model, version });
    return a ? view(a) : null;
  }

  async grant(device: DeviceRef, artifactId: string): Promise<void> {
    try {
      await this.conn
        .collection<{ _id: string; at: Date }>('firmware_grants')
        .insertOne({ _id: `${device.kind}:${device.id}|${artifactId}`, at: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  downloadPath(id: string): string {
    return `/api/v1/firmware/artifacts/${id}/download`;
  }
}

/** The versions register read into memory, again every `refreshMs`. */
export class MinimalPolicy implements FirmwarePolicy {
  private byKey = new Map<string, VersionRecord>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly conn: Connection,
    private readonly refreshMs: number,
  ) {}

  async start(): Promise<void> {
    await this.load();
    this.timer = setInterval(() => void this.load().catch(() => undefined), this.refreshMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }

  async load(): Promise<void> {
    const all = await this.conn.collection<VersionRecord>('firmware_versions').find({}).toArray();
    this.byKey = new Map(all.map((v) => [`${v.kind}|${v.model}|${v.version}`, v]));
  }

  private record(kind: DeviceKind, model: string, version: string) {
    return this.byKey.get(`${kind}|${model}|${version}`) ?? this.byKey.get(`${kind}|*|${version}`) ?? null;
  }

  isBlocked(kind: DeviceKind, model: string, version: string): boolean {
    return this.record(kind, model, version)?.status === 'blocked';
  }

  status(kind: DeviceKind, model: string, version: string) {
    return this.record(kind, model, version)?.status ?? 'unreviewed';
  }

  reason(kind: DeviceKind, model: string, version: string): string | null {
    return this.record(kind, model, version)?.reason ?? null;
  }

  latestApproved(kind: DeviceKind, model: string): string | null {
    const approved = [...this.byKey.values()]
      .filter((v) => v.kind === kind && (v.model === model || v.model === '*') && v.status === 'approved')
      .map((v) => v.version)
      .filter((v) => semver.valid(v) && !this.isBlocked(kind, model, v));
    return approved.sort(semver.rcompare)[0] ?? null;
  }
}
