// The one HTTP error handler: AppErrors become problem+json; everything else is logged with its
// stack and answered as a bare 500 that reveals nothing.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, toProblem, type ProblemSlug } from '../errors.js';

const PROBLEM = 'application/problem+json';

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new AppError('route-not-found', `${req.method} ${req.path} does not exist`));
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

/** What zlib calls a body that is not what its Content-Encoding says (gzip, deflate, br). */
const DECOMPRESSION_ERROR = /^(Z_|ERR_BROTLI|ERR__ERROR_)/;

/**
 * Errors a client can cause before any route runs, from body-parser, raw-body and the router.
 * Each gets a stable problem type; left unmapped they were 500s logged as errors (issue 14).
 */
function asAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  // The router percent-decodes path parameters (`/cameras/%zz`, `%`, `%ff%fe`) when it matches them.
  if (err instanceof URIError) {
    return new AppError(
      'malformed-path',
      'A path segment has a % that is not followed by two hex digits, or escapes that are not UTF-8',
    );
  }
  const e = err as { status?: unknown; type?: unknown; code?: unknown; expose?: unknown } | null;
  if (e?.type === 'entity.too.large') return new AppError('body-too-large');
  if (e?.type === 'entity.parse.failed') return new AppError('malformed-json');
  if (e?.status === 415 || e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') {
    return new AppError('unsupported-media-type', 'The body’s charset or Content-Encoding is not supported');
  }
  if (typeof e?.code === 'string' && DECOMPRESSION_ERROR.test(e.code)) {
    return new AppError(
      'malformed-body-encoding',
      'The body could not be decompressed as its Content-Encoding header declares',
    );
  }
  // Anything else http-errors marks as the client's fault (`expose`, a 4xx status): an aborted or
  // truncated body, a Content-Length that does not match. Never a 500 for the client's mistake.
  if (e?.expose === true && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError(clientErrorSlug(e.status));
  }
  return null;
}

const clientErrorSlug = (status: number): ProblemSlug =>
  status === 413 ? 'body-too-large' : status === 415 ? 'unsupported-media-type' : 'bad-request';
