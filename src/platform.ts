// The composition root: builds every part in start-up order (config → db → http) and closes
// them in reverse. main.ts runs it for the process; the tests run it per test file.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditRepository, AuditService, auditRoutes, systemContext } from './audit/index.js';
import {
  UsersRepository,
  UsersService,
  authRoutes,
  configurePassport,
  sessionMiddleware,
} from './auth/index.js';
import type { Config } from './config.js';
import { createConnection, ensureIndexes, openWithRetry, pingDatabase } from './db/connection.js';
import { startEmbeddedDb, type EmbeddedDb } from './db/ferretdb.js';
import { apiRouter } from './http/api.js';
import { createApp } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { PeopleRepository, PeopleService, peopleRoutes } from './people/index.js';
import { FleetView } from './dashboard/index.js';
import { RealtimeGateway } from './realtime/index.js';
import { DEFAULT_POLICY, ReadinessService, readinessRoutes } from './readiness/index.js';
import { ShiftsRepository, ShiftsService, shiftsRoutes } from './shifts/index.js';
import {
  FleetRepository,
  FleetService,
  StockRepository,
  StockService,
  TransfersRepository,
  TransfersService,
  fleetRoutes,
  transfersRoutes,
} from './fleet/index.js';
import { AssignmentsRepository, AssignmentsService, assignmentsRoutes } from './assignments/index.js';
import { IdempotencyRepository, IdempotencyService } from './idempotency/index.js';

export interface Platform {
  config: Config;
  log: Logger;
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:3000 */
  url: string;
  server: http.Server;
  /** Resolves once the database is connected and the API is serving. */
  ready: Promise<void>;
  services: {
    audit: AuditService;
    users: UsersService;
    people: PeopleService;
    fleet: FleetService;
    assignments: AssignmentsService;
    shifts: ShiftsService;
    readiness: ReadinessService;
  };
  /** Socket.IO live feeds; set once `ready` resolves. */
  realtime: () => RealtimeGateway | null;
  close(): Promise<void>;
}

export async function startPlatform(
  config: Config,
  log: Logger = createLogger(config.LOG_LEVEL),
): Promise<Platform> {
  const aborter = new AbortController();

  let embedded: EmbeddedDb | null = null;
  let uri = config.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedDb(config.dbDir, (m) => log.info(m));
    uri = embedded.uri;
    log.info({ dataDir: config.dbDir }, 'embedded FerretDB started');
    void embedded.exited.then((code) => {
      if (!aborter.signal.aborted) log.fatal({ code }, 'embedded FerretDB exited unexpectedly');
    });
  }

  const conn = createConnection();
  const audit = new AuditService(new AuditRepository(conn));
  const users = new UsersService(new UsersRepository(conn), audit);
  const people = new PeopleService(new PeopleRepository(conn), audit);
  const fleetRepository = new FleetRepository(conn);
  const fleet = new FleetService(
    fleetRepository,
    people,
    audit,
    new StockService(new StockRepository(conn), people, audit),
  );
  const transfers = new TransfersService(
    new TransfersRepository(conn),
    fleetRepository,
    fleet,
    people,
    audit,
  );
  const assignments = new AssignmentsService(new AssignmentsRepository(conn), fleet, people, audit);
  const idempotency = new IdempotencyService(new IdempotencyRepository(conn));
  const passport = configurePassport(users);
  const shifts = new ShiftsService(new ShiftsRepository(conn), people, audit);
  const readiness = new ReadinessService(
    shifts,
    fleet,
    {
      policy: { ...DEFAULT_POLICY, blockedFirmware: new Set(config.BLOCKED_FIRMWARE) },
      refreshMs: config.READINESS_REFRESH_S * 1000,
      debounceMs: config.LIVE_WINDOW_MS,
    },
    log.child({ component: 'readiness' }),
  );
  const fleetView = new FleetView(fleet);
  let realtime: RealtimeGateway | null = null;

  const { app, mountApi } = createApp({
    log,
    trustProxy: config.TRUST_PROXY,
    readiness: { database: () => pingDatabase(conn) },
    webRoot: config.WEB_ROOT,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const url = `http://${host}:${port}`;
  log.info({ url }, 'HTTP listening');

  const ready = (async () => {
    await openWithRetry(conn, uri, config.MONGODB_DB, log, aborter.signal);
    await ensureIndexes(conn);
    // Before serving: repair any check-out/check-in a previous crash interrupted; forget old keys.
    await assignments.reconcile(systemContext);
    await idempotency.prune();
    const generated = await users.ensureFirstAdmin(config.BWV_ADMIN_PASSWORD, systemContext);
    if (generated) {
      // Printed once, to the terminal only, never to the structured log.
      process.stderr.write(
        `\n  First run: created user 'admin' with password ${generated}\n  Change it after logging in. It will not be shown again.\n\n`,
      );
    }
    const session = await sessionMiddleware(conn, config.SESSION_TTL_HOURS);
    realtime = new RealtimeGateway({ server, session, passport, log, windowMs: config.LIVE_WINDOW_MS });
    realtime.provide({
      devices: (viewer) => fleetView.devices(viewer),
      readiness: (station) => readiness.watch(station),
    });
    readiness.useFeed(realtime);
    readiness.start();
    mountApi(
      apiRouter({
        bodyLimit: config.JSON_BODY_LIMIT,
        session,
        passport,
        routers: [
          authRoutes(users, passport, config.LOGIN_RATE_LIMIT),
          auditRoutes(audit),
          peopleRoutes(people),
          fleetRoutes(fleet),
          transfersRoutes(transfers),
          assignmentsRoutes(assignments, idempotency),
          shiftsRoutes(shifts),
          readinessRoutes(readiness),
        ],
      }),
    );
    log.info('API ready');
  })();
  ready.catch((err: unknown) => {
    if (!aborter.signal.aborted) log.error({ err }, 'start-up failed');
  });

  async function close() {
    aborter.abort();
    readiness.stop();
    await realtime?.close();
    // Stop accepting; in-flight requests finish; idle keep-alive sockets are closed now.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 5_000).unref();
    await closed;
    clearTimeout(force);
    await conn.close().catch(() => undefined);
    await embedded?.stop();
    log.info('stopped');
  }

  return {
    config,
    log,
    url,
    server,
    ready,
    services: { audit, users, people, fleet, assignments, shifts, readiness },
    realtime: () => realtime,
    close,
  };
}
