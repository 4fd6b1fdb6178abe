import type { Connection } from '../db/connection.js';
import { loginAttemptModel, type LoginAttemptDoc } from './login-attempts.model.js';

export interface Attempt {
  id: string;
  at: Date;
}

export class LoginAttemptsRepository {
  private readonly attempts;
  constructor(conn: Connection) {
    this.attempts = loginAttemptModel(conn);
  }

  async insert(attempt: LoginAttemptDoc): Promise<Attempt> {
    const doc = await this.attempts.create(attempt);
    return { id: doc._id.toString(), at: doc.at };
  }

  /** Attempts on this account, or from this address, since `since`, oldest first. */
  async since(key: { account: string } | { address: string }, since: Date): Promise<Attempt[]> {
    const docs = await this.attempts
      .find({ ...key, at: { $gte: since } }, { at: 1 })
      .sort({ at: 1, _id: 1 })
      .lean();
    return docs.map((d) => ({ id: d._id.toString(), at: d.at }));
  }

  /** Only this attempt's own request writes it, so the unlocked update cannot race. */
  async failedAt(id: string, at: Date) {
    await this.attempts.updateOne({ _id: id }, { $set: { at } });
  }

  async remove(id: string) {
    await this.attempts.deleteOne({ _id: id });
  }

  /** A successful login clears the account's failures (not its address's: others share it). */
  async clearAccount(account: string) {
    await this.attempts.deleteMany({ account });
  }

  async deleteExpired(now: Date) {
    await this.attempts.deleteMany({ expires: { $lt: now } });
  }
}
