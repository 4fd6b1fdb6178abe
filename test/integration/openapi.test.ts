// The API reference is generated from the routes (issue 15, part 6): every route the platform serves,
// with its roles and problem types, is in GET /api/v1/openapi.json; the document is well-formed
// OpenAPI 3.1 whose schemas compile and whose $refs resolve; and /api/docs renders it in a browser.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { declaredRoutes, SecureRouter, type DeclaredRoute } from '../../src/http/route.js';
import { openApiDocument, openApiPath } from '../../src/http/openapi.js';
import { PROBLEM_SLUGS, statusOfProblem, type ProblemSlug } from '../../src/shared/problem-types.js';
import { ROLES } from '../../src/shared/roles.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';
import path from 'node:path';
import { ARTIFACTS, launchChromium, newPage, screenshot, type BrowserHandle } from '../helpers/browser.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
  [k: string]: unknown;
};
type Operation = {
  operationId: string;
  'x-roles': string[];
  'x-problem-types': string[];
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
  security?: unknown[];
};

/** JSON Schema 2020-12 (what OpenAPI 3.1 uses), with the formats our schemas name. */
const newAjv = () =>
  new Ajv2020({
    strict: false,
    allErrors: true,
    formats: {
      'date-time': (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s),
    },
  });

const label = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

/** The routes of `table` the document does not describe, by method and path. */
const undocumented = (table: readonly DeclaredRoute[], doc: Doc) =>
  table.filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method]).map(label);

/**
 * Routes served outside the SecureRouter table: the dock's upload, the devices' firmware download,
 * the probes, the document itself.
 */
const OUTSIDE_THE_TABLE = [
  { method: 'post', path: '/api/v1/clips', roles: ['dock'] },
  { method: 'get', path: '/api/v1/firmware/artifacts/{id}/download', roles: ['camera', 'dock'] },
  { method: 'get', path: '/healthz', roles: ['public'] },
  { method: 'get', path: '/readyz', roles: ['public'] },
  { method: 'get', path: '/api/v1/openapi.json', roles: ['public'] },
] as const;

