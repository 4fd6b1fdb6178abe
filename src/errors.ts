// Operational errors the domain raises on purpose, and their problem+json form (RFC 9457).
// Anything that is not an AppError is a programmer error: logged with its stack, answered as a bare 500.
import type { ZodError } from 'zod';
import {
  PROBLEM_TYPES,
  STATUS_OF_KIND,
  problemTypeUri,
  type ErrorKind,
  type NotFoundSubject,
  type ProblemSlug,
} from './shared/problem-types.js';

export { problemTypeUri, type ErrorKind, type ProblemSlug };

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  /** Short human summary of the problem type (src/shared/problem-types.ts); the same every time. */
  readonly title: string;
  constructor(
    /** Stable slug of the problem type, e.g. `camera-already-issued`; clients branch on it. */
    readonly type: ProblemSlug,
    /** What went wrong this time, safe to show to the user. */
    readonly detail?: string,
    readonly errors?: FieldError[],
    /** Extension members of the problem (RFC 9457 §3.2), e.g. a refused check-out's `instead`. */
    readonly extensions?: ProblemExtensions,
  ) {
    const declared = PROBLEM_TYPES[type];
    super(detail ?? declared.title);
    this.kind = declared.kind;
    this.title = declared.title;
    this.status = STATUS_OF_KIND[declared.kind];
  }
}

/** What a check-out refused for the camera suggests: the nearest fit camera to take instead. */
export interface CameraSuggestion {
  serial: string;
  /** Its last reported battery (percent), or null if it never reported. */
  battery: number | null;
}

/** The extension members a problem may carry beside the standard ones. */
export interface ProblemExtensions {
  /** A check-out refused because of the camera: the station's best fit camera, or null if none. */
  instead?: CameraSuggestion | null;
}

export interface Problem extends ProblemExtensions {
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
    ...err.extensions,
  };
}

export function fromZod(where: string, error: ZodError): AppError {
  const errors = error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return new AppError('validation-failed', `Invalid ${where}: ${namedFields(errors)}`, errors);
}

/**
 * The detail names the fields (issue 19: "The request is not valid: Invalid body" told nobody
 * which one): `station: upper-case letters and digits (2–10); password: at least 12 characters`.
 * `errors` carries each one with its full path for forms to mark.
 */
function namedFields(errors: FieldError[]): string {
  const MAX = 3;
  const named = errors.slice(0, MAX).map((e) => {
    const field = e.path.split('.').slice(1).join('.');
    return field ? `${field}: ${e.message}` : e.message;
  });
  const more = errors.length > MAX ? `; and ${errors.length - MAX} more` : '';
  return named.join('; ') + more;
}

/** Common problems used across capabilities. */
export const notFound = (what: NotFoundSubject, id: string) =>
  new AppError(`${what}-not-found`, `No ${what} '${id}'`);
