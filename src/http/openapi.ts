// The API reference, generated from the routes as they are declared (their roles, zod schemas and
// problem types) by zod-openapi: nothing here is written per route, so a route cannot be served
// without being documented, and the document cannot describe a route that is not served.
import { WHILE_PASSWORD_CHANGE_REQUIRED } from '../shared/password-change.js';
import { z, type ZodType } from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
  type oas31,
} from 'zod-openapi';
import { ROLES } from '../shared/roles.js';
import {
  PROBLEM_SLUGS,
  PROBLEM_TYPES,
  problemTypeUri,
  statusOfProblem,
  type ProblemSlug,
} from '../shared/problem-types.js';
import { API_BASE } from './api-base.js';
import type { DeclaredRoute } from './route.js';

/** The document's own route and the health probes: infrastructure's routes, declared here. */
export const INFRASTRUCTURE_ROUTES: readonly DeclaredRoute[] = [
  { method: 'get', path: `${API_BASE}/openapi.json`, allow: 'public', doc: { summary: 'This document' } },
  {
    method: 'get',
    path: '/healthz',
    allow: 'public',
    doc: { summary: 'Liveness: the process answers', response: z.object({ status: z.literal('ok') }) },
  },
  {
    method: 'get',
    path: '/readyz',
    allow: 'public',
    doc: {
      summary: 'Readiness: database, broker and API are up (503 problem naming the failed checks)',
      response: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.literal('ok')) }),
      problems: ['not-ready'],
    },
  },
];

