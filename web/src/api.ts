// The dashboard's HTTP client: same-origin fetch with the session cookie, the CSRF token on writes,
// and problem+json turned into ApiError so screens can branch on the stable `type`.
import type { Problem as ServerProblem } from '../../src/errors.js';

/** The server's problem+json (src/errors.ts); `type` is `/problems/{slug}` of a declared slug. */
export type Problem = Omit<ServerProblem, 'instance'>;

/** Problems the client itself reports: the server could not be reached, or answered without one. */
export type ClientProblem = 'network' | `http-${number}`;

export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    /** From `Retry-After` (429, 503): how long to wait before trying again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(problem.detail ?? problem.title);
  }
  /** The problem slug, e.g. `camera-already-issued`. */
  get slug() {
    return this.problem.type.replace(/^\/problems\//, '');
  }
}

let csrf: string | null = null;
export const setCsrf = (token: string | null) => {
  csrf = token;
};

export async function api<T>(
  path: string,
  init: {
    method?: string;
    body?: unknown;
    csv?: string;
    /** Sent as it is, `application/octet-stream` (a firmware file): the browser streams it. */
    bytes?: Blob;
    headers?: Record<string, string>;
  } = {},
): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  let body: string | Blob | undefined;
  if (init.bytes !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    body = init.bytes;
  } else if (init.csv !== undefined) {
    headers['Content-Type'] = 'text/csv';
    body = init.csv;
  } else if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ type: '/problems/network', title: 'No connection to the server', status: 0 });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const p = (json ?? {}) as Partial<Problem>;
    const retryAfter = Number(res.headers.get('Retry-After') ?? NaN);
    throw new ApiError(
      {
        type: p.type ?? `/problems/http-${res.status}`,
        title: p.title ?? res.statusText,
        status: res.status,
        ...(p.detail && { detail: p.detail }),
        ...(p.errors && { errors: p.errors }),
        ...(p.instead !== undefined && { instead: p.instead }),
      },
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }
  return json as T;
}
