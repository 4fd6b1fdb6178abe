// The one HTTP error handler: AppErrors become problem+json; everything else is logged with its
// stack and answered as a bare 500 that reveals nothing.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, toProblem } from '../errors.js';

const PROBLEM = 'application/problem+json';

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(
    new AppError('not-found', 'route-not-found', 'No such route', `${req.method} ${req.path} does not exist`),
  );
};

export const problemHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const appError = asAppError(err);
  if (!appError) req.log.error({ err }, 'unhandled error');
  const problem = appError
    ? toProblem(appError, req.originalUrl)
    : { type: 'about:blank', title: 'Internal Server Error', status: 500, instance: req.originalUrl };
  if (res.headersSent) return;
  res.status(problem.status).type(PROBLEM).json(problem);
};

/** Errors raised by body-parser and friends carry a status; map the ones a client can cause. */
function asAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { status?: number; type?: string };
  if (e?.type === 'entity.too.large')
    return new AppError('invalid', 'body-too-large', 'Request body too large');
  if (e?.type === 'entity.parse.failed')
    return new AppError('invalid', 'malformed-json', 'Request body is not valid JSON');
  if (e?.status === 415 || e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') {
    return new AppError('unsupported-media', 'unsupported-media-type', 'Unsupported request encoding');
  }
  return null;
}