const ProblemSchema = z
  .object({
    type: z.string().meta({ description: 'The problem type: `/problems/{slug}`, stable; branch on it' }),
    title: z.string().meta({ description: 'The type’s summary, the same every time' }),
    status: z.number().int(),
    detail: z.string().optional().meta({ description: 'What went wrong this time, safe to show' }),
    instance: z.string().optional().meta({ description: 'The request path' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Field errors (validation-failed, unknown-station, roster-invalid…)' }),
    instead: z.object({ serial: z.string(), battery: z.number().nullable() }).nullable().optional().meta({
      description:
        'A check-out refused for its camera: the nearest fit camera to take instead (same station, in stock, passes the gates, best battery), or null if none',
    }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const BODY_PROBLEMS: readonly ProblemSlug[] = [
  'malformed-json',
  'malformed-body-encoding',
  'body-too-large',
  'bad-request',
  'unsupported-media-type',
];

const writes = (r: DeclaredRoute) => r.method !== 'get';
/** Called by a device with its own credentials, not by a user. */
const byDevice = (r: DeclaredRoute) => r.caller === 'dock' || r.caller === 'device';
const hasBody = (r: DeclaredRoute) => r.method === 'post' || r.method === 'put' || r.method === 'patch';

/** Every problem type the route may answer with: those any such route may, then its own. */
export function problemsOf(route: DeclaredRoute): ProblemSlug[] {
  const api = route.path.startsWith(API_BASE) && !route.path.endsWith('/openapi.json');
  const device = byDevice(route);
  const user = route.allow !== 'public' && !device;
  const slugs: ProblemSlug[] = [
    ...(api ? (['not-ready'] as const) : []),
    ...(user ? (['unauthenticated', 'invalid-token'] as const) : []),
    ...(device ? (['device-unauthenticated'] as const) : []),
    ...(user && route.allow.length < ROLES.length ? (['forbidden'] as const) : []),
    ...(user && writes(route) ? (['csrf-token-invalid'] as const) : []),
    ...(user &&
    !WHILE_PASSWORD_CHANGE_REQUIRED.has(`${route.method.toUpperCase()} ${route.path.replace(API_BASE, '')}`)
      ? (['password-change-required'] as const)
      : []),
    ...(route.params ? (['malformed-path'] as const) : []),
    ...(route.body || route.query || route.params ? (['validation-failed'] as const) : []),
    ...(hasBody(route) ? BODY_PROBLEMS : []),
    ...(route.doc?.problems ?? []),
  ];
  return [...new Set(slugs)];
}

/** Express's `/cameras/:serial` as OpenAPI's `/cameras/{serial}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

const rolesOf = (route: DeclaredRoute): string[] =>
  route.caller === 'dock'
    ? ['dock']
    : route.caller === 'device'
      ? ['camera', 'dock']
      : route.allow === 'public'
        ? ['public']
        : [...route.allow];

const securityOf = (route: DeclaredRoute): oas31.SecurityRequirementObject[] | undefined =>
  route.caller === 'dock'
    ? [{ dockBasic: [] }]
    : route.caller === 'device'
      ? [{ deviceBasic: [] }]
      : route.allow === 'public'
        ? []
        : [{ sessionCookie: [], csrfToken: [] }, { bearerToken: [] }];

function describe(route: DeclaredRoute, problems: readonly ProblemSlug[]): string {
  const who =
    route.caller === 'dock'
      ? 'Called by a dock with its device credentials (HTTP Basic, `dock:{id}`).'
      : route.caller === 'device'
        ? 'Called by a camera or dock with its device credentials (HTTP Basic, `camera:{serial}` or `dock:{id}`).'
        : route.allow === 'public'
          ? 'Open to anyone, without credentials.'
          : `Roles: ${route.allow.join(', ')}.`;
  const writeNote =
    writes(route) && route.allow !== 'public' && !byDevice(route)
      ? ' With a session cookie, send the `X-CSRF-Token` header.'
      : '';
  return `${who}${writeNote}\n\nProblem types: ${problems.map((p) => `\`${p}\``).join(', ') || 'none'}.`;
}

function successResponse(route: DeclaredRoute): ZodOpenApiResponsesObject {
  const status = String(route.status ?? 200);
  if (route.status === 204) return { '204': { description: 'Done; nothing to answer' } };
  const doc = route.doc ?? {};
  const content = doc.produces
    ? { [doc.produces]: { schema: { type: 'string', contentMediaType: doc.produces } as oas31.SchemaObject } }
    : { 'application/json': { schema: doc.response ?? ({} as oas31.SchemaObject) } };
  return {
    [status]: {
      description:
        route.status === undefined ? 'Success (204 No Content when there is nothing to say)' : 'Success',
      content,
    },
  };
}

function problemResponses(problems: readonly ProblemSlug[]): Record<string, ZodOpenApiResponseObject> {
  const byStatus = new Map<number, ProblemSlug[]>();
  for (const p of problems)
    byStatus.set(statusOfProblem(p), [...(byStatus.get(statusOfProblem(p)) ?? []), p]);
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, slugs] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: slugs.map((s) => `\`${s}\`: ${PROBLEM_TYPES[s].title}`).join('; '),
      content: {
        'application/problem+json': {
          schema: {
            allOf: [
              { $ref: '#/components/schemas/Problem' },
              { type: 'object', properties: { type: { enum: slugs.map(problemTypeUri) } } },
            ],
          },
        },
      },
    };
  }
  return responses;
}

/** Path parameters the path names but no schema declares (a route without `params`). */
function undeclaredPathParams(route: DeclaredRoute): oas31.ParameterObject[] {
  const declared = route.params instanceof z.ZodObject ? Object.keys(route.params.shape) : [];
  return [...route.path.matchAll(/:(\w+)/g)]
    .map((m) => m[1]!)
    .filter((name) => !declared.includes(name))
    .map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

function operation(route: DeclaredRoute): ZodOpenApiOperationObject {
  const problems = problemsOf(route);
  const tag = route.path.replace(API_BASE, '').split('/')[1] ?? 'api';
  const requestParams: { path?: ZodType; query?: ZodType; header?: ZodType } = {};
  if (route.params) requestParams.path = route.params;
  if (route.query) requestParams.query = route.query;
  if (route.doc?.headers) requestParams.header = route.doc.headers;
  const security = securityOf(route);
  return {
    operationId: `${route.method} ${route.path}`,
    summary: route.doc?.summary ?? `${route.method.toUpperCase()} ${route.path}`,
    description: describe(route, problems),
    tags: [tag],
    ...(security && { security }),
    'x-roles': rolesOf(route),
    'x-problem-types': problems,
    requestParams: requestParams as ZodOpenApiOperationObject['requestParams'],
    ...(undeclaredPathParams(route).length > 0 && { parameters: undeclaredPathParams(route) }),
    ...(route.body && {
      requestBody: { required: true, content: { 'application/json': { schema: route.body } } },
    }),
    ...(route.doc?.consumes && {
      requestBody: {
        required: true,
        content: {
          [route.doc.consumes]: {
            schema: { type: 'string', contentMediaType: route.doc.consumes } as oas31.SchemaObject,
          },
        },
      },
    }),
    responses: { ...successResponse(route), ...problemResponses(problems) },
  };
}

/** The OpenAPI 3.1 document of these routes (full paths, as the platform records them). */
export type OpenApiDocument = ReturnType<typeof createDocument>;

export function openApiDocument(routes: readonly DeclaredRoute[], version: string): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of [...routes, ...INFRASTRUCTURE_ROUTES]) {
    const item = (paths[openApiPath(route.path)] ??= {});
    item[route.method] = operation(route);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'bwv-fleet API',
      version,
      description:
        'Body-worn camera fleet API. Authentication, CSRF, paging and errors are explained in docs/api.md. ' +
        `Every error is application/problem+json; its \`type\` is one of the ${PROBLEM_SLUGS.length} problem types ` +
        'listed under each operation (and in `x-problem-types`); `x-roles` names the roles that may call it.',
    },
    paths,
    components: {
      schemas: { Problem: ProblemSchema },
      securitySchemes: {
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'bwv.sid',
          description: 'After POST /auth/login',
        },
        csrfToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description: 'With the session cookie, on every write: from the login response or GET /me',
        },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (POST /auth/tokens)' },
        dockBasic: { type: 'http', scheme: 'basic', description: 'A dock’s device credentials' },
        deviceBasic: {
          type: 'http',
          scheme: 'basic',
          description: 'A camera’s or dock’s device credentials (`camera:{serial}` or `dock:{id}`)',
        },
      },
    },
    'x-problem-types': Object.fromEntries(
      PROBLEM_SLUGS.map((slug) => [
        slug,
        { status: statusOfProblem(slug), title: PROBLEM_TYPES[slug].title, type: problemTypeUri(slug) },
      ]),
    ),
  });
}
