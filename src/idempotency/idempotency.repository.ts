import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { idempotencyModel, type IdempotencyDoc } from './idempotency.model.js';

export class IdempotencyRepository {
  private readonly model;
  constructor(conn: Connection) {
    this.model = idempotencyModel(conn);
  }

  /** Claims the key by inserting it as pending; false if someone already holds it. */
  async claim(key: string, fingerprint: string): Promise<boolean> {
    try {
      await this.model.create({
        _id: key,
        key,
        fingerprint,
        state: 'pending',
        status: null,
        body: null,
        failed: false,
        createdAt: new Date(),
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  get(key: string) {
    return this.model.findOne({ _id: key }, { _id: 0 }).lean<IdempotencyDoc>();
  }

  /** Only the claimant writes its key, so this plain update has no competing writer. */
  async complete(key: string, status: number, body: unknown, failed: boolean) {
    await this.model.updateOne({ _id: key }, { $set: { state: 'done', status, body, failed } });
  }

  async release(key: string) {
    await this.model.deleteOne({ _id: key });
  }

  /** Removes an abandoned pending claim, unless it has been claimed afresh since it was read. */
  async releaseIfCreatedAt(key: string, createdAt: Date) {
    await this.model.deleteOne({ _id: key, state: 'pending', createdAt });
  }

  async pruneOlderThan(cutoff: Date) {
    return (await this.model.deleteMany({ createdAt: { $lt: cutoff } })).deletedCount;
  }
}
