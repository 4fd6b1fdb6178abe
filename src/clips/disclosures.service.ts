// The disclosure log (ICO guidance on disclosing CCTV and body-worn footage: record the date, the
// recipient and the reason of every disclosure). Only a clip whose current redacted copy was approved
// is disclosed, and only that redacted copy: the record keeps its SHA-256 and size, the download
// serves the blob with exactly that hash, and the original (the clip's own hash) can never be named
// by a disclosure. Each disclosure and each download is in the audit trail.
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import type { EvidenceStore } from '../evidence/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { ActionContext } from '../shared/index.js';
import type { Page } from '../shared/paging.js';
import type { DisclosureDoc } from './clips.model.js';
import type { ClipsRepository } from './clips.repository.js';
import type { DisclosureResponse } from './clips.responses.js';
import type { DisclosureInput } from './clips.schemas.js';
import type { DisclosureFilter, DisclosuresRepository } from './disclosures.repository.js';

const downloadPath = (d: Pick<DisclosureDoc, '_id' | 'clip'>) =>
  `/api/v1/clips/${d.clip}/disclosures/${d._id}/file`;

const view = (d: DisclosureDoc): DisclosureResponse => ({
  id: d._id,
  clip: d.clip,
  camera: d.camera,
  recordedFrom: d.recordedFrom.toISOString(),
  revision: d.revision,
  sha256: d.sha256,
  size: d.size,
  recipient: d.recipient,
  reason: d.reason,
  by: d.by,
  at: d.at.toISOString(),
  download: downloadPath(d),
});

export class Disclosures {
  constructor(
    private readonly clips: ClipsRepository,
    private readonly repo: DisclosuresRepository,
    private readonly store: EvidenceStore,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
  ) {}

  async disclose(clipId: string, input: DisclosureInput, ctx: ActionContext): Promise<DisclosureResponse> {
    const clip = await this.clips.get(clipId);
    if (!clip) throw notFound('clip', clipId);
    const d = clip.derivative;
    if (clip.status !== 'approved' || !d) {
      throw new AppError('clip-not-approved', `Clip is ${clip.status}`);
    }
    // Belt and braces: whatever the state says, the original is never what leaves.
    if (d.sha256 === clip._id) throw new Error(`clip ${clipId}: derivative names the original`);
    const size = await this.store.size(d.sha256);
    if (size !== d.size) throw new Error(`clip ${clipId}: redacted copy ${d.sha256} missing or changed`);
    const doc: DisclosureDoc = {
      _id: randomUUID(),
      clip: clipId,
      camera: clip.camera,
      recordedFrom: clip.recordedFrom,
      revision: d.revision ?? 1,
      sha256: d.sha256,
      size: d.size,
      recipient: input.recipient,
      reason: input.reason,
      by: ctx.actor.id,
      at: new Date(),
    };
    await this.repo.insert(doc);
    await this.audit.record(ctx, {
      action: 'clip.disclosure',
      target: { kind: 'clip', id: clipId },
      summary: `Redacted copy of clip ${clipId.slice(0, 12)} disclosed to ${input.recipient} by ${ctx.actor.id}`,
      changes: {
        disclosure: doc._id,
        recipient: doc.recipient,
        reason: doc.reason,
        sha256: doc.sha256,
        size: doc.size,
        revision: doc.revision,
      },
    });
    this.events.publish('clip.disclosed', { clipId, disclosureId: doc._id, sha256: doc.sha256 });
    return view(doc);
  }

  async list(filter: DisclosureFilter, limit: number, offset: number): Promise<Page<DisclosureResponse>> {
    if (filter.clip && !(await this.clips.get(filter.clip))) throw notFound('clip', filter.clip);
    const { items, total } = await this.repo.list(filter, limit, offset);
    return { items: items.map(view), total, limit, offset };
  }

  /** The disclosed file, for download; each download is audited before a byte is sent. */
  async file(clipId: string, disclosureId: string, ctx: ActionContext) {
    const d = await this.repo.get(disclosureId);
    if (!d || d.clip !== clipId) {
      if (!(await this.clips.get(clipId))) throw notFound('clip', clipId);
      throw notFound('disclosure', disclosureId);
    }
    if (d.sha256 === d.clip) throw new Error(`disclosure ${disclosureId} names the original`);
    await this.audit.record(ctx, {
      action: 'clip.disclosure.download',
      target: { kind: 'clip', id: clipId },
      summary: `Disclosed copy ${disclosureId} of clip ${clipId.slice(0, 12)} (to ${d.recipient}) downloaded by ${ctx.actor.id}`,
      changes: { disclosure: disclosureId, sha256: d.sha256, recipient: d.recipient },
    });
    return {
      sha256: d.sha256,
      size: d.size,
      filename: `clip-${clipId.slice(0, 12)}-r${d.revision}-redacted.mp4`,
      body: this.store.read(d.sha256),
    };
  }
}
