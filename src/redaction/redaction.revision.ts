// Renders revision n + 1 of a clip's redacted copy after a reviewer marked missed face n: from the
// original, with revision n's boxes plus the marked face followed across frames (rerender.ts). Each
// revision is claimed by inserting `{original}:{revision}` into clip_derivatives, so two workers
// rendering the same revision (agenda's locks are not atomic on FerretDB v1, or a retry after a crash)
// make exactly one; the loser adopts the winner's and removes its own files unless something refers
// to them. Revision n must exist before n + 1 can be rendered from it: a job renders any missing
// revision below its own first (each claimed the same way), so revisions never wait on one another's
// jobs and two marks made at once make one revision each, the later built on the earlier.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditService } from '../audit/index.js';
import type { ClipNotifier, ClipRedactionState, DerivativeDoc } from '../clips/index.js';
import { readJsonBlob } from '../clips/index.js';
import type { EvidenceStore } from '../evidence/index.js';
import type { Logger } from '../logger.js';
import { manifestSummary, type RedactionManifest } from './manifest.js';
import { rerenderClip } from './rerender.js';

const PRODUCED = 'clip.redaction.produce';

export class RevisionWorker {
  constructor(
    private readonly state: ClipRedactionState,
    private readonly store: EvidenceStore,
    private readonly audit: AuditService,
    private readonly notify: ClipNotifier,
    private readonly log: Logger,
    /** Names this worker in the derivative and the audit trail, e.g. `redaction@host:pid`. */
    private readonly workerId: string,
  ) {}

  private get ctx() {
    return { actor: { type: 'job' as const, id: `redaction.render-revision (${this.workerId})` } };
  }

  /** Makes sure revision `revision` of the clip exists and the clip shows the newest one. Idempotent. */
  async process(clipId: string, revision: number, keepAlive: () => Promise<void>): Promise<void> {
    const clip = await this.state.get(clipId);
    if (!clip) return;
    const heartbeat = setInterval(() => void keepAlive().catch(() => undefined), 1_000);
    try {
      await this.revision(clipId, revision);
    } catch (err) {
      this.log.error({ err, clipId, revision }, 'a revision could not be rendered');
      await this.state.settle(clipId, {
        reason: 'revision-failed',
        detail: `Revision ${revision} could not be rendered; the previous redacted copy stands. Mark the face again to retry.`,
      });
      await this.audit.record(this.ctx, {
        action: 'clip.redaction.fail',
        target: { kind: 'clip', id: clipId },
        summary: `Revision ${revision} of clip ${clipId.slice(0, 12)} could not be rendered`,
        changes: { reason: 'revision-failed', revision },
      });
      this.notify(clipId, 'failed', { reason: 'revision-failed', revision });
      return;
    } finally {
      clearInterval(heartbeat);
    }
    await this.show(clipId);
  }

