// The authorization matrix, generated from the running platform's route table (issue 14): every
// route × every role × (API token, browser session with its CSRF token), and every route without
// credentials; then every write route × (own station, other station) for the station-scoped roles.
// A route added later is covered without touching this file, or (a write) fails until classified.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLES, type Role } from '../../src/shared/roles.js';
import { STATION_SCOPED_ROLES } from '../../src/shared/station-scope.js';
import type { DeclaredRoute } from '../../src/http/route.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newDock, newOfficer, newStation } from '../helpers/factories.js';
import { fillPath, identity, type Identity } from '../helpers/identities.js';
import {
  STATION_CASES,
  STATION_FREE,
  type StationFixtures,
  type StationRequest,
} from '../helpers/station-cases.js';

type Credential = 'token' | 'session';
const CREDENTIALS: Credential[] = ['token', 'session'];

/** Path values naming no particular station (the station dimension is its own section below). */
const nowhere = (route: DeclaredRoute) => fillPath(route.path, () => 'ZZNOSUCH9');

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

  /** Calls the route with a JSON body (`{}` unless given) or, with `csv`, a text/csv one. */
  async function call(
    route: DeclaredRoute,
    path: string,
    headers: Record<string, string>,
    payload: { body?: unknown; csv?: string } = {},
  ) {
    const hasBody = route.method !== 'get' && route.method !== 'delete';
    const csv = payload.csv !== undefined;
    const res = await fetch(app.url + path, {
      method: route.method.toUpperCase(),
      headers: { ...headers, ...(hasBody && { 'content-type': csv ? 'text/csv' : 'application/json' }) },
      body: hasBody ? (csv ? payload.csv : JSON.stringify(payload.body ?? {})) : undefined,
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const problem = type.includes('problem+json')
      ? (JSON.parse(text) as { type?: string; detail?: string })
      : null;
    return { status: res.status, type, problem };
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
      const res = await call(route, nowhere(route), {});
      if (res.status !== 401 || res.problem?.type !== '/problems/unauthenticated')
        wrong.push(`${label(route)} → ${res.status} ${res.problem?.type ?? res.type}`);
    }
    expect(wrong).toEqual([]);
    expect(await auditedBy('anonymous')).toBe(before);
  });

  describe.each(ROLES.flatMap((role) => CREDENTIALS.map((c) => [role, c] as const)))(
    '%s with a %s',
    (role, credential) => {
      it('is refused (403, nothing changes) on every route that does not allow the role', async () => {
        const who = people.get(role)!;
        const before = await auditedBy(who.username);
        const wrong: string[] = [];
        for (const route of routes.filter((r) => !allows(r, role))) {
          const res = await call(route, nowhere(route), who[credential]);
          if (res.status !== 403 || res.problem?.type !== '/problems/forbidden')
            wrong.push(`${label(route)} → ${res.status} ${res.problem?.type ?? res.type}`);
        }
        expect(wrong).toEqual([]);
        expect(await auditedBy(who.username)).toBe(before);
      });

      it('is never refused (no 401/403, no 5xx) on a route that allows the role', async () => {
        const who = people.get(role)!;
        const wrong: string[] = [];
        for (const route of routes.filter((r) => allows(r, role)).sort(sessionEndersLast)) {
          const res = await call(route, nowhere(route), who[credential]);
          if (res.status === 401 || res.status === 403 || res.status >= 500)
            wrong.push(`${label(route)} → ${res.status} ${res.problem?.type ?? res.type}`);
        }
        expect(wrong).toEqual([]);
      });
    },
  );

  // The station dimension (docs/api.md "Station scope"): each write route that changes a station's
  // things, as a stores or inspector user whose home station is S1 and as a force-wide one of the
  // same role, with a token and with a session, against S1's things and S2's.
  describe('station scope of writes', () => {
    let admin: Record<string, string>;
    let s1: StationFixtures;
    let s2: StationFixtures;
    /** Stores and inspector users at home station S1, and force-wide ones. */
    const atS1 = new Map<Role, Identity>();
    const forceWide = new Map<Role, Identity>();

    const writes = () => routes.filter((r) => r.method !== 'get');
    const scopedRolesOf = (r: DeclaredRoute) => STATION_SCOPED_ROLES.filter((role) => allows(r, role));
    /** Each station case's route with the station-scoped roles it allows, in table order. */
    const cases = () =>
      writes().flatMap((route) => {
        const c = STATION_CASES[label(route)];
        return c ? [{ route, c, roles: scopedRolesOf(route) }] : [];
      });

    const outcome = (res: { status: number; problem: { type?: string } | null }) =>
      res.status < 300 ? 'done' : res.problem?.type;
    const send = (route: DeclaredRoute, req: StationRequest, headers: Record<string, string>) =>
      call(
        route,
        fillPath(route.path, (p) => req.params?.[p] ?? 'ZZNOSUCH9'),
        headers,
        req.csv !== undefined ? { csv: req.csv } : { body: req.body },
      );

    /** What admins read at these API paths: status and body. */
    const read = (paths: readonly string[]) =>
      Promise.all(
        paths.map(async (p) => {
          const res = await fetch(`${app.url}/api/v1${p}`, { headers: admin });
          return `${p} → ${res.status} ${await res.text()}`;
        }),
      );
    /** Every register at both stations, to compare before and after the refusals. */
    const world = () =>
      read([
        '/stations',
        ...[s1, s2].flatMap(({ station: s }) => [
          `/cameras?station=${s}&limit=500`,
          `/officers?station=${s}&limit=500`,
          `/docks?station=${s}&limit=500`,
          `/transfers?station=${s}&limit=500`,
          `/shifts?station=${s}`,
          `/stations/${s}/stock`,
        ]),
      ]);

    async function post(path: string, body: unknown) {
      const res = await app
        .http()
        .post(`/api/v1${path}`)
        .set(admin)
        .send(body as object);
      if (res.status !== 201) throw new Error(`fixture POST ${path}: ${res.status} ${res.text}`);
      return res.body as { id: string };
    }

    /** One station's things; `incoming` carries a camera from `from`, already built. */
    async function fixtures(station: string, from: string): Promise<StationFixtures> {
      const [officer, holder, stock, spare, issued, sendable, dock, travelling] = await Promise.all([
        newOfficer(app, admin, { station }),
        newOfficer(app, admin, { station }),
        newCamera(app, admin, { station }),
        newCamera(app, admin, { station }),
        newCamera(app, admin, { station }),
        newCamera(app, admin, { station }),
        newDock(app, admin, { station }),
        newCamera(app, admin, { station: from }),
      ]);
      await post('/checkouts', { camera: issued, officer: holder, mode: 'personal' });
      const incoming = await post('/transfers', { cameras: [travelling], to: station });
      // Days ahead, clear of the shifts the cases create within the next hours.
      const start = new Date(Date.now() + 72 * 3_600_000);
      const shift = await post('/shifts', {
        station,
        team: 'FX',
        start,
        end: new Date(start.getTime() + 8 * 3_600_000),
        officers: [],
      });
      return {
        station,
        officer,
        stock,
        spare,
        issued,
        sendable,
        dock,
        shift: shift.id,
        incoming: { id: incoming.id, camera: travelling },
      };
    }

    beforeAll(async () => {
      admin = await app.as('admin');
      const [c1, c2] = [await newStation(app, admin), await newStation(app, admin)];
      [s1, s2] = await Promise.all([fixtures(c1, c2), fixtures(c2, c1)]);
      for (const role of STATION_SCOPED_ROLES) {
        atS1.set(role, await identity(app, admin, role, { station: c1 }));
        forceWide.set(role, await identity(app, admin, role));
      }
    }, 60_000);

    it('classifies every write route: a station case, or station-free with its reason', () => {
      const table = writes().map(label);
      // A new write route must be added to STATION_CASES or STATION_FREE (test/helpers/station-cases.ts).
      expect(table.filter((l) => !(l in STATION_CASES) && !(l in STATION_FREE))).toEqual([]);
      const listed = [...Object.keys(STATION_CASES), ...Object.keys(STATION_FREE)];
      expect(listed.filter((l) => !table.includes(l))).toEqual([]);
      expect(Object.keys(STATION_CASES).filter((l) => l in STATION_FREE)).toEqual([]);
      for (const reason of Object.values(STATION_FREE)) expect(reason.length).toBeGreaterThan(10);
      // A station case no station-scoped role may call would test nothing.
      expect(
        cases()
          .filter(({ roles }) => roles.length === 0)
          .map(({ route }) => label(route)),
      ).toEqual([]);
    });

    // First, while every fixture is as built: refusals depend on nothing the other cases change.
    it('refuses a station-scoped user every write reaching into another station: 403 out-of-station-scope, nothing changed, no audit entry', async () => {
      const before = await world();
      const wrong: string[] = [];
      for (const { route, c, roles } of cases())
        for (const role of roles)
          for (const credential of CREDENTIALS) {
            const who = atS1.get(role)!;
            for (const [i, req] of c.other(s1, s2).entries()) {
              const where = `${label(route)} other #${i + 1} as ${role}@S1 with a ${credential}`;
              const shown = await read(req.shows ?? []);
              const audited = await auditedBy(who.username);
              const res = await send(route, req, who[credential]);
              if (
                res.status !== 403 ||
                res.problem?.type !== '/problems/out-of-station-scope' ||
                !res.problem.detail?.includes(req.outside ?? s2.station)
              )
                wrong.push(
                  `${where} → ${res.status} ${res.problem?.type ?? res.type} ${res.problem?.detail}`,
                );
              const after = await read(req.shows ?? []);
              if (after.join('\n') !== shown.join('\n'))
                wrong.push(`${where} changed: ${shown.join(' | ')} ⇒ ${after.join(' | ')}`);
              if ((await auditedBy(who.username)) !== audited) wrong.push(`${where} wrote an audit entry`);
            }
          }
      expect(wrong).toEqual([]);
      expect(await world()).toEqual(before);
    });

    it('never refuses a station-scoped user a write on its own station’s things', async () => {
      const wrong: string[] = [];
      for (const { route, c, roles } of cases())
        for (const role of roles)
          for (const credential of CREDENTIALS) {
            const res = await send(route, c.own(s1, s2), atS1.get(role)![credential]);
            const where = `${label(route)} own as ${role}@S1 with a ${credential}`;
            if (res.status === 401 || res.status === 403 || res.status >= 500)
              wrong.push(`${where} → ${res.status} ${res.problem?.type ?? res.type} ${res.problem?.detail}`);
            // The first try finds the fixtures as built, so it goes through: scope let it pass.
            else if (credential === 'token' && outcome(res) !== (c.ownAnswer ?? 'done'))
              wrong.push(
                `${where} did not go through: ${res.status} ${res.problem?.type} ${res.problem?.detail}`,
              );
          }
      expect(wrong).toEqual([]);
    });

    it('never refuses a force-wide user of the same role, at either station', async () => {
      const wrong: string[] = [];
      for (const { route, c, roles } of cases())
        for (const role of roles)
          for (const credential of CREDENTIALS)
            for (const [i, req] of [c.own(s1, s2), ...c.other(s1, s2)].entries()) {
              const res = await send(route, req, forceWide.get(role)![credential]);
              if (res.status === 401 || res.status === 403 || res.status >= 500)
                wrong.push(
                  `${label(route)} ${i === 0 ? 'own' : `other #${i}`} as force-wide ${role} with a ${credential} → ${res.status} ${res.problem?.type ?? res.type} ${res.problem?.detail}`,
                );
            }
      expect(wrong).toEqual([]);
    });
  });
});
