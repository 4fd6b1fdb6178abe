// The authorization matrix, generated from the running platform's route table (issue 14): every
// route × every role × (API token, browser session with its CSRF token), and every route without
// credentials. A route added later is covered without touching this file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLES, type Role } from '../../src/auth/roles.js';
import type { DeclaredRoute } from '../../src/http/route.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { fillPath, identity, type Identity } from '../helpers/identities.js';

type Credential = 'token' | 'session';

/**
 * Where the acting user stands relative to the resource a route names. Station scoping (issue 14,
 * built on another branch) adds 'own station' and 'other station' cases here: fixtures at each
 * station, path values naming them, and the scoped routes expected to refuse the other station.
 * Until then each route is tried once, with path values that name no particular station.
 */
interface StationCase {
  name: string;
  pathValue: (route: DeclaredRoute, param: string) => string;
}
const STATION_CASES: StationCase[] = [{ name: 'unscoped', pathValue: () => 'ZZNOSUCH9' }];

const allows = (route: DeclaredRoute, role: Role) => route.allow === 'public' || route.allow.includes(role);
const label = (r: DeclaredRoute) => `${r.method.toUpperCase()} ${r.path}`;

// Ending a session would log this identity out for the routes after it: try it last.
const sessionEndersLast = (a: DeclaredRoute, b: DeclaredRoute) =>
  Number(a.path.endsWith('/auth/logout')) - Number(b.path.endsWith('/auth/logout'));

describe('authorization matrix', () => {
  let app: TestApp;
  let routes: readonly DeclaredRoute[];
  const people = new Map<Role, Identity>();

  beforeAll(async () => {
    app = await startApp({ LOGIN_RATE_LIMIT: '1000' });
    routes = app.platform.routes;
    const admin = await app.as('admin');
    for (const role of ROLES) people.set(role, await identity(app, admin, role));
  }, 60_000);
  afterAll(() => app.close());

  async function call(route: DeclaredRoute, path: string, headers: Record<string, string>) {
    const hasBody = route.method !== 'get' && route.method !== 'delete';
    const res = await fetch(app.url + path, {
      method: route.method.toUpperCase(),
      headers: { ...headers, ...(hasBody && { 'content-type': 'application/json' }) },
      body: hasBody ? '{}' : undefined,
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, problem: type.includes('problem+json') ? JSON.parse(text) : null };
  }

  /** Audit entries written with this actor: every state change writes one. */
  const auditedBy = async (actorId: string) =>
    (await app.platform.services.audit.list({ actorId }, 1, 0)).total;

  it('is built from a route table that has every capability’s routes', () => {
    const table = routes.map(label);
    expect(table.length).toBeGreaterThanOrEqual(70);
    expect(new Set(table).size).toBe(table.length);
    expect(table).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'GET /api/v1/users',
        'GET /api/v1/audit/verify',
        'POST /api/v1/stations',
        'POST /api/v1/cameras',
        'PATCH /api/v1/docks/:id',
        'POST /api/v1/transfers',
        'POST /api/v1/checkouts',
        'POST /api/v1/checkins',
        'POST /api/v1/shifts',
        'GET /api/v1/stations/:code/readiness',
        'POST /api/v1/cameras/:serial/credentials',
        'GET /api/v1/telemetry/stats',
        'POST /api/v1/clips/:id/review',
        'GET /api/v1/clips/:id/original',
      ]),
    );
    // Deny by default: only logging in is open to anyone.
    expect(routes.filter((r) => r.allow === 'public').map(label)).toEqual(['POST /api/v1/auth/login']);
    for (const r of routes) if (r.allow !== 'public') expect(r.allow.length).toBeGreaterThan(0);
  });

  it('answers 401 to every route but login without credentials, and changes nothing', async () => {
    const before = await auditedBy('anonymous');
    const wrong: string[] = [];
    for (const route of routes) {
      if (route.allow === 'public') continue;
      for (const station of STATION_CASES) {
        const res = await call(
          route,
          fillPath(route.path, (p) => station.pathValue(route, p)),
          {},
        );
        if (res.status !== 401 || res.problem?.type !== '/problems/unauthenticated')
          wrong.push(`${label(route)} [${station.name}] → ${res.status} ${res.problem?.type ?? res.type}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await auditedBy('anonymous')).toBe(before);
  });

  describe.each(
    ROLES.flatMap((role) => (['token', 'session'] as Credential[]).map((c) => [role, c] as const)),
  )('%s with a %s', (role, credential) => {
    it('is refused (403, nothing changes) on every route that does not allow the role', async () => {
      const who = people.get(role)!;
      const before = await auditedBy(who.username);
      const wrong: string[] = [];
      for (const route of routes.filter((r) => !allows(r, role))) {
        for (const station of STATION_CASES) {
          const path = fillPath(route.path, (p) => station.pathValue(route, p));
          const res = await call(route, path, who[credential]);
          if (res.status !== 403 || res.problem?.type !== '/problems/forbidden')
            wrong.push(`${label(route)} [${station.name}] → ${res.status} ${res.problem?.type ?? res.type}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(await auditedBy(who.username)).toBe(before);
    });

    it('is never refused (no 401/403, no 5xx) on a route that allows the role', async () => {
      const who = people.get(role)!;
      const wrong: string[] = [];
      for (const route of routes.filter((r) => allows(r, role)).sort(sessionEndersLast)) {
        for (const station of STATION_CASES) {
          const path = fillPath(route.path, (p) => station.pathValue(route, p));
          const res = await call(route, path, who[credential]);
          if (res.status === 401 || res.status === 403 || res.status >= 500)
            wrong.push(`${label(route)} [${station.name}] → ${res.status} ${res.problem?.type ?? res.type}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  });
});