  /** The claim of `revision`, rendering it (and any missing revision below it) if nobody has. */
  private async revision(clipId: string, revision: number): Promise<DerivativeDoc> {
    const have = await this.state.derivativeAt(clipId, revision);
    if (have) {
      await this.audited(clipId, have); // its producer may have died between claim and audit
      return have;
    }
    if (revision < 2) throw new Error(`clip ${clipId} has no automatic redaction to revise`);
    const previous = await this.revision(clipId, revision - 1);
    const mark = await this.state.mark(clipId, revision - 1);
    if (!mark) throw new Error(`clip ${clipId} has no missed-face mark ${revision - 1}`);
    const before = (await readJsonBlob(this.store, previous.manifestSha256)) as RedactionManifest;

    const scratch = path.join(
      this.store.scratchDir(),
      `${clipId}-r${revision}-${randomBytes(6).toString('hex')}`,
    );
    this.log.info({ clipId, revision }, 'rendering a revision');
    let lastProgress = Date.now();
    const manifest = await rerenderClip(this.store.localPath(clipId), `${scratch}.mp4`, {
      previous: before,
      previousSha256: previous.sha256,
      revision,
      missed: {
        mark: mark.mark,
        frame: mark.frame,
        box: mark.box,
        note: mark.note,
        by: mark.by,
        at: mark.at,
      },
      onProgress: (done, total) => {
        if (Date.now() - lastProgress < 1_000) return;
        lastProgress = Date.now();
        const progress = total ? Math.min(0.99, done / total) : 0;
        void this.state.progress(clipId, progress).catch(() => undefined);
        this.notify(clipId, 'progress', { progress, frames: done, revision });
      },
    });
    await writeFile(`${scratch}.json`, JSON.stringify(manifest));
    // Noted before they are committed: a worker dying before the claim leaves them to the sweep.
    const outputs = [await this.store.digest(`${scratch}.mp4`), await this.store.digest(`${scratch}.json`)];
    await this.state.notePending(clipId, outputs);
    const video = await this.store.putFile(`${scratch}.mp4`);
    const manifestBlob = await this.store.putFile(`${scratch}.json`);
    const derivative: DerivativeDoc = {
      _id: `${clipId}:${revision}`,
      sha256: video.sha256,
      size: video.size,
      manifestSha256: manifestBlob.sha256,
      producedBy: this.workerId,
      producedAt: new Date(),
      clip: clipId,
      revision,
      previous: previous.sha256,
    };
    const won = await this.state.claimDerivative(derivative);
    let claimed = derivative;
    if (!won) {
      this.log.warn({ clipId, revision }, 'another worker produced this revision first; ours is discarded');
      for (const b of [video, manifestBlob].filter((x) => x.created)) {
        if (!(await this.state.isReferenced(b.sha256))) await this.store.discard(b.sha256);
      }
      claimed = (await this.state.derivativeAt(clipId, revision))!;
    }
    await this.state.clearPending(outputs);
    await this.audited(clipId, claimed);
    return claimed;
  }

  /** `clip.redaction.produce` for a revision, written once whoever gets here first. */
  private async audited(clipId: string, d: DerivativeDoc) {
    const revision = d.revision ?? 1;
    if (revision === 1) return; // the first redaction's own worker audits it (redaction.worker.ts)
    await this.audit.recordOnce(this.ctx, {
      key: `${PRODUCED}:${clipId}:${revision}`,
      action: PRODUCED,
      target: { kind: 'clip', id: clipId },
      summary: `Revision ${revision} of the redacted copy of clip ${clipId.slice(0, 12)} produced: ${d.sha256.slice(0, 12)} (a missed face added)`,
      changes: {
        original: clipId,
        derivative: d.sha256,
        manifest: d.manifestSha256,
        producedBy: d.producedBy,
        revision,
        previous: d.previous,
        mark: revision - 1,
      },
    });
  }

  /**
   * Shows the newest revision on the clip, awaiting review again, unless it already does: a job run
   * again after the newest revision was approved changes nothing.
   */
  private async show(clipId: string) {
    const [newest] = await this.state.derivativesOf(clipId);
    const clip = await this.state.get(clipId);
    if (!newest || !clip) return;
    const rev = newest.revision ?? 1;
    const pending = async () => (await this.state.marksOf(clipId)).some((m) => m.revision > rev);
    if (clip.derivative?.sha256 === newest.sha256 && (clip.derivative.revision ?? 1) === rev) {
      if (clip.status === 'processing' && !(await pending())) await this.state.settle(clipId);
      return;
    }
    const manifest = (await readJsonBlob(this.store, newest.manifestSha256)) as RedactionManifest;
    await this.state.showRevision(clipId, newest, manifestSummary(manifest), await pending());
    // A mark made while this was written: its job renders it; meanwhile the clip is not reviewable.
    if (await pending()) await this.state.showRevision(clipId, newest, manifestSummary(manifest), true);
    this.notify(clipId, 'redacted', {
      derivative: newest.sha256,
      manifest: newest.manifestSha256,
      revision: rev,
    });
    this.log.info({ clipId, revision: rev, derivative: newest.sha256 }, 'revision shown for review');
  }
}
