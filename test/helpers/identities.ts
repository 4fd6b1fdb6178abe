// Users of a given role with both ways of authenticating: an API token and a browser session (cookie
// plus its CSRF token). For tests that call the API with plain fetch rather than supertest.
import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/shared/roles.js';
import type { TestApp } from './app.js';

export interface Identity {
  username: string;
  role: Role;
  /** Headers of a bearer token. */
  token: Record<string, string>;
  /** Headers of a logged-in session: its cookie and the CSRF token that writes must echo. */
  session: Record<string, string>;
}

async function login(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

/**
 * Creates a user of `role` (through the API, as `admin`) and logs them in both ways. Without
 * `station` the user is force-wide; with it, a stores or inspector user acts only there.
 */
export async function identity(
  app: TestApp,
  admin: Record<string, string>,
  role: Role,
  opts: { station?: string } = {},
): Promise<Identity> {
  const username = `${role}-${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const created = await fetch(`${app.url}/api/v1/users`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({
      username,
      displayName: username,
      role,
      password,
      ...(opts.station && { station: opts.station }),
    }),
  });
  if (created.status !== 201) throw new Error(`create ${role} user: ${created.status}`);
  const session = await login(app.url, username, password);
  const issued = await fetch(`${app.url}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { ...session, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'test' }),
  });
  if (issued.status !== 201) throw new Error(`token for ${username}: ${issued.status}`);
  const { token } = (await issued.json()) as { token: string };
  return { username, role, token: { authorization: `Bearer ${token}` }, session };
}

/** Fills `:name` segments of an express path with the given values, percent-encoded as a client would. */
export function fillPath(path: string, values: (name: string) => string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => encodeSegment(values(name)));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** encodeURIComponent, except that a lone surrogate is sent as UTF-8 of U+FFFD instead of throwing. */
export function encodeSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(LONE_SURROGATE, '\uFFFD'));
  }
}
