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