describe('the API reference', () => {
  let app: TestApp;
  let doc: Doc;

  beforeAll(async () => {
    app = await startApp();
    // Public: it holds no data, and client developers need it before they have credentials.
    const res = await app.http().get('/api/v1/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.body as Doc;
  }, 60_000);
  afterAll(() => app.close());

  it('is OpenAPI 3.1 with every route of the platform, each with its roles', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(app.platform.routes.length).toBeGreaterThanOrEqual(70);
    expect(undocumented(app.platform.routes, doc)).toEqual([]);
    for (const route of app.platform.routes) {
      const op = doc.paths[openApiPath(route.path)]![route.method]!;
      expect({ route: label(route), roles: op['x-roles'] }).toEqual({
        route: label(route),
        roles: route.allow === 'public' ? ['public'] : [...route.allow],
      });
      if (route.allow === 'public') expect(op.security).toEqual([]);
      else expect(op.security).toEqual([{ sessionCookie: [], csrfToken: [] }, { bearerToken: [] }]);
    }
    for (const extra of OUTSIDE_THE_TABLE) {
      expect(doc.paths[extra.path]?.[extra.method]?.['x-roles']).toEqual(extra.roles);
    }
    expect(doc.paths['/api/v1/clips']!.post!.security).toEqual([{ dockBasic: [] }]);
    expect(doc.paths['/api/v1/firmware/artifacts/{id}/download']!.get!.security).toEqual([
      { deviceBasic: [] },
    ]);
    // A route the server does not serve is not in the document either.
    const served = new Set([
      ...app.platform.routes.map(label),
      ...OUTSIDE_THE_TABLE.map((r) => label({ ...r, path: r.path.replace(/\{(\w+)\}/g, ':$1') })),
    ]);
    const documented = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.filter((d) => !served.has(d))).toEqual([]);
  });

  it('lists the problem types each route may answer, each under its status as problem+json', () => {
    const declared = doc['x-problem-types'] as Record<string, { status: number; title: string }>;
    expect(Object.keys(declared).sort()).toEqual([...PROBLEM_SLUGS].sort());
    for (const route of app.platform.routes) {
      const op = doc.paths[openApiPath(route.path)]![route.method]!;
      const problems = op['x-problem-types'];
      const expected = [
        ...(route.allow === 'public' ? [] : ['unauthenticated']),
        ...(route.allow !== 'public' && route.allow.length < ROLES.length ? ['forbidden'] : []),
        ...(route.allow !== 'public' && route.method !== 'get' ? ['csrf-token-invalid'] : []),
        ...(route.body || route.query || route.params ? ['validation-failed'] : []),
        ...(route.doc?.problems ?? []),
      ];
      expect({ route: label(route), missing: expected.filter((p) => !problems.includes(p)) }).toEqual({
        route: label(route),
        missing: [],
      });
      for (const slug of problems) {
        expect(PROBLEM_SLUGS).toContain(slug);
        const response = op.responses[String(statusOfProblem(slug as ProblemSlug))];
        const media = response?.content?.['application/problem+json'];
        expect({ route: label(route), slug, listed: JSON.stringify(media?.schema ?? {}) }).toEqual({
          route: label(route),
          slug,
          listed: expect.stringContaining(`"/problems/${slug}"`),
        });
      }
    }
    // Every declared problem type is one some route may answer (`route-not-found` answers a path
    // no route has), so the per-route lists are complete enough to mention each of them.
    const answered = new Set(
      Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op) => op['x-problem-types'])),
    );
    expect(PROBLEM_SLUGS.filter((s) => !answered.has(s) && s !== 'route-not-found')).toEqual([]);
    // The check-out desk's refusals are part of the contract.
    expect(doc.paths['/api/v1/checkouts']!.post!['x-problem-types']).toEqual(
      expect.arrayContaining(['camera-already-issued', 'officer-already-holds-camera', 'camera-not-found']),
    );
  });

  it('is well-formed: path parameters declared, $refs resolve, every schema compiles (JSON Schema 2020-12)', () => {
    const ajv = newAjv();
    // The document's own outline (the OAS 3.1 meta-schema is not available offline).
    const outline = ajv.compile({
      type: 'object',
      required: ['openapi', 'info', 'paths', 'components'],
      properties: {
        openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
        info: { type: 'object', required: ['title', 'version'] },
        paths: {
          type: 'object',
          propertyNames: { pattern: '^/' },
          additionalProperties: {
            type: 'object',
            propertyNames: { enum: ['get', 'post', 'put', 'patch', 'delete'] },
            additionalProperties: {
              type: 'object',
              required: ['operationId', 'responses'],
              properties: {
                responses: {
                  type: 'object',
                  minProperties: 1,
                  propertyNames: { pattern: '^[1-5]\\d\\d$' },
                  additionalProperties: { type: 'object', required: ['description'] },
                },
                parameters: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['name', 'in'],
                    properties: { in: { enum: ['path', 'query', 'header', 'cookie'] } },
                  },
                },
              },
            },
          },
        },
      },
    });
    expect(outline(doc) ? [] : outline.errors).toEqual([]);

    const operationIds = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    expect(new Set(operationIds).size).toBe(operationIds.length);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect({ op: `${method} ${path}`, params: declared.map((p) => p.name).sort() }).toEqual({
          op: `${method} ${path}`,
          params: [...inPath].sort(),
        });
        for (const p of declared) expect(p.required).toBe(true);
      }
    }

    // Every $ref points at something in the document.
    const refs: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    const resolve = (ref: string) =>
      ref
        .slice(2)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], doc);
    expect(refs.filter((r) => !r.startsWith('#/') || resolve(r) === undefined)).toEqual([]);

    // Every schema (components, parameters, bodies, responses) compiles against the whole document.
    ajv.addSchema({ ...doc, $id: 'https://bwv.invalid/openapi.json' });
    const pointer = (...keys: string[]) =>
      keys.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    let compiled = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          for (const type of Object.keys(response.content ?? {})) {
            ajv.compile({
              $ref: `https://bwv.invalid/openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', type, 'schema')}`,
            });
            compiled++;
          }
        }
      }
    }
    for (const name of Object.keys(doc.components.schemas)) {
      ajv.compile({ $ref: `https://bwv.invalid/openapi.json#/components/schemas/${name}` });
      compiled++;
    }
    expect(compiled).toBeGreaterThan(150);
  });

  it('describes the answers of the main resources as they really are', async () => {
    const admin = await app.as('admin');
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    const camera = await newCamera(app, admin, { station });
    const checkout = await app
      .http()
      .post('/api/v1/checkouts')
      .set(admin)
      .send({ camera, officer, mode: 'personal' })
      .expect(201);
    const ajv = newAjv();
    ajv.addSchema({ ...doc, $id: 'https://bwv.invalid/openapi.json' });
    const validate = (path: string, method: string, status: string, body: unknown) => {
      const schema = doc.paths[path]![method]!.responses[status]!.content!['application/json']!.schema;
      // A described answer, not the empty schema that accepts anything.
      expect({ path, described: Object.keys(schema).length > 0 }).toEqual({ path, described: true });
      const check = ajv.compile({
        $ref: `https://bwv.invalid/openapi.json#/paths/${path.replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema`,
      });
      expect({ path, errors: check(body) ? null : check.errors }).toEqual({ path, errors: null });
    };
    validate('/api/v1/checkouts', 'post', '201', checkout.body);
    for (const [template, url] of [
      ['/api/v1/cameras/{serial}', `/api/v1/cameras/${camera}`],
      ['/api/v1/cameras', `/api/v1/cameras?station=${station}`],
      ['/api/v1/officers/{number}', `/api/v1/officers/${officer}`],
      ['/api/v1/officers', `/api/v1/officers?station=${station}`],
      ['/api/v1/stations', '/api/v1/stations'],
      ['/api/v1/stations/{code}', `/api/v1/stations/${station}`],
      ['/api/v1/stations/{code}/stock', `/api/v1/stations/${station}/stock`],
      ['/api/v1/stock-alerts', '/api/v1/stock-alerts'],
      ['/api/v1/stations/{code}/readiness', `/api/v1/stations/${station}/readiness`],
      ['/api/v1/users', '/api/v1/users'],
      ['/api/v1/me', '/api/v1/me'],
      ['/api/v1/auth/tokens', '/api/v1/auth/tokens'],
      ['/api/v1/audit', '/api/v1/audit?limit=20'],
    ] as const) {
      validate(template, 'get', '200', (await app.http().get(url).set(admin).expect(200)).body);
    }
    const checkin = await app
      .http()
      .post('/api/v1/checkins')
      .set(admin)
      .send({ camera, condition: 'ok' })
      .expect(200);
    validate('/api/v1/checkins', 'post', '200', checkin.body);
  });

  it('fails a route that is served without being documented', () => {
    // A router someone adds to the platform: its routes are in its table as soon as they are declared.
    const added = new SecureRouter();
    added.post(
      '/widgets/:id',
      { allow: ['admin'], params: z.object({ id: z.string() }), body: z.object({ n: z.number() }) },
      () => ({ ok: true }),
    );
    const table = [
      ...app.platform.routes,
      ...declaredRoutes(added.router).map((r) => ({ ...r, path: `/api/v1${r.path}` })),
    ];
    // Served but left out of the document: the check names it.
    expect(undocumented(table, doc)).toEqual(['POST /api/v1/widgets/:id']);
    // Generated from the table that has it: documented, with its roles and problem types.
    const regenerated = openApiDocument(table, 'test') as unknown as Doc;
    expect(undocumented(table, regenerated)).toEqual([]);
    const op = regenerated.paths['/api/v1/widgets/{id}']!.post!;
    expect(op['x-roles']).toEqual(['admin']);
    expect(op['x-problem-types']).toEqual(
      expect.arrayContaining(['unauthenticated', 'forbidden', 'validation-failed', 'csrf-token-invalid']),
    );
  });

  describe('the reference page /api/docs', () => {
    let browser: BrowserHandle;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(() => browser.close());

    it.each([
      ['desktop', { width: 1280, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ])(
      'shows the operations on a %s, within the CSP',
      async (name, viewport) => {
        const { page, problems, close } = await newPage(browser, viewport);
        try {
          await page.goto(`${app.url}/api/docs`);
          await page.getByText('bwv-fleet API', { exact: false }).first().waitFor({ timeout: 20_000 });
          // Tags start collapsed: Swagger UI stops rendering when it lays out all of this API's
          // operations at once (~130), so a reader opens the capability they want.
          const tags = page.locator('.opblock-tag');
          await tags.first().waitFor();
          expect(await tags.count()).toBeGreaterThanOrEqual(20);
          await page.locator('#operations-tag-checkouts').click();
          const checkout = page.locator('.opblock-post', { hasText: '/api/v1/checkouts' }).first();
          await checkout.waitFor();
          // Open one: its roles and problem types are in the description.
          await checkout.locator('.opblock-summary').click();
          await checkout.getByText('Roles: admin, stores.').waitFor();
          await checkout.getByText('camera-already-issued', { exact: false }).first().waitFor();
          await screenshot(page, `api-docs-${name}`);
          // The whole page is very tall; the opened operation as a reader first sees it, too.
          await checkout.scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(ARTIFACTS, `api-docs-${name}-checkout.png`) });
          expect(problems).toEqual([]);
        } finally {
          await close();
        }
      },
      60_000,
    );
  });
});
