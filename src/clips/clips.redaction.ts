// The redaction side of a clip's state, for the redaction worker: status, progress, failure, and the
// one derivative (claimed by a unique key, so two workers finishing the same clip cannot both win).
import type { ClipDoc, ClipRisk, DerivativeDoc } from './clips.model.js';
import type { ClipsRepository } from './clips.repository.js';

export class ClipRedactionState {
  constructor(private readonly repo: ClipsRepository) {}

  get(id: string) {
    return this.repo.get(id);
  }
  unfinished() {
    return this.repo.unfinished();
  }
  start(id: string) {
    return this.repo.update(id, { status: 'processing', progress: 0, failure: null });
  }
  progress(id: string, progress: number) {
    return this.repo.update(id, { progress });
  }
  fail(id: string, reason: string, detail: string) {
    return this.repo.update(id, { status: 'failed', failure: { reason, detail } });
  }
  claimDerivative(d: DerivativeDoc) {
    return this.repo.claimDerivative(d);
  }
  notePending(clipId: string, sha256s: string[]) {
    return this.repo.notePending(clipId, sha256s);
  }
  clearPending(sha256s: string[]) {
    return this.repo.clearPending(sha256s);
  }
  stalePending(before: Date) {
    return this.repo.stalePending(before);
  }
  isReferenced(sha256: string) {
    return this.repo.references(sha256);
  }
  derivativeOf(id: string) {
    return this.repo.derivativeOf(id);
  }
  /** A revision's claim (1: the automatic redaction; n + 1: after missed-face mark n). */
  derivativeAt(id: string, revision: number) {
    return this.repo.derivativeAt(id, revision);
  }
  /** Every revision's claim, newest first. */
  derivativesOf(id: string) {
    return this.repo.derivativesOf(id);
  }
  mark(id: string, mark: number) {
    return this.repo.mark(id, mark);
  }
  marksOf(id: string) {
    return this.repo.marksOf(id);
  }
  /** Marks whose revision nobody has claimed yet. */
  unrenderedMarks() {
    return this.repo.unrenderedMarks();
  }
  /**
   * Shows revision `d` as the clip's redacted copy, awaiting review again (an earlier review was of
   * an earlier copy): `processing` while marks are still to be rendered, else `redacted`.
   */
  showRevision(
    id: string,
    d: DerivativeDoc,
    manifestSummary: ClipDoc['manifestSummary'],
    stillRendering: boolean,
  ) {
    const { _id, ...derivative } = d;
    return this.repo.update(id, {
      status: stillRendering ? 'processing' : 'redacted',
      progress: stillRendering ? 0 : 1,
      failure: null,
      derivative,
      manifestSummary,
      review: null,
    });
  }
  /** After marks were rendered (or none is left): back to awaiting review, the copy unchanged. */
  settle(id: string, failure: ClipDoc['failure'] = null) {
    return this.repo.update(id, { status: 'redacted', progress: 1, failure });
  }
  complete(
    id: string,
    d: DerivativeDoc,
    manifestSummary: ClipDoc['manifestSummary'],
    risk: ClipRisk | null = null,
  ) {
    const { _id, ...derivative } = d;
    return this.repo.update(id, {
      status: 'redacted',
      progress: 1,
      failure: null,
      derivative,
      manifestSummary,
      risk,
    });
  }
}
