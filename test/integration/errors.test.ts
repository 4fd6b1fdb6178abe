import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createLogger } from '../../src/logger.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newStation } from '../helpers/factories.js';

describe('error responses', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    admin = await app.as('admin');
  });
  afterAll(() => app.close());

  it('answers a malformed body with 400 problem+json naming each bad field', async () => {
    const res = await app
      .http()
      .post('/api/v1/officers')
      .set(admin)
      .send({ number: 'bad number!', qualifications: ['PILOT'] })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: '/problems/validation-failed',
      status: 400,
      title: expect.any(String),
    });
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.number', 'body.name', 'body.station', 'body.qualifications.0']),
    );
  });

  it('validates query strings too', async () => {
    const res = await app.http().get('/api/v1/officers?limit=9999').set(admin).expect(400);
    expect(res.body.errors[0].path).toBe('query.limit');
  });

  it('answers broken JSON with 400 and a non-JSON body with 415', async () => {
    const broken = await app
      .http()
      .post('/api/v1/stations')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"code":')
      .expect(400);
    expect(broken.body.type).toBe('/problems/malformed-json');
    expect(JSON.stringify(broken.body)).not.toMatch(/at .*\.js|SyntaxError|node_modules/);
    const form = await app
      .http()
      .post('/api/v1/stations')
      .set(admin)
      .type('form')
      .send('code=A&name=B')
      .expect(415);
    expect(form.body.type).toBe('/problems/unsupported-media-type');
  });

  it('refuses an oversized body with 400', async () => {
    const res = await app
      .http()
      .post('/api/v1/stations')
      .set(admin)
      .send({ code: 'BIG', name: 'x'.repeat(200_000) })
      .expect(400);
    expect(res.body.type).toBe('/problems/body-too-large');
  });

  it('answers unknown routes with 404 problem+json, inside and outside the API', async () => {
    const api = await app.http().get('/api/v1/no-such-thing').set(admin).expect(404);
    expect(api.body.type).toBe('/problems/route-not-found');
    const other = await app.http().get('/nope').expect(404);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('tags every response with a request id, keeping a sane one the client sent', async () => {
    const res = await app.http().get('/healthz').set('X-Request-Id', 'desk-7.req-42').expect(200);
    expect(res.headers['x-request-id']).toBe('desk-7.req-42');
    const made = await app.http().get('/healthz').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends a strict Content-Security-Policy and no CORS grant', async () => {
    const res = await app.http().get('/healthz').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

/** A raw request: the path exactly as written (no client re-encodes `%zz`), the body as given. */
const rawRequest = (
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
) =>
  new Promise<{ status: number; type: string; body: { type?: string; status?: number } }>(
    (resolve, reject) => {
      const req = httpRequest(`${url}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const type = String(res.headers['content-type'] ?? '');
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: res.statusCode!,
            type,
            body: /json/.test(type) ? (JSON.parse(text) as { type?: string }) : {},
          });
        });
      });
      req.on('error', reject);
      req.end(body);
    },
  );

/** Every route with a path parameter, as the route files declare them: none hand-picked. */
function parameterisedRoutes(): Array<{ method: string; path: string }> {
  const ROUTE = /\.(get|post|put|patch|delete)\(\s*'(\/[^']*:[^']*)'/g;
  const found = new Map<string, { method: string; path: string }>();
  for (const file of readdirSync('src', { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    for (const m of readFileSync(join('src', file), 'utf8').matchAll(ROUTE)) {
      found.set(`${m[1]} ${m[2]}`, { method: m[1]!.toUpperCase(), path: m[2]! });
    }
  }
  return [...found.values()];
}

describe('client input never makes a 500', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let inspector: Record<string, string>;
  /** Every line logged at warn or above while the platform runs. */
  const lines: Array<{ level: number; msg: string }> = [];
  beforeAll(async () => {
    const log = createLogger(
      'warn',
      new Writable({
        write(line: Buffer, _enc, done) {
          lines.push(JSON.parse(line.toString()) as { level: number; msg: string });
          done();
        },
      }),
    );
    app = await startApp({}, log);
    admin = await app.as('admin');
    inspector = await app.as('inspector');
  });
  afterAll(() => app.close());
  beforeEach(() => {
    lines.length = 0;
  });

  /** A 4xx problem of that type, and nothing logged at error level (pino: 50) for it. */
  const expectProblem = (
    res: { status: number; type?: string; headers?: Record<string, string>; body: { type?: string } },
    type: string,
    status = 400,
  ) => {
    expect({ status: res.status, type: res.body.type }).toEqual({ status, type: `/problems/${type}` });
    expect(res.type ?? res.headers?.['content-type']).toMatch(/application\/problem\+json/);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  };

  it.each(['gzip', 'deflate', 'br'])(
    'answers a body declared %s that is not with 400 malformed-body-encoding',
    async (encoding) => {
      const login = await rawRequest(
        app.url,
        'POST',
        '/api/v1/auth/login',
        { 'content-type': 'application/json', 'content-encoding': encoding },
        'not gzip',
      );
      expectProblem(login, 'malformed-body-encoding');
      // The CSV imports read their bodies with their own parser: the same answer.
      const csv = await rawRequest(
        app.url,
        'POST',
        '/api/v1/shifts/import?dryRun=true',
        { ...inspector, 'content-type': 'text/csv', 'content-encoding': encoding },
        'station,team\n',
      );
      expectProblem(csv, 'malformed-body-encoding');
      // The warn line is there: refused input is still visible in the log.
      expect(lines.filter((l) => l.level === 40).length).toBeGreaterThanOrEqual(2);
    },
  );

  it('does not log a body the client abandons half-way as an error', async () => {
    const req = httpRequest(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '1000' },
    });
    req.on('error', () => undefined); // we hang up ourselves
    req.write('{"username":');
    await new Promise((r) => setTimeout(r, 200));
    req.destroy();
    // The old handler logged "unhandled error" within milliseconds of the hang-up.
    await new Promise((r) => setTimeout(r, 1000));
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('still reads a body that is what its Content-Encoding says, and refuses an unknown encoding', async () => {
    const body = JSON.stringify({ username: 'admin', password: 'wrong password' });
    const gzipped = await rawRequest(
      app.url,
      'POST',
      '/api/v1/auth/login',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      gzipSync(body),
    );
    expect(gzipped.body.type).toBe('/problems/invalid-credentials');
    const zstd = await rawRequest(
      app.url,
      'POST',
      '/api/v1/auth/login',
      { 'content-type': 'application/json', 'content-encoding': 'compress' },
      'x',
    );
    expectProblem(zstd, 'unsupported-media-type', 415);
  });

  const routes = parameterisedRoutes();
  it('finds the parameterised routes to try', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toContainEqual({ method: 'GET', path: '/cameras/:serial' });
  });

  it.each(['%zz', '%', '%ff%fe'])(
    'answers a path parameter of bad percent-encoding (%s) with 400 malformed-path on every route',
    async (bad) => {
      for (const { method, path } of routes) {
        const url = `/api/v1${path.replace(/:\w+/g, bad)}`;
        // Signed in (past CSRF and role checks to the router's match), and not.
        for (const headers of [admin, {}]) {
          const res = await rawRequest(app.url, method, url, headers);
          if (method !== 'GET' && Object.keys(headers).length === 0) {
            expect(res.status).toBeGreaterThanOrEqual(400); // may be refused for CSRF first
            expect(res.status).toBeLessThan(500);
            continue;
          }
          expect({ route: `${method} ${path}`, type: res.body.type, status: res.status }).toEqual({
            route: `${method} ${path}`,
            type: '/problems/malformed-path',
            status: 400,
          });
          expectProblem(res, 'malformed-path');
        }
      }
    },
  );

  it.each(['/%zz', '/assets/%ff%fe', '/api/v1/%zz', '/readyz/%'])(
    'answers %s outside the parameterised routes with a 4xx problem',
    async (path) => {
      const res = await rawRequest(app.url, 'GET', path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.type).toMatch(/application\/problem\+json/);
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    },
  );

  it('refuses dates outside the years 2000–2100 on every route that takes one', async () => {
    const station = await newStation(app, admin);
    const serial = await newCamera(app, admin, { station });
    const gets = [
      '/api/v1/shifts?from=275760-09-10',
      '/api/v1/shifts?to=1999-12-31',
      `/api/v1/stations/${station}/on-duty?at=%2B275760-09-13T00:00:00Z`,
      `/api/v1/stations/${station}/on-duty?at=-271821-04-20T00:00:00Z`,
      '/api/v1/audit?from=%2B275760-09-13T00:00:00Z',
      `/api/v1/cameras/${serial}/telemetry?from=%2B275760-09-13T00:00:00Z`,
      `/api/v1/cameras/${serial}/telemetry?to=2101-01-01`,
    ];
    for (const url of gets) {
      const res = await app.http().get(url).set(admin);
      expectProblem(res, 'validation-failed');
      expect(JSON.stringify(res.body.errors)).toMatch(/four-digit year|between the years 2000 and 2100/);
    }
    for (const [start, end] of [
      ['-271821-04-20T00:00:00Z', '-271821-04-20T08:00:00Z'],
      ['+275760-09-12T00:00:00Z', '+275760-09-12T08:00:00Z'],
      ['2101-01-01T00:00:00Z', '2101-01-01T08:00:00Z'],
      // Days that do not exist: the shift's own start/end rules must not see them (the fuzzer's 500).
      ['2026-02-30', '2026-13-01T07:00:00'],
    ]) {
      const res = await app
        .http()
        .post('/api/v1/shifts')
        .set(inspector)
        .send({ station, team: 'A', start, end });
      expectProblem(res, 'validation-failed');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.start', 'body.end']);
    }
    const camera = await app
      .http()
      .post('/api/v1/cameras')
      .set(admin)
      .send({ serial: 'EDGE-1', model: 'VB400', assetTag: 'EDGE-1', station, purchaseDate: '275760-01-01' });
    expectProblem(camera, 'validation-failed');
    expect(camera.body.errors[0].path).toBe('body.purchaseDate');
    // A roster or manifest row with such a date is reported as that row's error.
    const roster = await app
      .http()
      .post('/api/v1/shifts/import?dryRun=true')
      .set(inspector)
      .set('content-type', 'text/csv')
      .send(
        `station,team,start,end,officer\n${station},A,+275760-09-12T00:00:00Z,+275760-09-12T08:00:00Z,O1\n`,
      );
    expect(roster.status).toBe(200);
    expect(roster.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          line: 2,
          path: 'start',
          message: expect.stringMatching(/four-digit year/),
        }),
      ]),
    );
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('still takes the dates it always took, as dates and as date-times', async () => {
    const station = await newStation(app, admin);
    await app
      .http()
      .get('/api/v1/shifts?from=2026-11-25&to=2026-11-26T07:00:00%2B01:00')
      .set(admin)
      .expect(200);
    await app
      .http()
      .get(`/api/v1/stations/${station}/on-duty?at=2026-11-25T07:00:00Z`)
      .set(admin)
      .expect(200);
    const created = await app
      .http()
      .post('/api/v1/shifts')
      .set(inspector)
      .send({ station, team: 'A', start: '2100-12-31T10:00:00Z', end: '2100-12-31T18:00:00Z' })
      .expect(201);
    await app.http().get(`/api/v1/shifts/${created.body.id}`).set(admin).expect(200);
  });

  it('refuses query strings of the wrong shape: repeated keys, huge numbers', async () => {
    const station = await newStation(app, admin);
    for (const url of [
      '/api/v1/shifts?from=2026-11-25&from=2026-11-26',
      `/api/v1/shifts?station=${station}&station=${station}`,
      '/api/v1/officers?limit=1e400',
      '/api/v1/officers?limit=10&limit=20',
      '/api/v1/audit?offset=1e400',
      '/api/v1/audit?offset=99999999999999999999',
    ]) {
      const res = await app.http().get(url).set(admin);
      expectProblem(res, 'validation-failed');
    }
    // The largest offset the schema takes reaches the database, which answers with nothing.
    const far = await app.http().get('/api/v1/audit?offset=9007199254740991').set(admin);
    expect({ status: far.status, items: far.body.items }).toEqual({ status: 200, items: [] });
    const huge = await app
      .http()
      .post('/api/v1/docks')
      .set(admin)
      .set('content-type', 'application/json')
      .send(`{"id":"EDGE-D1","station":"${station}","slots":1e400,"model":"D8"}`);
    expectProblem(huge, 'validation-failed');
    for (const body of ['[]', '"text"', '123']) {
      const res = await app
        .http()
        .post('/api/v1/stations')
        .set(admin)
        .set('content-type', 'application/json')
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.type).toMatch(/^\/problems\/(validation-failed|malformed-json)$/);
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    }
  });
});
