// The composition root: builds every part in start-up order (config → db → bus → http → realtime →
// flows) and closes them in reverse. main.ts runs it for the process; the tests run it per test file.
// Services are built in composition/services.ts; what happens between capabilities is in src/flows/.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import { configurePassport, sessionMiddleware, type Sessions } from './auth/index.js';
import {
  connectPlatformBus,
  embeddedBrokerOptions,
  eventWire,
  startBrokerThread,
  type BrokerThread,
  commandSender,
  type BusClient,
  type EmbeddedBroker,
  type SendCommand,
} from './bus/index.js';
import { apiRoutes, publicRoutes } from './composition/api-routes.js';
import { buildServices, type Services } from './composition/services.js';
import { startFlows } from './composition/start-flows.js';
import { startServices } from './composition/start-services.js';
import type { Config } from './config.js';
import {
  createConnection,
  ensureIndexes,
  openWithRetry,
  pingDatabase,
  telemetryConnection,
} from './db/connection.js';
import { databaseUri } from './db/database.js';
import { connectEventTransport, LocalDomainEventBus, type DomainEventBus } from './events/index.js';
import { LocalEvidenceStore } from './evidence/index.js';
import { trustedKeysOf } from './firmware/index.js';
import { clipNotices } from './flows/clip-notices.flow.js';
import { brokerAccess, disconnectRevoked } from './flows/device-access.flow.js';
import { createApp } from './http/app.js';
import type { DeclaredRoute } from './http/route.js';
import { listen, stopServer } from './http/server.js';
import { createJobScheduler } from './jobs/index.js';
import { createLogger, type Logger } from './logger.js';
import { RealtimeGateway } from './realtime/index.js';

export interface Platform {
  config: Config;
  log: Logger;
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:3000 */
  url: string;
  server: http.Server;
  /** The MQTT broker devices connect to (the embedded one, or MQTT_URL). */
  mqttUrl: string;
  /** Every listener of the embedded broker, with its bound port; null with MQTT_URL. */
  brokerUrls: EmbeddedBroker['urls'] | null;
  /** The embedded broker's thread; null with MQTT_URL. */
  broker: BrokerThread | null;
  /** The domain events of this process, and (once `ready`) those other processes send on the bus. */
  events: DomainEventBus;
  /** Sends a command to a device over the bus (`…/commands`); resolves once the broker has it. */
  sendCommand: SendCommand;
  /** Resolves once the database is connected and the API is serving. */
  ready: Promise<void>;
  services: Services;
  /** Socket.IO live feeds; set once `ready` resolves. */
  realtime: () => RealtimeGateway | null;
  /** The API's declared routes (full path, roles, schemas) for tests and docs; filled once `ready` resolves. */
  routes: readonly DeclaredRoute[];
  close(): Promise<void>;
}

