// Offloaded clips: intake with integrity (hash while writing, refuse a mismatch, one clip per hash),
// their redaction state, review, and which file a role may read.
import type { ActionContext } from '../shared/index.js';
import type { Readable } from 'node:stream';
import type { AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import { EvidenceIntegrityError, type EvidenceStore } from '../evidence/index.js';
import type { Page } from '../shared/paging.js';
import type { DomainEventBus } from '../events/index.js';
import type { ClipDoc } from './clips.model.js';
import type { ClipsRepository, ClipFilter } from './clips.repository.js';
import type { ClipContext, ClipNotifier, ClipRefusalReporter } from './clips.ports.js';
import type { OffloadInput } from './clips.schemas.js';

export interface ClipView extends Omit<ClipDoc, '_id'> {
  id: string;
}

// Clips offloaded before the evidential mark existed have neither field: not marked.
const view = ({ _id, ...rest }: ClipDoc): ClipView => ({
  id: _id,
  ...rest,
  evidential: rest.evidential === true,
  evidentialMark: rest.evidentialMark ?? null,
});

export class ClipsService {
  constructor(
    private readonly repo: ClipsRepository,
    private readonly store: EvidenceStore,
    private readonly audit: AuditService,
    private readonly context: ClipContext,
    private readonly notify: ClipNotifier,
    /** `clip.offloaded` (the redaction workers' cue) and `clip.reviewed`. */
    private readonly events: DomainEventBus,
    private readonly maxBytes: number,
    private readonly refused: ClipRefusalReporter = () => undefined,
  ) {}

  async offload(input: OffloadInput, dock: string, body: Readable, ctx: ActionContext) {
    // Before a byte is stored: a refused upload leaves nothing behind.
    const station = await this.stationIfHeld(input.camera, dock);
    let blob;
    try {
      blob = await this.store.put(body, { expectedSha256: input.sha256, maxBytes: this.maxBytes });
    } catch (err) {
      if (!(err instanceof EvidenceIntegrityError)) throw err;
      switch (err.reason) {
        case 'hash-mismatch':
          throw new AppError('clip-hash-mismatch', err.message);
        case 'too-large':
          throw new AppError('clip-too-large', err.message);
        case 'incomplete':
          throw new AppError('clip-incomplete', err.message);
      }
    }
    const holder = await this.context.holderAt(input.camera, input.recordedFrom);
    const doc = {
      _id: blob.sha256,
      camera: input.camera,
      dock,
      station,
      holder,
      recordedFrom: input.recordedFrom,
      recordedTo: input.recordedTo,
      size: blob.size,
      status: 'queued' as const,
      progress: 0,
      failure: null,
      derivative: null,
      manifestSummary: null,
      review: null,
      evidential: false,
      evidentialMark: null,
    };
    const created = await this.repo.insert(doc);
    const clip = await this.get(blob.sha256);
    if (!created) return { created: false, clip };
    await this.audit.record(ctx, {
      action: 'clip.offload',
      target: { kind: 'clip', id: blob.sha256 },
      summary: `Clip from camera ${input.camera} offloaded by dock ${dock} (${blob.size} bytes)`,
      changes: { camera: input.camera, dock, station, holder, size: blob.size, sha256: blob.sha256 },
    });
    // Redaction workers turn this event into the clip's job (a missed one is found by their sweep);
    // the MQTT notice is for systems outside the platform (docs/mqtt.md).
    this.events.publish('clip.offloaded', {
      clipId: blob.sha256,
      camera: input.camera,
      dock,
      station,
      size: blob.size,
    });
    this.notify(blob.sha256, 'offloaded', { camera: input.camera, dock, station, size: blob.size });
    return { created: true, clip };
  }

  /**
   * The dock's station, if the dock can have held the camera: a registered camera of the dock's
   * station, or one sitting in that dock now by its own report (a camera visiting from another
   * station). A dock could offload clips for any camera, even unregistered ones (issue 14, finding 10).
   */
  private async stationIfHeld(camera: string, dock: string): Promise<string | null> {
    const [home, station] = await Promise.all([
      this.context.stationOfCamera(camera),
      this.context.stationOfDock(dock),
    ]);
    if (home === null) {
      this.refuse(
        dock,
        camera,
        'camera-unknown',
        `Dock ${dock} offloaded a clip of camera ${camera}, which is not in the register; refused`,
      );
      throw new AppError('clip-camera-unknown', `Camera ${camera} is not registered`);
    }
    if (home !== station && this.context.dockOfCamera(camera) !== dock) {
      this.refuse(
        dock,
        camera,
        'camera-not-held',
        `Dock ${dock} (station ${station ?? 'none'}) offloaded a clip of camera ${camera} of station ${home}, not docked there; refused`,
      );
      throw new AppError(
        'clip-camera-not-held',
        `Camera ${camera} belongs to another station and is not in dock ${dock}`,
      );
    }
    return station;
  }

  private refuse(
    dock: string,
    camera: string,
    reason: 'camera-unknown' | 'camera-not-held',
    summary: string,
  ) {
    this.refused({
      device: { kind: 'dock', id: dock },
      action: 'clip.offload.refused',
      subject: camera,
      summary,
      changes: { camera, reason },
    });
  }

  async get(id: string): Promise<ClipView> {
    const doc = await this.repo.get(id);
    if (!doc) throw notFound('clip', id);
    return view(doc);
  }

  /** What the rollout's measures read of clips recorded in [from, to). */
  measures(from: Date, to: Date) {
    return this.repo.measures(from, to);
  }

  async list(filter: ClipFilter, limit: number, offset: number): Promise<Page<ClipView>> {
    const { items, total } = await this.repo.list(filter, limit, offset);
    return { items: items.map(view), total, limit, offset };
  }

  async review(id: string, decision: 'approved' | 'rejected', note: string, ctx: ActionContext) {
    const clip = await this.get(id);
    if (clip.status !== 'redacted') {
      throw new AppError('clip-not-reviewable', `Clip is ${clip.status}`);
    }
    const review = { decision, note, by: ctx.actor.id, at: new Date() };
    const updated = await this.repo.update(id, { status: decision, review });
    await this.audit.record(ctx, {
      action: `clip.redaction.${decision === 'approved' ? 'approve' : 'reject'}`,
      target: { kind: 'clip', id },
      summary: `Redaction of clip ${id.slice(0, 12)} ${decision} by ${ctx.actor.id}`,
      changes: { status: { from: 'redacted', to: decision }, note, derivative: clip.derivative?.sha256 },
    });
    this.events.publish('clip.reviewed', { clipId: id, decision });
    this.notify(id, 'reviewed', { decision });
    return view(updated!);
  }

  /**
   * Marks the clip as evidential or takes the mark off (reviewers; any status: evidence is
   * decided by what the footage shows, not by the redaction's progress). Audited with the reason;
   * setting what is already set changes nothing and records nothing.
   */
  async setEvidential(id: string, evidential: boolean, reason: string, ctx: ActionContext) {
    const clip = await this.get(id);
    if (clip.evidential === evidential) return clip;
    const evidentialMark = { evidential, reason, by: ctx.actor.id, at: new Date() };
    const updated = await this.repo.update(id, { evidential, evidentialMark });
    if (!updated) throw notFound('clip', id);
    await this.audit.record(ctx, {
      action: evidential ? 'clip.evidential.mark' : 'clip.evidential.unmark',
      target: { kind: 'clip', id },
      summary: `Clip ${id.slice(0, 12)} ${evidential ? 'marked' : 'no longer marked'} evidential by ${ctx.actor.id}`,
      changes: { evidential: { from: clip.evidential, to: evidential }, reason },
    });
    this.events.publish('clip.evidential-changed', { clipId: id, evidential });
    return view(updated);
  }

  /** The redacted file of a clip, for streaming. */
  async redactedFile(id: string) {
    const clip = await this.get(id);
    if (!clip.derivative) {
      throw new AppError('clip-not-redacted', `Clip is ${clip.status}`);
    }
    return { sha256: clip.derivative.sha256, size: clip.derivative.size };
  }

  /**
   * The manifest stored beside the derivative (its hash is on the derivative): what the reviewer's
   * player draws over the redacted clip. It holds boxes, never pixels, so every clip viewer may read it.
   */
  async manifest(id: string): Promise<unknown> {
    const clip = await this.get(id);
    if (!clip.derivative) {
      throw new AppError('clip-not-redacted', `Clip is ${clip.status}`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of this.store.read(clip.derivative.manifestSha256)) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  }

  /** The unredacted original, for streaming; the access is audited before a byte is sent. */
  async originalFile(id: string, reason: string, range: string | null, ctx: ActionContext) {
    const clip = await this.get(id);
    await this.audit.record(ctx, {
      action: 'clip.original.access',
      target: { kind: 'clip', id },
      summary: `Original of clip ${id.slice(0, 12)} (camera ${clip.camera}) accessed by ${ctx.actor.id}: ${reason}`,
      changes: { reason, range },
    });
    return { sha256: clip.id, size: clip.size };
  }

  readBlob(sha256: string, range?: { start: number; end: number }) {
    return this.store.read(sha256, range);
  }
}
