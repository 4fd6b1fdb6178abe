// Group commit: items added while a write is in flight queue up and are written together by the
// next call of `write`, so concurrent requests share round trips (one FerretDB command costs far
// more than one more document in it). Each add() resolves once its item is written, with what
// `write` returned for it; a failed write rejects every item in it.
export class GroupCommit<T, R = void> {
  private pending: Array<{ item: T; resolve: (r: R) => void; reject: (err: unknown) => void }> = [];
  private writing = false;

  constructor(
    /** Writes a batch; returns one result per item, in order. */
    private readonly write: (batch: T[]) => Promise<R[]>,
    private readonly maxBatch = 100,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.writing) void this.writeQueued();
    });
  }

  private async writeQueued() {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const results = await this.write(batch.map((p) => p.item));
        batch.forEach((p, i) => p.resolve(results[i]!));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.writing = false;
  }
}
