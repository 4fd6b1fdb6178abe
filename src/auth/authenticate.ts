// Who is asking: a request with a bearer token is authenticated by the token alone and never
// touches the session store; any other by its session cookie, with CSRF checked on writes.
import { Router, type RequestHandler } from 'express';
import type { PassportStatic } from 'passport';
import { AppError } from '../errors.js';
import { WHILE_PASSWORD_CHANGE_REQUIRED } from '../shared/password-change.js';
import { bearerAuth, hasBearerToken } from './passport.js';
import { csrfProtection } from './session.js';

export function authenticateRequests(session: RequestHandler, passport: PassportStatic): RequestHandler {
  const cookieAuth = Router().use(
    session,
    passport.initialize() as RequestHandler,
    passport.session() as RequestHandler,
    csrfProtection,
  );
  const tokenAuth = bearerAuth(passport);
  const passwordGate: RequestHandler = (req, _res, next) => {
    if (req.user?.mustChangePassword && !WHILE_PASSWORD_CHANGE_REQUIRED.has(`${req.method} ${req.path}`)) {
      return next(new AppError('password-change-required', 'An admin reset your password: choose your own'));
    }
    next();
  };
  return (req, res, next) =>
    (hasBearerToken(req) ? tokenAuth : cookieAuth)(req, res, (err?: unknown) =>
      err === undefined ? passwordGate(req, res, next) : next(err),
    );
}
