// Group commit for append-only inserts: documents added while a write is in flight queue up and go
// to the database together in the next insertMany, so concurrent requests share round trips (one
// FerretDB command costs far more than one more document in it). Each add() resolves once its
// document is written; a failed write rejects every document in it.
import type { Model } from 'mongoose';

/** Most documents written in one round trip. */
const MAX_BATCH = 200;

export class InsertBatcher<T extends object> {
  private pending: Array<{ doc: T; resolve: () => void; reject: (err: unknown) => void }> = [];
  private writing = false;

  constructor(private readonly model: Model<T>) {}

  add(doc: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ doc, resolve, reject });
      if (!this.writing) void this.writeQueued();
    });
  }

  private async writeQueued() {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      try {
        await this.model.insertMany(
          batch.map((p) => p.doc),
          { ordered: false, lean: true },
        );
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.writing = false;
  }
}
