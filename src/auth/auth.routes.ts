// Login, logout, who am I, API tokens, and user management for admins.
import type { PassportStatic } from 'passport';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';
import { SecureRouter } from '../http/route.js';
import {
  LoginBody,
  PasswordChangeBody,
  TokenBody,
  TokenParams,
  UserBody,
  UserParams,
  UserPatch,
} from './auth.schemas.js';
import { LoginWaitError, type LoginThrottle } from './login-throttle.js';
import { EVERY_ROLE } from '../shared/roles.js';
import { SESSION_COOKIE, issueCsrfToken } from './session.js';
import type { UsersService } from './users.service.js';
import { z } from 'zod';
import { SessionResponse, TokenResponse, UserResponse } from './auth.responses.js';

const invalidCredentials = () => new AppError('invalid-credentials');

const isInvalidCredentials = (err: unknown) => err instanceof AppError && err.type === 'invalid-credentials';

const asError = (e: unknown) => (e instanceof Error ? e : new Error('authentication failed'));

function logIn(p: PassportStatic, req: Request, res: Response): Promise<Express.User> {
  return new Promise((resolve, reject) => {
    const authenticate = p.authenticate('local', (err: unknown, user: Express.User | false) => {
      if (err) return reject(asError(err));
      if (!user) return reject(invalidCredentials());
      // req.logIn regenerates the session id (no session fixation) before storing the user.
      req.logIn(user, (e) => (e ? reject(asError(e)) : resolve(user)));
    }) as RequestHandler;
    void authenticate(req, res, (e?: unknown) => reject(asError(e)));
  });
}

export function authRoutes(users: UsersService, p: PassportStatic, throttle: LoginThrottle) {
  const api = new SecureRouter();

  api.post(
    '/auth/login',
    {
      allow: 'public',
      body: LoginBody,
      doc: { response: SessionResponse, problems: ['invalid-credentials', 'too-many-login-attempts'] },
    },
    async ({ req, res, body }) => {
      const client = {
        account: body.username.toLowerCase(),
        // An IPv6 client usually holds a whole /56 or /64: count the block, not one address of it.
        address: ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown', 56),
      };
      try {
        const user = await throttle.guard(client, () => logIn(p, req, res), isInvalidCredentials);
        return { user: await users.get(user.username), csrfToken: issueCsrfToken(req) };
      } catch (err) {
        if (err instanceof LoginWaitError) res.set('Retry-After', String(err.retryAfterSeconds));
        throw err;
      }
    },
  );

  api.post('/auth/logout', { allow: EVERY_ROLE, status: 204 }, async ({ req, res, user }) => {
    if (user.via !== 'session') return; // a token has no session: it ends by being revoked
    // Taken before logout, which regenerates the session (and so its id).
    const sessionId = req.sessionID;
    await new Promise<void>((resolve, reject) => req.logout((e) => (e ? reject(e as Error) : resolve())));
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    users.sessionEnded(user.username, sessionId);
  });

  api.get('/me', { allow: EVERY_ROLE, doc: { response: SessionResponse } }, async ({ user, req }) => ({
    user: { ...(await users.get(user.username)), via: user.via },
    ...(user.via === 'session' && { csrfToken: issueCsrfToken(req) }),
  }));

  // Self-service (issue 19). A wrong current password counts as a failed login for the account and
  // address: a session left open cannot be used to guess the password faster than the login page.
  api.post(
    '/auth/password',
    {
      allow: EVERY_ROLE,
      body: PasswordChangeBody,
      doc: {
        summary: 'Change your own password (other browser sessions end; this one and API tokens stay)',
        response: UserResponse,
        problems: ['current-password-wrong', 'password-too-weak', 'too-many-login-attempts'],
      },
    },
    async ({ req, res, user, body, ctx }) => {
      const client = {
        account: user.username.toLowerCase(),
        address: ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown', 56),
      };
      const keep = user.via === 'session' ? req.sessionID : undefined;
      try {
        return await throttle.guard(
          client,
          () => users.changeOwnPassword(user.username, body, ctx, keep),
          (e) => e instanceof AppError && e.type === 'current-password-wrong',
        );
      } catch (err) {
        if (err instanceof LoginWaitError) res.set('Retry-After', String(err.retryAfterSeconds));
        throw err;
      }
    },
  );

  api.get('/auth/tokens', { allow: EVERY_ROLE, doc: { response: z.array(TokenResponse) } }, ({ user }) =>
    users.tokensOf(user.username),
  );
  api.post(
    '/auth/tokens',
    {
      allow: EVERY_ROLE,
      body: TokenBody,
      status: 201,
      doc: { response: TokenResponse.extend({ token: z.string().meta({ description: 'Shown once' }) }) },
    },
    ({ user, body, ctx }) => users.createToken(user.username, body.name, ctx),
  );
  api.delete(
    '/auth/tokens/:id',
    { allow: EVERY_ROLE, params: TokenParams, status: 204, doc: { problems: ['api-token-not-found'] } },
    ({ user, params, ctx }) => users.revokeToken(params.id, user, ctx),
  );

  const admin = ['admin'] as const;
  api.get('/users', { allow: admin, doc: { response: z.array(UserResponse) } }, () => users.list());
  api.post(
    '/users',
    {
      allow: admin,
      body: UserBody,
      status: 201,
      doc: { response: UserResponse, problems: ['username-taken', 'password-too-weak', 'unknown-station'] },
    },
    ({ body, ctx }) => users.create(body, ctx),
  );
  api.get(
    '/users/:username',
    { allow: admin, params: UserParams, doc: { response: UserResponse, problems: ['user-not-found'] } },
    ({ params }) => users.get(params.username),
  );
  api.patch(
    '/users/:username',
    {
      allow: admin,
      params: UserParams,
      body: UserPatch,
      doc: {
        response: UserResponse,
        problems: ['user-not-found', 'cannot-change-own-role', 'password-too-weak', 'unknown-station'],
      },
    },
    ({ params, body, ctx }) => users.update(params.username, body, ctx),
  );

  return api.router;
}
