// The report's parts running against a started platform (startApp): its database, audit trail, event
// map and users (API tokens from `app.as(role)` work here), in an HTTP app of their own built from the
// platform's real pieces: createApp (helmet, problem+json), the /api/v1 stack with authentication,
// the /public mount. Until the integrator wires buildRolloutReports into src/composition/rollout.ts,
// this is how the report's routes are served for tests; the wiring it does is the one to copy.
import { Router } from 'express';
import request from 'supertest';
import { authenticateRequests, configurePassport, sessionMiddleware } from '../../src/auth/index.js';
import { createConnection, ensureIndexes, openWithRetry } from '../../src/db/connection.js';
import { apiRouter } from '../../src/http/api.js';
import { API_BASE, createApp, PUBLIC_BASE } from '../../src/http/app.js';
import { listen } from '../../src/http/server.js';
import { createJobScheduler } from '../../src/jobs/index.js';
import { buildRolloutReports, type ReportSource } from '../../src/rollout/index.js';
import type { TestApp } from './app.js';

export async function startReports(
  app: TestApp,
  source: ReportSource,
  opts: { publicReports?: boolean; now?: () => Date } = {},
) {
  const { platform } = app;
  const config = { ...platform.config, PUBLIC_REPORTS: opts.publicReports ?? platform.config.PUBLIC_REPORTS };
  const conn = createConnection();
  await openWithRetry(
    conn,
    process.env.BWV_TEST_MONGODB_URI!,
    app.dbName,
    platform.log,
    new AbortController().signal,
  );
  const parts = buildRolloutReports({
    config,
    conn,
    audit: platform.services.audit,
    events: platform.events,
    source,
    log: platform.log,
    ...(opts.now && { now: opts.now }),
  });
  await ensureIndexes(conn);
  const jobs = await createJobScheduler({ db: conn.db!, log: platform.log, pollMs: 200 });
  const stopReports = await parts.start(jobs);
  await jobs.start();
  const sessions = await sessionMiddleware(conn, 1);
  const passport = configurePassport(platform.services.users);
  const {
    app: express,
    mountApi,
    mountPublic,
  } = createApp({ log: platform.log, trustProxy: false, readiness: {} });
  mountApi(
    apiRouter({
      bodyLimit: '100kb',
      authenticate: authenticateRequests(sessions.middleware, passport),
      routers: [parts.router],
    }),
  );
  mountPublic(Router().use('/reports', parts.publicRouter));
  const { server, url } = await listen(express, 0, '127.0.0.1');
  return {
    ...parts,
    jobs,
    url,
    api: API_BASE,
    public: PUBLIC_BASE,
    http: () => request(url),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await jobs.stop();
      await stopReports();
      sessions.stop();
      await conn.close();
    },
  };
}
