// The /api/v1 stack: JSON bodies only, then authentication (session cookie or bearer token),
// CSRF for cookie-authenticated writes, then the capability routers. A request with a bearer token
// is authenticated by the token alone: it never touches the session store.
import express, { Router, type RequestHandler } from 'express';
import type { PassportStatic } from 'passport';
import { bearerAuth, csrfProtection, hasBearerToken } from '../auth/index.js';
import { AppError } from '../errors.js';
import { notFoundRoute } from './problems.js';

/** A request that carries a body must declare it as JSON (CSV routes opt in on their own). */
const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody || req.is('application/json') || req.is('text/csv')) return next();
  next(
    new AppError(
      'unsupported-media',
      'unsupported-media-type',
      'Send application/json',
      `Got ${req.get('content-type') ?? 'no content type'}`,
    ),
  );
};

export function apiRouter(opts: {
  bodyLimit: string;
  session: RequestHandler;
  passport: PassportStatic;
  routers: Router[];
}): Router {
  const api = Router();
  api.use(requireJson, express.json({ limit: opts.bodyLimit }));
  const cookieAuth = Router().use(
    opts.session,
    opts.passport.initialize() as RequestHandler,
    opts.passport.session() as RequestHandler,
    csrfProtection,
  );
  const tokenAuth = bearerAuth(opts.passport);
  api.use((req, res, next) => (hasBearerToken(req) ? tokenAuth : cookieAuth)(req, res, next));
  for (const r of opts.routers) api.use(r);
  api.use(notFoundRoute);
  return api;
}
