// Deny by default: API routes can only be declared through SecureRouter, whose every method
// requires the roles it allows. It authorises, validates input with zod, and writes the result.
import type { ActionContext } from '../shared/index.js';
import { Router, type Request, type Response } from 'express';
import type { z, ZodType } from 'zod';
import type { Role } from '../shared/roles.js';
import type { ProblemSlug } from '../shared/problem-types.js';
import { stationScopeOf } from '../shared/station-scope.js';
import { AppError, fromZod } from '../errors.js';

export type Access = readonly Role[] | 'public';

export interface RouteSpec<B extends ZodType, Q extends ZodType, P extends ZodType> {
  /** The roles allowed, or 'public' for the few routes anyone may call (login). */
  allow: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** Status for a successful result; default 200 (204 when the handler returns nothing). */
  status?: number;
  /** What the API reference says about the route (OpenAPI, src/http/openapi.ts). */
  doc?: RouteDoc;
}

/** The parts of a route's contract that its input schemas cannot say, for the OpenAPI document. */
export interface RouteDoc {
  /** One line: what the route does. */
  summary?: string;
  /** The JSON a successful call answers with. */
  response?: ZodType;
  /** Problem types the route's own work may answer with, beyond those every route may (auth, input). */
  problems?: readonly ProblemSlug[];
  /** Request headers the route reads, e.g. `Idempotency-Key` (an object schema keyed by header name). */
  headers?: ZodType;
  /** A body that is not JSON (the route reads it itself), e.g. `text/csv`. */
  consumes?: string;
  /** A success body that is not JSON, e.g. `image/svg+xml`. */
  produces?: string;
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** For the audit trail: who is acting, in which request. */
  ctx: ActionContext;
  user: Express.User;
  req: Request;
  res: Response;
}

type Handler<B, Q, P> = (input: RouteInput<B, Q, P>) => unknown;

const unauthenticated = () => new AppError('unauthenticated', 'Log in or send an API token');

export const actionContext = (req: Request): ActionContext => {
  const stationScope = req.user && stationScopeOf(req.user);
  return {
    actor: req.user
      ? {
          type: 'user',
          id: req.user.username,
          via: req.user.via,
          ...(req.user.tokenId && { tokenId: req.user.tokenId }),
        }
      : { type: 'user', id: 'anonymous' },
    requestId: req.id as string,
    ...(stationScope && { stationScope }),
  };
};

function authorise(allow: Access, req: Request) {
  if (allow === 'public') return;
  if (!req.user) throw unauthenticated();
  if (!allow.includes(req.user.role)) {
    throw new AppError('forbidden', `This action needs one of: ${allow.join(', ')}`);
  }
}

function parse<T extends ZodType>(
  where: string,
  schema: T | undefined,
  value: unknown,
): z.output<T> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw fromZod(where, result.error);
  return result.data;
}

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** One declared route, as the tests' authorization matrix and fuzzers (and an OpenAPI generator) see it. */
export interface DeclaredRoute {
  method: Method;
  /** The path as declared on the router, e.g. `/cameras/:serial`; full once the API prefixes it. */
  path: string;
  allow: Access;
  body?: ZodType;
  query?: ZodType;
  params?: ZodType;
  status?: number;
  doc?: RouteDoc;
  /**
   * How the caller proves who it is: a user (session or API token; default), a dock, or any device
   * (camera or dock), with its device credentials (HTTP Basic).
   */
  caller?: 'user' | 'dock' | 'device';
}

// Keyed by the express Router the capability hands out, so its table can be read back at mount time.
const tables = new WeakMap<Router, readonly DeclaredRoute[]>();

/** The routes declared through the SecureRouter whose `router` this is (none for a plain Router). */
export const declaredRoutes = (router: Router): readonly DeclaredRoute[] => tables.get(router) ?? [];

/**
 * Declares the routes of a plain Router (one that cannot go through SecureRouter, such as the dock's
 * streamed clip upload) so that the API reference lists them too.
 */
export function describeRoutes(router: Router, routes: readonly DeclaredRoute[]): Router {
  tables.set(router, [...declaredRoutes(router), ...routes]);
  return router;
}

export class SecureRouter {
  readonly router = Router();
  private readonly routes: DeclaredRoute[] = [];

  constructor() {
    tables.set(this.router, this.routes);
  }

  readonly get = this.method('get');
  readonly post = this.method('post');
  readonly put = this.method('put');
  readonly patch = this.method('patch');
  readonly delete = this.method('delete');

  private method(method: Method) {
    return <B extends ZodType, Q extends ZodType, P extends ZodType>(
      path: string,
      spec: RouteSpec<B, Q, P>,
      handler: Handler<z.output<B>, z.output<Q>, z.output<P>>,
    ) => {
      const { allow, body, query, params, status, doc } = spec;
      this.routes.push({ method, path, allow, body, query, params, status, doc });
      this.router[method](path, async (req: Request, res: Response) => {
        authorise(spec.allow, req);
        const result = await handler({
          body: parse('body', spec.body, req.body) as z.output<B>,
          query: parse('query', spec.query, req.query) as z.output<Q>,
          params: parse('params', spec.params, req.params) as z.output<P>,
          ctx: actionContext(req),
          user: req.user!,
          req,
          res,
        });
        if (res.headersSent) return;
        if (result === undefined) res.status(spec.status ?? 204).end();
        else res.status(spec.status ?? 200).json(result);
      });
    };
  }
}