export async function startPlatform(
  config: Config,
  log: Logger = createLogger(config.LOG_LEVEL),
): Promise<Platform> {
  // Before anything starts: a named key file that cannot be used stops the start-up here.
  const trustedKeys = trustedKeysOf(config.FIRMWARE_TRUSTED_KEYS);
  const aborter = new AbortController();
  const service = {
    username: config.MQTT_SERVICE_USERNAME,
    password: config.MQTT_SERVICE_PASSWORD ?? randomBytes(32).toString('base64url'),
  };
  const brokerOptions = config.MQTT_URL ? null : await embeddedBrokerOptions(config, service);
  const { uri, embedded } = await databaseUri(config, log);
  const conn = createConnection();
  const telemetryConn = telemetryConnection(conn, config.MONGODB_DB);
  // Named per platform, not per process: tests run several platforms in one process.
  const events = new LocalDomainEventBus(
    `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    log,
  );
  let bus: BusClient | null = null;
  const evidence = await new LocalEvidenceStore(path.join(config.DATA_DIR, 'evidence')).init();
  const notifyClip = clipNotices(() => bus, events, log);
  const sendCommand = commandSender(() => bus);
  let ownUrl = '';
  const s = buildServices({
    config,
    conn,
    telemetryConn,
    events,
    evidence,
    notifyClip,
    trustedKeys,
    sendCommand,
    platformUrl: () => ownUrl,
    log,
  });
  s.refusals.start();

  // The bus: the embedded broker (on a thread of its own) unless MQTT_URL names an external one.
  const broker = brokerOptions
    ? await startBrokerThread(brokerOptions, { ...brokerAccess(s.credentials, s.refusals), log })
    : null;
  const stopRevoked = broker ? disconnectRevoked(events, broker) : null;
  const mqttUrl = config.MQTT_URL ?? broker!.url;

  const { app, mountApi, mountPublic } = createApp({
    log,
    trustProxy: config.TRUST_PROXY,
    readiness: {
      database: () => pingDatabase(conn),
      broker: () => (bus?.connected() ? Promise.resolve() : Promise.reject(new Error('not connected'))),
    },
    webRoot: config.WEB_ROOT,
  });
  const { server, url } = await listen(app, config.PORT, config.HOST);
  ownUrl = url;
  log.info({ url }, 'HTTP listening');

  /** What runs once the database is up, stopped in reverse on close. */
  const running: Array<() => unknown> = [];
  let realtime: RealtimeGateway | null = null;
  let sessions: Sessions | null = null;
  const routes: DeclaredRoute[] = [];

  const ready = (async () => {
    await openWithRetry(conn, uri, config.MONGODB_DB, log, aborter.signal);
    await ensureIndexes(conn, telemetryConn);
    // One job scheduler: services and flows define their jobs on it; it starts once they all have.
    const jobs = await createJobScheduler({
      db: conn.db!,
      log: log.child({ component: 'jobs' }),
      // The firmware engine's tick is a repeating job: it runs no more often than the scheduler looks.
      pollMs: config.FIRMWARE_ENGINE
        ? Math.min(config.JOBS_POLL_MS, config.FIRMWARE_TICK_MS)
        : config.JOBS_POLL_MS,
    });
    running.push(() =>
      jobs.stop().catch((err: unknown) => log.error({ err }, 'could not stop the job scheduler')),
    );
    running.push(...(await startServices(s, { config, conn, jobs, log })));
    // Device messages, decoded against the topic contract, to the device state.
    const connected = await connectPlatformBus(broker, config, service, s.deviceState.handlers(), log);
    bus = connected;
    running.push(() => connected.close().catch(() => undefined));
    // Events other processes need (and those they publish) travel on the bus's internal topics.
    const spine = await connectEventTransport(events, eventWire(connected), log);
    running.push(() => spine.close());
    sessions = await sessionMiddleware(conn, config.SESSION_TTL_HOURS);
    const passport = configurePassport(s.users);
    const gateway = new RealtimeGateway({
      server,
      session: sessions.middleware,
      passport,
      log,
      windowMs: config.LIVE_WINDOW_MS,
      viewWindowMs: config.LIVE_VIEW_WINDOW_MS,
      sources: {
        devices: (v) => s.fleetView.devices(v),
        readiness: (st) => s.readiness.watch(st),
        row: (kind, id) => s.fleetView.row(kind, id),
      },
    });
    realtime = gateway;
    s.readiness.useFeed(gateway);
    const flowParts = {
      config,
      conn,
      events,
      jobs,
      bus: connected,
      gateway,
      evidence,
      notifyClip,
      sendCommand,
      log,
    };
    running.push(...(await startFlows(s, flowParts)));
    await jobs.start();
    s.readiness.start();
    running.push(() => s.readiness.stop());
    mountApi(apiRoutes(s, { config, session: sessions.middleware, passport, declared: routes }));
    // Published rollout reports, without login, when the force opts in (PUBLIC_REPORTS).
    mountPublic(publicRoutes(s));
    log.info('API ready');
  })();
  ready.catch((err: unknown) => {
    if (!aborter.signal.aborted) log.error({ err }, 'start-up failed');
  });

  async function close() {
    aborter.abort();
    await stopServer(server, async () => realtime?.close());
    for (const stop of running.reverse()) await stop();
    stopRevoked?.();
    s.credentials.stopCache();
    sessions?.stop();
    await s.deviceState.stop().catch((err: unknown) => log.error({ err }, 'final device state flush failed'));
    await s.fleet.stockSettled();
    await broker?.close();
    await s.refusals.stop();
    await conn.close().catch(() => undefined);
    await embedded?.stop();
    log.info('stopped');
  }

  return {
    config,
    log,
    url,
    server,
    mqttUrl,
    brokerUrls: broker?.urls ?? null,
    broker,
    events,
    sendCommand,
    ready,
    services: s,
    realtime: () => realtime,
    routes,
    close,
  };
}
