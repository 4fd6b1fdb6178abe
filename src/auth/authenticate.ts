// Who is asking: a request with a bearer token is authenticated by the token alone and never
// touches the session store; any other by its session cookie, with CSRF checked on writes.
import { Router, type RequestHandler } from 'express';
import type { PassportStatic } from 'passport';
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
  return (req, res, next) => (hasBearerToken(req) ? tokenAuth : cookieAuth)(req, res, next);
}
