// The Express application: security headers, request logging with ids, health endpoints,
// and the API, which is mounted only once the database is ready (503 until then).
import { randomUUID } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { AppError } from '../errors.js';
import { errWithoutStack, type Logger } from '../logger.js';
import { API_BASE } from './api-base.js';
import { apiDocsPage } from './api-docs.js';
import { healthRoutes, type ReadinessCheck } from './health.js';
import { notFoundRoute, problemHandler } from './problems.js';
import { dashboard } from './static.js';

export interface AppOptions {
  log: Logger;
  /** Express `trust proxy`: none, a hop count, or the proxies' addresses/CIDRs (never `true`). */
  trustProxy: false | number | string[];
  readiness: Record<string, ReadinessCheck>;
  /** Directory of the built dashboard, served at / (single-page app); empty: none. */
  webRoot?: string;
}

export interface App {
  app: express.Express;
  /** Mounts the API (called once the database is ready). */
  mountApi: (api: Router) => void;
  /**
   * Mounts routes served without login under /public (the rollout's published reports), once the
   * database is ready; each router answers only for what it serves (the rest falls through to 404).
   */
  mountPublic: (r: Router) => void;
}

/** The prefix of the few pages anyone may read without login (published reports, when opted in). */
export const PUBLIC_BASE = '/public';

export { API_BASE };

const REQUEST_ID = /^[\w.:-]{1,100}$/;

export function createApp(opts: AppOptions): App {
  const app = express();
  app.set('trust proxy', opts.trustProxy);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: opts.log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // A 503 from /readyz is the probe's answer, not a failure: what made it (the database away, the
      // broker thread restarting) is logged where it happens, not as an error for every probe.
      customLogLevel: (req, res, err) =>
        err || (res.statusCode >= 500 && req.url !== '/readyz')
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : 'info',
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: errWithoutStack,
      },
    }),
  );

  app.use(
    helmet({
      // The dashboard is served from this origin and talks only to it (HTTP and Socket.IO).
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          mediaSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // No CORS middleware at all: cross-origin browser calls are refused by the browser.
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );

  let api: Router | null = null;
  // Ready means serving: the API counts as a check of its own, so /readyz cannot answer 200 in the
  // moment between the database and broker coming up and the API being mounted.
  app.use(
    healthRoutes({
      ...opts.readiness,
      api: () => (api ? Promise.resolve() : Promise.reject(new Error('not mounted'))),
    }),
  );

  const apiGate: RequestHandler = (req, res, next) => {
    if (api) api(req, res, next);
    else next(new AppError('not-ready', 'The database is not reachable yet; retry shortly'));
  };
  app.use(API_BASE, apiGate);
  let publicRoutes: Router | null = null;
  const publicGate: RequestHandler = (req, res, next) => {
    if (publicRoutes) publicRoutes(req, res, next);
    else next(new AppError('not-ready', 'The database is not reachable yet; retry shortly'));
  };
  app.use(PUBLIC_BASE, publicGate);
  app.use(apiDocsPage());
  if (opts.webRoot) app.use(dashboard(opts.webRoot));
  app.use(notFoundRoute);
  app.use(problemHandler);

  return {
    app,
    mountApi: (r) => {
      api = r;
    },
    mountPublic: (r) => {
      publicRoutes = r;
    },
  };
}
