import { Types } from 'mongoose';
import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { apiTokenModel, userModel, type ApiTokenDoc, type UserDoc } from './users.model.js';

export type User = UserDoc & { id: string };
export type ApiToken = ApiTokenDoc & { id: string };

const withId = <T extends { _id: Types.ObjectId }>({ _id, ...rest }: T) => ({ ...rest, id: _id.toString() });

export class UsersRepository {
  private readonly users;
  private readonly tokens;
  /** Browser sessions, written by connect-mongo (session.ts, unstringified): read here only to end them. */
  private readonly sessions;
  constructor(conn: Connection) {
    this.users = userModel(conn);
    this.tokens = apiTokenModel(conn);
    this.sessions = conn.collection<{ _id: string }>('sessions');
  }

  async byUsername(username: string): Promise<User | null> {
    const u = await this.users.findOne({ username }).lean();
    return u ? withId(u) : null;
  }

  async count(): Promise<number> {
    return this.users.estimatedDocumentCount();
  }

  /** Inserts; false if the username is taken. */
  async insert(
    user: Omit<UserDoc, 'createdAt' | 'updatedAt' | 'station' | 'mustChangePassword'> & {
      station?: string | null;
    },
  ): Promise<User | false> {
    try {
      const doc = await this.users.create(user);
      return withId(doc.toObject());
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async update(
    username: string,
    set: Partial<
      Pick<UserDoc, 'displayName' | 'role' | 'station' | 'passwordHash' | 'active' | 'mustChangePassword'>
    >,
  ) {
    const u = await this.users
      .findOneAndUpdate({ username }, { $set: set }, { returnDocument: 'after' })
      .lean();
    return u ? withId(u) : null;
  }

  async list(): Promise<User[]> {
    return (await this.users.find().sort({ username: 1 }).lean()).map(withId);
  }

  async insertToken(token: Omit<ApiTokenDoc, 'revokedAt'>): Promise<ApiToken> {
    const doc = await this.tokens.create({ ...token, revokedAt: null });
    return withId(doc.toObject());
  }

  async tokenByHash(hash: string): Promise<ApiToken | null> {
    const t = await this.tokens.findOne({ hash, revokedAt: null }).lean();
    return t ? withId(t) : null;
  }

  async tokenById(id: string): Promise<ApiToken | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const t = await this.tokens.findById(id).lean();
    return t ? withId(t) : null;
  }

  async tokensOf(username: string): Promise<ApiToken[]> {
    return (await this.tokens.find({ username }).sort({ createdAt: -1 }).lean()).map(withId);
  }

  /** Revokes every live token of the user; returns those it revoked. */
  async revokeTokensOf(username: string, at: Date): Promise<ApiToken[]> {
    const live = (await this.tokens.find({ username, revokedAt: null }).lean()).map(withId);
    if (live.length)
      await this.tokens.updateMany({ _id: { $in: live.map((t) => t.id) } }, { $set: { revokedAt: at } });
    return live;
  }

  /** Deletes every browser session logged in as the user (but `keep`); returns their ids. */
  async endSessionsOf(username: string, keep?: string): Promise<string[]> {
    const filter = { 'session.passport.user': username, ...(keep !== undefined && { _id: { $ne: keep } }) };
    const ids = (await this.sessions.find(filter, { projection: { _id: 1 } }).toArray()).map((s) => s._id);
    if (ids.length) await this.sessions.deleteMany({ _id: { $in: ids } });
    return ids;
  }

  async revokeToken(id: string, at: Date) {
    await this.tokens.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
  }
}
