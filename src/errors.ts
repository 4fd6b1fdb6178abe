// Operational errors the domain raises on purpose, and their problem+json form (RFC 9457).
// Anything that is not an AppError is a programmer error: logged with its stack, answered as a bare 500.
import type { ZodError } from 'zod';

export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'unsupported-media'
  | 'unprocessable'
  | 'too-large'
  | 'too-many'
  | 'unavailable';

const statusOf: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'unsupported-media': 415,
  unprocessable: 422,
  'too-large': 413,
  'too-many': 429,
  unavailable: 503,
};

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly kind: ErrorKind,
    /** Stable slug of the problem type, e.g. `camera-already-issued`; clients branch on it. */
    readonly type: string,
    /** Short human summary of the problem type; the same for every occurrence. */
    readonly title: string,
    /** What went wrong this time, safe to show to the user. */
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
    this.status = statusOf[kind];
  }
}

export const problemTypeUri = (slug: string) => `/problems/${slug}`;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

export function toProblem(err: AppError, instance?: string): Problem {
  return {
    type: problemTypeUri(err.type),
    title: err.title,
    status: err.status,
    ...(err.detail === undefined ? {} : { detail: err.detail }),
    ...(instance === undefined ? {} : { instance }),
    ...(err.errors ? { errors: err.errors } : {}),
  };
}

export function fromZod(where: string, error: ZodError): AppError {
  const errors = error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return new AppError('invalid', 'validation-failed', 'The request is not valid', `Invalid ${where}`, errors);
}

/** Common problems used across capabilities. */
export const notFound = (what: string, id: string) =>
  new AppError('not-found', `${what}-not-found`, `No such ${what}`, `No ${what} '${id}'`);
