// Firmware artifacts: IT uploads a vendor-signed file; it is kept only if a trusted key verifies the
// signature (write-once, under its SHA-256), recorded once per (kind, model, version), audited and
// published. Devices download what a command has sent them (a grant), nothing else. Each artifact
// is shown with its status in the versions register (approved, blocked, unreviewed).
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import semver from 'semver';
import type { AuditService } from '../audit/index.js';
import type { DeviceKind, DeviceRef } from '../bus/index.js';
import { AppError, notFound } from '../errors.js';
import type { DomainEventBus } from '../events/index.js';
import type { ActionContext } from '../shared/index.js';
import { UploadError, type ArtifactFiles, type Incoming } from './artifacts.files.js';
import type { ArtifactRecord } from './artifacts.model.js';
import { artifactKey, type ArtifactsRepository } from './artifacts.repository.js';
import { decodeSignature, verifySignature, type TrustedKey } from './signing.js';
import type { FirmwarePolicy, FirmwareStatus } from './versions.policy.js';

export interface Artifact {
  id: string;
  kind: DeviceKind;
  model: string;
  version: string;
  size: number;
  sha256: string;
  /** The vendor's Ed25519 signature over the bytes, base64. */
  signature: string;
  keyFingerprint: string;
  notes: string;
  uploadedBy: string;
  uploadedAt: Date;
  /** From the versions register, now. */
  status: FirmwareStatus;
}

export interface UploadInput {
  kind: DeviceKind;
  model: string;
  version: string;
  signature?: string | undefined;
  notes: string;
}

export interface ArtifactFilter {
  kind?: DeviceKind | undefined;
  model?: string | undefined;
}

const refused = (detail: string) => new AppError('firmware-signature-invalid', detail);

export class FirmwareArtifacts {
  constructor(
    private readonly repo: ArtifactsRepository,
    private readonly files: ArtifactFiles,
    private readonly policy: FirmwarePolicy,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly opts: { trustedKeys: readonly TrustedKey[]; maxBytes: number },
  ) {}

  /** Makes the storage folders; removes what a crash left half uploaded. */
  async init(): Promise<void> {
    await this.files.init();
  }

  async get(id: string): Promise<Artifact | null> {
    const r = await this.repo.byId(id);
    return r && this.view(r);
  }

  /** The artifact of that exact (kind, model, version), or null. */
  async find(kind: DeviceKind, model: string, version: string): Promise<Artifact | null> {
    const r = await this.repo.byKey(kind, model, version);
    return r && this.view(r);
  }

