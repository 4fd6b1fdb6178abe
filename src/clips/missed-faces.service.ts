// Faces the redaction missed, marked by reviewers. A mark is a box on one frame of the original; it is
// numbered by claiming the next free `{clip}:{n}` with an insert (two reviewers marking at once get
// two numbers), and mark n is covered from revision n + 1 of the redacted copy on: a redaction worker
// re-renders it from the original (redaction/redaction.revision.ts). Until then the clip is
// `processing` and cannot be approved (more faces can still be marked); afterwards it is `redacted`
// again, awaiting review.
import type { AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import type { EvidenceStore } from '../evidence/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { ActionContext } from '../shared/index.js';
import type { ClipStatus, MissedFaceDoc } from './clips.model.js';
import type { ClipsRepository } from './clips.repository.js';
import { revisionKey } from './clips.repository.js';
import type { ManifestResponse, MissedFaceResponse } from './clips.responses.js';
import type { MissedFaceInput } from './clips.schemas.js';
import { readJsonBlob } from './clips.service.js';

/**
 * A clip with a redacted copy, awaiting review or reviewed; also while an earlier mark is rendered
 * (`processing` with a copy), so a reviewer can mark several faces in a row. Not while the first
 * redaction runs (no copy yet, nothing to mark on), nor a failed clip.
 */
const MARKABLE: readonly ClipStatus[] = ['redacted', 'approved', 'rejected', 'processing'];
/** Numbers tried after the highest seen, when others claim them at the same moment. */
const CLAIM_ATTEMPTS = 20;

export class MissedFaces {
  constructor(
    private readonly repo: ClipsRepository,
    private readonly store: EvidenceStore,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
  ) {}

  async mark(clipId: string, input: MissedFaceInput, ctx: ActionContext): Promise<MissedFaceResponse> {
    const clip = await this.repo.get(clipId);
    if (!clip) throw notFound('clip', clipId);
    if (!MARKABLE.includes(clip.status) || !clip.derivative) {
      throw new AppError('clip-not-markable', `Clip is ${clip.status}`);
    }
    const manifest = (await readJsonBlob(this.store, clip.derivative.manifestSha256)) as ManifestResponse;
    const { width, height, frames } = manifest.input;
    const { frame, box } = input;
    if (frame >= frames || box.x + box.w > width || box.y + box.h > height) {
      throw new AppError(
        'missed-face-outside-clip',
        `The clip has frames 0–${frames - 1} of ${width}×${height} pixels`,
      );
    }

    const marks = await this.repo.marksOf(clipId);
    let n = (marks.at(-1)?.mark ?? 0) + 1;
    let doc: MissedFaceDoc | null = null;
    for (let i = 0; i < CLAIM_ATTEMPTS && !doc; i++, n++) {
      const candidate: MissedFaceDoc = {
        _id: `${clipId}:${n}`,
        clip: clipId,
        mark: n,
        revision: n + 1,
        frame,
        box,
        note: input.note ?? null,
        by: ctx.actor.id,
        at: new Date(),
      };
      if (await this.repo.insertMark(candidate)) doc = candidate;
    }
    if (!doc) throw new Error(`could not number a missed-face mark on clip ${clipId}`);

    await this.repo.update(clipId, { status: 'processing', progress: 0, failure: null });
    await this.audit.record(ctx, {
      action: 'clip.redaction.missed-face',
      target: { kind: 'clip', id: clipId },
      summary: `Missed face marked on frame ${frame} of clip ${clipId.slice(0, 12)} by ${ctx.actor.id}: revision ${doc.revision} to be rendered`,
      changes: {
        mark: doc.mark,
        revision: doc.revision,
        frame,
        box,
        note: doc.note,
        status: { from: clip.status, to: 'processing' },
        derivative: clip.derivative.sha256,
      },
    });
    this.events.publish('clip.missed-face-marked', { clipId, mark: doc.mark, revision: doc.revision });
    return this.view(doc, null);
  }

  async list(clipId: string): Promise<MissedFaceResponse[]> {
    if (!(await this.repo.get(clipId))) throw notFound('clip', clipId);
    const marks = await this.repo.marksOf(clipId);
    const claimed = new Map(
      (await this.repo.derivativesOf(clipId)).map((d) => [revisionKey(clipId, d.revision ?? 1), d.sha256]),
    );
    return marks.map((m) => this.view(m, claimed.get(revisionKey(clipId, m.revision)) ?? null));
  }

  private view(m: MissedFaceDoc, derivative: string | null): MissedFaceResponse {
    return {
      id: m._id,
      clip: m.clip,
      mark: m.mark,
      revision: m.revision,
      frame: m.frame,
      box: m.box,
      note: m.note,
      by: m.by,
      at: m.at.toISOString(),
      derivative,
    };
  }
}
