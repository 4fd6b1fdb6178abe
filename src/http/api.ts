// The /api/v1 stack: JSON bodies only, then authentication (the auth capability's middleware:
// session cookie with CSRF, or bearer token), then the capability routers.
import express, { Router, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { notFoundRoute } from './problems.js';

/**
 * A request that carries a body must declare it as JSON. CSV imports and file uploads (firmware,
 * `application/octet-stream`) read their bodies themselves, once the route has authorised the caller.
 */
const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody || req.is('application/json') || req.is('text/csv') || req.is('application/octet-stream'))
    return next();
  next(
    new AppError(
      'unsupported-media-type',
      `Send application/json; got ${req.get('content-type') ?? 'no content type'}`,
    ),
  );
};

export function apiRouter(opts: {
  bodyLimit: string;
  authenticate: RequestHandler;
  routers: Router[];
}): Router {
  const api = Router();
  api.use(requireJson, express.json({ limit: opts.bodyLimit }));
  api.use(opts.authenticate);
  for (const r of opts.routers) api.use(r);
  api.use(notFoundRoute);
  return api;
}