  /** Every artifact of the filter: by kind, model, then newest version first. */
  async list(filter: ArtifactFilter = {}): Promise<Artifact[]> {
    const all = (await this.repo.list(filter)).map((r) => this.view(r));
    return all.sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) ||
        a.model.localeCompare(b.model) ||
        semver.rcompare(a.version, b.version),
    );
  }

  /** The artifact or its 404 (for people; devices get theirs through `downloadable`). */
  async existing(id: string): Promise<Artifact> {
    const a = await this.get(id);
    if (!a) throw notFound('firmware-artifact', id);
    return a;
  }

  /** Lets the device download the artifact (before a command names it to the device). Idempotent. */
  grant(device: DeviceRef, artifactId: string): Promise<void> {
    return this.repo.grant({ kind: device.kind, id: device.id }, artifactId);
  }

  /** The path devices download the artifact from (the engine puts its base URL in front). */
  downloadPath(id: string): string {
    return `/api/v1/firmware/artifacts/${id}/download`;
  }

  /**
   * The stored file a device may download, or null: no such artifact, or none was sent to this
   * device (the two are not told apart, so a device learns nothing of artifacts not meant for it).
   */
  async downloadable(
    device: DeviceRef,
    id: string,
  ): Promise<{ root: string; name: string; sha256: string; size: number } | null> {
    if (!(await this.repo.isGranted(device, id))) return null;
    const r = await this.repo.byId(id);
    return r && { root: this.files.root, name: r.sha256, sha256: r.sha256, size: r.size };
  }

  /**
   * Takes an upload: refuses before reading a byte what it can (no keys, no or malformed signature,
   * a version already uploaded, a declared size over the limit), streams the rest to disk, then
   * verifies the signature against every trusted key. Refused: nothing is kept.
   */
  async upload(
    input: UploadInput,
    body: Readable,
    declaredBytes: number | undefined,
    ctx: ActionContext,
  ): Promise<Artifact> {
    const label = `${input.kind} ${input.model} ${input.version}`;
    if (this.opts.trustedKeys.length === 0) {
      throw refused(
        'FIRMWARE_TRUSTED_KEYS is not set: the platform has no vendor key to check signatures with, so it takes no firmware',
      );
    }
    if (!input.signature) {
      throw refused('Send the vendor’s Ed25519 signature of the artifact: ?signature=<base64>');
    }
    const signature = decodeSignature(input.signature);
    if (!signature) throw refused('The signature is not base64 of an Ed25519 signature (64 bytes)');
    if (await this.repo.byKey(input.kind, input.model, input.version)) throw this.exists(label);
    if (declaredBytes !== undefined && declaredBytes > this.opts.maxBytes) {
      throw new AppError(
        'firmware-too-large',
        `The limit is ${this.opts.maxBytes} bytes (FIRMWARE_MAX_BYTES)`,
      );
    }
    const incoming = await this.receive(body);
    let stored = false;
    try {
      if (incoming.size === 0) {
        throw new AppError('validation-failed', 'The artifact is empty', [
          { path: 'body', message: 'no bytes' },
        ]);
      }
      const key = verifySignature(await this.files.read(incoming), signature, this.opts.trustedKeys);
      if (!key) {
        await this.audit.record(ctx, {
          action: 'firmware.artifact.refused',
          target: { kind: 'firmware-artifact', id: artifactKey(input.kind, input.model, input.version) },
          summary: `Firmware ${label} refused: its signature does not verify with any trusted key; nothing kept`,
          changes: { size: incoming.size, sha256: incoming.sha256 },
        });
        throw refused(
          `The signature does not verify over these ${incoming.size} bytes with any of the ${this.opts.trustedKeys.length} trusted keys`,
        );
      }
      const { created } = await this.files.commit(incoming);
      stored = true;
      const record: ArtifactRecord = {
        _id: randomBytes(6).toString('hex'),
        key: artifactKey(input.kind, input.model, input.version),
        kind: input.kind,
        model: input.model,
        version: input.version,
        size: incoming.size,
        sha256: incoming.sha256,
        signature: signature.toString('base64'),
        keyFingerprint: key.fingerprint,
        notes: input.notes,
        uploadedBy: ctx.actor.id,
        uploadedAt: new Date(),
      };
      if (!(await this.repo.insert(record))) {
        // Another upload of this version won while this one streamed. Its bytes stay if a record
        // refers to them (the same file); otherwise this upload's file goes.
        if (created && !(await this.repo.isStored(incoming.sha256))) await this.files.remove(incoming.sha256);
        throw this.exists(label);
      }
      await this.audit.record(ctx, {
        action: 'firmware.artifact.upload',
        target: { kind: 'firmware-artifact', id: record._id },
        summary: `Firmware ${label} uploaded (${record.size} bytes, signed by key ${key.fingerprint.slice(0, 16)}…)`,
        changes: {
          kind: record.kind,
          model: record.model,
          version: record.version,
          size: record.size,
          sha256: record.sha256,
          keyFingerprint: record.keyFingerprint,
        },
      });
      this.events.publish('firmware.artifact-added', {
        artifact: record._id,
        kind: record.kind,
        model: record.model,
        version: record.version,
        sha256: record.sha256,
        size: record.size,
      });
      return this.view(record);
    } finally {
      if (!stored) await this.files.discard(incoming);
    }
  }

  private async receive(body: Readable): Promise<Incoming> {
    try {
      return await this.files.receive(body, this.opts.maxBytes);
    } catch (err) {
      if (!(err instanceof UploadError)) throw err;
      throw err.reason === 'too-large'
        ? new AppError('firmware-too-large', err.message)
        : new AppError('bad-request', err.message);
    }
  }

  private exists(label: string) {
    return new AppError(
      'firmware-version-exists',
      `Firmware ${label} is already uploaded; a version is stored once (upload the fix as a new version)`,
    );
  }

  private view({ _id, key: _key, ...r }: ArtifactRecord): Artifact {
    return { id: _id, ...r, status: this.policy.status(r.kind, r.model, r.version) };
  }
}
