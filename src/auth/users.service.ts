// People who use the platform, their passwords and their API tokens.
import { createHash, randomBytes } from 'node:crypto';
import type { ActionContext } from '../shared/action-context.js';
import { sessionRef } from '../shared/session-ref.js';
import type { DomainEventBus } from '../events/index.js';
import type { AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import { ReadCache } from '../read-cache.js';
import { assertStrongPassword } from '../shared/password-policy.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';
import type { Role } from '../shared/roles.js';
import type { ApiToken, User, UsersRepository } from './users.repository.js';

export type PublicUser = Pick<
  User,
  | 'username'
  | 'displayName'
  | 'role'
  | 'station'
  | 'active'
  | 'mustChangePassword'
  | 'createdAt'
  | 'updatedAt'
>;
export const publicUser = (u: User): PublicUser => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  station: u.station ?? null,
  active: u.active,
  mustChangePassword: u.mustChangePassword ?? false,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

/** Which stations exist (the people register, wired in the composition root). */
export interface StationDirectory {
  exists(code: string): Promise<boolean>;
}

/** 400 `unknown-station` naming the field, as the people register answers for an officer. */
async function assertStationExists(stations: StationDirectory, code: string | null | undefined) {
  if (code == null || (await stations.exists(code))) return;
  throw new AppError('unknown-station', `No station '${code}'`, [
    { path: 'body.station', message: `unknown station '${code}'` },
  ]);
}

const publicToken = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt,
  revokedAt: t.revokedAt,
});

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export class UsersService {
  // Compared against when the username is unknown, so a miss costs as long as a wrong password.
  private readonly dummyHash = hashPassword(randomBytes(16).toString('hex'));

  // Who a session or token belongs to, asked on every request: kept for `authCacheMs` so a request
  // costs no database round trip for it, and concurrent misses share one lookup. Writes through
  // this service evict at once. `false` caches "no such active user / valid token".
  private readonly activeUsers: ReadCache<User | false>;
  private readonly tokenOwners: ReadCache<{ user: User; tokenId: string } | false>;

  constructor(
    private readonly repo: UsersRepository,
    private readonly audit: AuditService,
    /** `user.access-changed` and `user.session-ended`: what was admitted with the old rights ends. */
    private readonly events: DomainEventBus,
    /** A home station must be one of these (issue 19: users were created at stations that do not exist). */
    private readonly stations: StationDirectory,
    authCacheMs = 0,
  ) {
    this.activeUsers = new ReadCache((username) => this.lookUpActiveUser(username), authCacheMs);
    this.tokenOwners = new ReadCache((hash) => this.lookUpTokenOwner(hash), authCacheMs);
  }

  /** The active user with these credentials, or null. */
  async authenticate(username: string, password: string): Promise<User | null> {
    const user = await this.repo.byUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    return ok && user?.active ? user : null;
  }

  async activeUser(username: string): Promise<User | null> {
    return (await this.activeUsers.get(username)) || null;
  }

  private async lookUpActiveUser(username: string): Promise<User | false> {
    const user = await this.repo.byUsername(username);
    return user?.active ? user : false;
  }

  /** Forgets what the caches know of `username` and of its tokens. */
  private evict(username: string) {
    this.activeUsers.evict(username);
    this.tokenOwners.evictWhere((owner) => owner !== false && owner.user.username === username);
  }

  /**
   * First run: with no users at all, create `admin`. Returns the generated password when one had
   * to be made up, so start-up can print it once. Safe to call from several processes at once.
   */
  async ensureFirstAdmin(configured: string | undefined, ctx: ActionContext): Promise<string | null> {
    if ((await this.repo.count()) > 0) return null;
    const password = configured ?? generatePassword();
    const created = await this.repo.insert({
      username: 'admin',
      displayName: 'Administrator',
      role: 'admin',
      passwordHash: await hashPassword(password),
      active: true,
    });
    if (!created) return null; // another process created it first
    await this.audit.record(ctx, {
      action: 'user.create',
      target: { kind: 'user', id: 'admin' },
      summary: 'First-run administrator created',
      changes: { role: 'admin' },
    });
    return configured ? null : password;
  }

  async list(): Promise<PublicUser[]> {
    return (await this.repo.list()).map(publicUser);
  }

  async get(username: string): Promise<PublicUser> {
    const u = await this.repo.byUsername(username);
    if (!u) throw notFound('user', username);
    return publicUser(u);
  }

  async create(
    input: { username: string; displayName: string; role: Role; station?: string | null; password: string },
    ctx: ActionContext,
  ): Promise<PublicUser> {
    assertStrongPassword(input.password, input);
    await assertStationExists(this.stations, input.station);
    const created = await this.repo.insert({
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      station: input.station ?? null,
      passwordHash: await hashPassword(input.password),
      active: true,
    });
    if (!created) {
      throw new AppError('username-taken', `User '${input.username}' exists`);
    }
    this.evict(input.username);
    await this.audit.record(ctx, {
      action: 'user.create',
      target: { kind: 'user', id: input.username },
      summary: `User ${input.username} created with role ${input.role}`,
      changes: { role: input.role, displayName: input.displayName, station: input.station ?? null },
    });
    return publicUser(created);
  }

  async update(
    username: string,
    input: {
      displayName?: string;
      role?: Role;
      station?: string | null;
      active?: boolean;
      password?: string;
    },
    ctx: ActionContext,
  ): Promise<PublicUser> {
    if (username === ctx.actor.id && (input.role !== undefined || input.active === false)) {
      // An admin demoting or disabling themselves could leave the force without one.
      throw new AppError('cannot-change-own-role');
    }
    const { password, ...fields } = input;
    if (password !== undefined) {
      const current = await this.repo.byUsername(username);
      if (!current) throw notFound('user', username);
      assertStrongPassword(password, { username, displayName: input.displayName ?? current.displayName });
    }
    await assertStationExists(this.stations, input.station);
    // An admin who sets someone else's password knows it: that user must choose their own at
    // their next login (authenticate.ts lets them do nothing else until then).
    const reset = password !== undefined && username !== ctx.actor.id;
    const updated = await this.repo.update(username, {
      ...fields,
      ...(password === undefined ? {} : { passwordHash: await hashPassword(password) }),
      ...(password === undefined ? {} : { mustChangePassword: reset }),
    });
    if (!updated) throw notFound('user', username);
    // A new password locks out whoever knew the old one: their sessions and tokens end too.
    const signedOut = password === undefined ? null : await this.signOutEverywhere(username);
    this.evict(username);
    if (input.active === false || input.role !== undefined || input.station !== undefined || signedOut)
      this.events.publish('user.access-changed', { username });
    for (const sessionId of signedOut?.sessions ?? [])
      this.events.publish('user.session-ended', { username, session: sessionRef(sessionId) });
    await this.audit.record(ctx, {
      action: 'user.update',
      target: { kind: 'user', id: username },
      summary: signedOut
        ? `User ${username} updated; new password: ${signedOut.sessions.length} session(s) ended, ${signedOut.tokens.length} API token(s) revoked`
        : `User ${username} updated`,
      changes: {
        ...fields,
        ...(signedOut && {
          password: reset ? 'reset' : 'changed',
          mustChangePassword: reset,
          sessionsEnded: signedOut.sessions.length,
          tokensRevoked: signedOut.tokens.map((t) => t.id),
        }),
      },
    });
    return publicUser(updated);
  }

  /**
   * The user's own change (issue 19): the current password proves it is them, the new one meets the
   * same rules as at creation. Their other browser sessions end (whoever knew the old password is
   * out); this session and their API tokens stay. Clears an admin reset's `mustChangePassword`.
   */
  async changeOwnPassword(
    username: string,
    input: { currentPassword: string; newPassword: string },
    ctx: ActionContext,
    /** The browser session making the change, which stays signed in. */
    keepSession?: string,
  ): Promise<PublicUser> {
    const user = await this.repo.byUsername(username);
    if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
      throw new AppError('current-password-wrong', 'Type the password you log in with now', [
        { path: 'body.currentPassword', message: 'not your current password' },
      ]);
    }
    assertStrongPassword(input.newPassword, user, 'body.newPassword');
    if (input.newPassword === input.currentPassword) {
      throw new AppError('password-too-weak', 'The new password is the current one', [
        { path: 'body.newPassword', message: 'the same as the current password' },
      ]);
    }
    const updated = await this.repo.update(username, {
      passwordHash: await hashPassword(input.newPassword),
      mustChangePassword: false,
    });
    if (!updated) throw notFound('user', username);
    const ended = await this.repo.endSessionsOf(username, keepSession);
    this.evict(username);
    for (const sessionId of ended)
      this.events.publish('user.session-ended', { username, session: sessionRef(sessionId) });
    await this.audit.record(ctx, {
      action: 'user.password-change',
      target: { kind: 'user', id: username },
      summary: `User ${username} changed their password; ${ended.length} other session(s) ended`,
      changes: { password: 'changed', sessionsEnded: ended.length },
    });
    return publicUser(updated);
  }

  /** Ends every browser session of the user and revokes every API token (all processes see it). */
  private async signOutEverywhere(username: string) {
    const [sessions, tokens] = await Promise.all([
      this.repo.endSessionsOf(username),
      this.repo.revokeTokensOf(username, new Date()),
    ]);
    return { sessions, tokens };
  }

  /** A user logged out of this session (already destroyed in the store). */
  sessionEnded(username: string, sessionId: string) {
    this.events.publish('user.session-ended', { username, session: sessionRef(sessionId) });
  }

  /** Creates an API token for the user; the token itself is returned this once only. */
  async createToken(username: string, name: string, ctx: ActionContext) {
    const token = `bwv_${randomBytes(32).toString('base64url')}`;
    const saved = await this.repo.insertToken({
      name,
      username,
      hash: tokenHash(token),
      prefix: token.slice(0, 10),
      createdAt: new Date(),
    });
    await this.audit.record(ctx, {
      action: 'token.create',
      target: { kind: 'api-token', id: saved.id },
      summary: `API token '${name}' created for ${username}`,
    });
    return { ...publicToken(saved), token };
  }

  async tokensOf(username: string) {
    return (await this.repo.tokensOf(username)).map(publicToken);
  }

  /** Owners revoke their own tokens; admins revoke anyone's. */
  async revokeToken(id: string, by: { username: string; role: Role }, ctx: ActionContext) {
    const token = await this.repo.tokenById(id);
    if (!token || (token.username !== by.username && by.role !== 'admin')) throw notFound('api-token', id);
    if (token.revokedAt) return;
    await this.repo.revokeToken(id, new Date());
    this.tokenOwners.evict(token.hash);
    await this.audit.record(ctx, {
      action: 'token.revoke',
      target: { kind: 'api-token', id },
      summary: `API token '${token.name}' of ${token.username} revoked`,
    });
  }

  /** The token's owner, if the token is valid and the owner active. */
  async userForToken(token: string): Promise<{ user: User; tokenId: string } | null> {
    const hash = tokenHash(token);
    return (await this.tokenOwners.get(hash)) || null;
  }

  private async lookUpTokenOwner(hash: string): Promise<{ user: User; tokenId: string } | false> {
    const t = await this.repo.tokenByHash(hash);
    const user = t && (await this.activeUser(t.username));
    return t && user ? { user, tokenId: t.id } : false;
  }
}
