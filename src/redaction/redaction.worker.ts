// Processes one clip: original from evidence storage → redactClip → derivative and manifest into
// evidence storage → claim of the clip's one derivative → state, audit and bus. Idempotent: run it
// again for the same clip (a retry after a crash, a second worker) and it ends with one derivative.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditService } from '../audit/index.js';
import type { ClipDoc, ClipNotifier, ClipRedactionState, ClipRisk, DerivativeDoc } from '../clips/index.js';
import type { EvidenceStore } from '../evidence/index.js';
import type { Logger } from '../logger.js';
import { RedactionInputError } from './errors.js';
import { manifestSummary, type RedactionManifest } from './manifest.js';
import { DEFAULT_PARAMS, redactClip } from './redact.js';
import { assessRisk } from './risk.js';
import { WarmDetector } from './warm-detector.js';

const PRODUCED = 'clip.redaction.produce';
const DONE: ReadonlyArray<ClipDoc['status']> = ['redacted', 'approved', 'rejected', 'failed'];
/** How long the detector's model processes stay loaded after a clip, for the next one. */
const DETECTOR_IDLE_MS = 120_000;

export class RedactionWorker {
  private readonly detector = new WarmDetector(DEFAULT_PARAMS.detector, DETECTOR_IDLE_MS);

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
    return { actor: { type: 'job' as const, id: `redaction.process-clip (${this.workerId})` } };
  }

  /** Ends the detector's model processes (the worker's process is stopping). */
  close(): Promise<void> {
    return this.detector.close();
  }

  /** `keepAlive` is called as work progresses (it extends the job's lock). */
  async process(clipId: string, keepAlive: () => Promise<void>): Promise<void> {
    const clip = await this.state.get(clipId);
    // A clip with a redacted copy is done here, even while `processing` a reviewer's missed face
    // (that is the revision job's work: redaction.revision.ts).
    if (!clip || DONE.includes(clip.status) || clip.derivative) return;
    const claimed = await this.state.derivativeOf(clipId);
    if (claimed) {
      // A previous run claimed the derivative and stopped before recording it on the clip.
      await this.finish(clipId, claimed, null, 'resumed');
      return;
    }
    await this.state.start(clipId);
    this.log.info({ clipId, pid: process.pid }, 'redaction started');
    // Keep the job's lock fresh while we work: a job not touched within its lock lifetime is taken
    // to be dead and handed to another processor (what we want after a crash, not during slow work).
    const heartbeat = setInterval(() => void keepAlive().catch(() => undefined), 1_000);
    try {
      await this.redact(clipId);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async redact(clipId: string) {
    const scratch = path.join(this.store.scratchDir(), `${clipId}-${randomBytes(6).toString('hex')}`);
    let manifest: RedactionManifest;
    let lastProgress = Date.now();
    try {
      manifest = await this.detector.use((detector) =>
        redactClip(this.store.localPath(clipId), `${scratch}.mp4`, {
          detector,
          onProgress: (done, total) => {
            if (Date.now() - lastProgress < 1_000) return;
            lastProgress = Date.now();
            const progress = total ? Math.min(0.99, done / total) : 0;
            void this.state.progress(clipId, progress).catch(() => undefined);
            this.notify(clipId, 'progress', { progress, frames: done });
          },
        }),
      );
    } catch (err) {
      if (!(err instanceof RedactionInputError)) {
        await this.state.fail(clipId, 'processing-error', 'The redaction worker failed; the logs say why');
        this.notify(clipId, 'failed', { reason: 'processing-error' });
        throw err;
      }
      await this.state.fail(clipId, err.reason, err.message);
      await this.audit.record(this.ctx, {
        action: 'clip.redaction.fail',
        target: { kind: 'clip', id: clipId },
        summary: `Redaction of clip ${clipId.slice(0, 12)} failed: ${err.reason}`,
        changes: { reason: err.reason, detail: err.message },
      });
      this.notify(clipId, 'failed', { reason: err.reason, detail: err.message });
      this.log.warn({ clipId, reason: err.reason }, 'redaction failed');
      return;
    }
    await writeFile(`${scratch}.json`, JSON.stringify(manifest));
    // Noted before they are committed: if this worker dies before the claim below, the sweep finds
    // them (discardAbandonedOutputs) instead of leaving unreferenced files in evidence storage.
    const outputs = [await this.store.digest(`${scratch}.mp4`), await this.store.digest(`${scratch}.json`)];
    await this.state.notePending(clipId, outputs);
    const video = await this.store.putFile(`${scratch}.mp4`);
    const manifestBlob = await this.store.putFile(`${scratch}.json`);
    const derivative: DerivativeDoc = {
      _id: clipId,
      sha256: video.sha256,
      size: video.size,
      manifestSha256: manifestBlob.sha256,
      producedBy: this.workerId,
      producedAt: new Date(),
      clip: clipId,
      revision: 1,
      previous: null,
    };
    const won = await this.state.claimDerivative(derivative);
    if (!won) {
      this.log.warn({ clipId }, 'another worker produced this clip’s derivative first; ours is discarded');
      await this.discardUnreferenced([video, manifestBlob].filter((b) => b.created).map((b) => b.sha256));
    }
    await this.state.clearPending(outputs);
    if (won) await this.finish(clipId, derivative, manifest, 'produced');
    else await this.finish(clipId, (await this.state.derivativeOf(clipId))!, null, 'lost');
  }

  /**
   * A losing worker's output must not linger in evidence storage with nothing pointing at it. Content
   * addressing means an identical file may be the winner's own (the same encode): that one stays.
   */
  private async discardUnreferenced(sha256s: string[]) {
    for (const sha256 of sha256s) {
      if (await this.state.isReferenced(sha256)) continue;
      await this.store.discard(sha256);
    }
  }

  /**
   * Outputs noted more than `olderThanMs` ago and never cleared belong to a worker that died between
   * writing them and claiming (no live worker takes that long over those few steps): any that nothing
   * references are removed. Run by the redaction sweep.
   */
  async discardAbandonedOutputs(olderThanMs: number): Promise<number> {
    const stale = await this.state.stalePending(new Date(Date.now() - olderThanMs));
    if (stale.length === 0) return 0;
    let removed = 0;
    for (const sha256 of stale) {
      if (await this.state.isReferenced(sha256)) continue;
      await this.store.discard(sha256);
      removed++;
    }
    await this.state.clearPending(stale);
    if (removed) this.log.info({ removed }, 'removed outputs of redactions that never claimed');
    return removed;
  }

  /**
   * Records the derivative in the audit trail before the clip shows as redacted, so a redacted clip
   * has its entry: the worker that produced it writes it; a run resuming after a worker died between
   * claim and completion writes it unless it is there; a worker that lost the claim leaves it to the
   * winner.
   */
  private async finish(
    clipId: string,
    d: DerivativeDoc,
    manifest: RedactionManifest | null,
    how: 'produced' | 'resumed' | 'lost',
  ) {
    // A run that did not produce the derivative reads its manifest: the clip's summary and risk
    // come from the one manifest that goes with the derivative, whoever wrote it.
    manifest ??= await this.readManifest(d.manifestSha256);
    const risk = clipRisk(manifest);
    const summary = manifest ? manifestSummary(manifest) : null;
    const audited = async () =>
      (await this.audit.list({ action: PRODUCED, targetId: clipId }, 1, 0)).total > 0;
    if (how === 'produced' || (how === 'resumed' && !(await audited()))) {
      await this.audit.record(this.ctx, {
        action: PRODUCED,
        target: { kind: 'clip', id: clipId },
        summary: `Redacted copy of clip ${clipId.slice(0, 12)} produced: ${d.sha256.slice(0, 12)}`,
        changes: {
          original: clipId,
          derivative: d.sha256,
          manifest: d.manifestSha256,
          producedBy: d.producedBy,
          reviewRequired: risk.reviewRequired,
          reasons: risk.reasons.map((r) => r.code),
        },
      });
    }
    await this.state.complete(clipId, d, summary, risk);
    this.notify(clipId, 'redacted', {
      derivative: d.sha256,
      manifest: d.manifestSha256,
      reviewRequired: risk.reviewRequired,
    });
    this.log.info(
      { clipId, derivative: d.sha256, reviewRequired: risk.reviewRequired },
      'redaction finished',
    );
  }

  private async readManifest(sha256: string): Promise<RedactionManifest | null> {
    try {
      return JSON.parse(await readFile(this.store.localPath(sha256), 'utf8')) as RedactionManifest;
    } catch (err) {
      this.log.warn({ err, manifest: sha256 }, 'could not read a redaction manifest');
      return null;
    }
  }
}

/**
 * The clip's copy of the manifest's risk assessment (its thresholds stay in the manifest). Fail-safe:
 * a manifest that could not be read, or one from before assessments, is assessed as it is, which
 * without observations means review required (`not-observed`).
 */
function clipRisk(manifest: RedactionManifest | null): ClipRisk {
  const { reviewRequired, reasons, measures } =
    manifest?.risk ?? assessRisk(manifest ?? { input: { frameRate: '', frames: 0 } });
  return { reviewRequired, reasons, measures: { ...measures } };
}
