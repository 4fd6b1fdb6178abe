// The composition root: builds every part in start-up order (config → db → bus → http → realtime →
// flows) and closes them in reverse. main.ts runs it for the process; the tests run it per test file.
// Services are built in composition/services.ts; what happens between capabilities is in src/flows/.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { configurePassport, sessionMiddleware, type Sessions } from './auth/index.js';
import type { Config } from './config.js';
import { apiRoutes } from './composition/api-routes.js';
import { buildServices, type Services } from './composition/services.js';
import {
  createConnection,
  ensureIndexes,
  openWithRetry,
  pingDatabase,
  telemetryConnection,
} from './db/connection.js';
import { databaseUri } from './db/database.js';
import { createApp } from './http/app.js';
import type { DeclaredRoute } from './http/route.js';
import { connectBus, eventWire, startBrokerThread, type BrokerThread, type BusClient } from './bus/index.js';
import type { DeviceRef, EmbeddedBroker } from './bus/index.js';
import { scheduleHistoryRetention } from './devices/index.js';
import { connectEventTransport, LocalDomainEventBus, type DomainEventBus } from './events/index.js';
import { LocalEvidenceStore } from './evidence/index.js';
import { clipNotices } from './flows/clip-notices.flow.js';
import { custodyToDashboards } from './flows/custody-to-dashboards.flow.js';
import { brokerAccess, disconnectRevoked, provisionToBroker } from './flows/device-access.flow.js';
import { dockSelfAllocation } from './flows/dock-self-allocation.flow.js';
import { offloadToRedaction } from './flows/offload-to-redaction.flow.js';
import { rosterToReadiness } from './flows/roster-to-readiness.flow.js';
import { telemetryToDashboard } from './flows/telemetry-to-dashboard.flow.js';
import { userAccess } from './flows/user-access.flow.js';
import { createLogger, type Logger } from './logger.js';
import { RealtimeGateway } from './realtime/index.js';
import { systemContext } from './shared/index.js';

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
  sendCommand(device: DeviceRef, command: Record<string, unknown>): Promise<string>;
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
  const aborter = new AbortController();
  // Read before anything starts, so that a missing certificate stops the start at once.
  const brokerTls =
    config.MQTT_URL || config.MQTT_TLS_PORT === undefined
      ? undefined
      : {
          port: config.MQTT_TLS_PORT,
          cert: await readFile(config.MQTT_TLS_CERT_FILE!),
          key: await readFile(config.MQTT_TLS_KEY_FILE!),
        };
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
  const s = buildServices({ config, conn, telemetryConn, events, evidence, notifyClip, log });
  s.refusals.start();

  // The bus: the embedded broker (on a thread of its own) unless MQTT_URL names an external one.
  const service = {
    username: config.MQTT_SERVICE_USERNAME,
    password: config.MQTT_SERVICE_PASSWORD ?? randomBytes(32).toString('base64url'),
  };
  const broker = config.MQTT_URL
    ? null
    : await startBrokerThread(
        {
          broker: {
            port: config.MQTT_PORT,
            host: config.MQTT_HOST,
            tls: brokerTls,
            ws: config.MQTT_WS_PORT === undefined ? undefined : { port: config.MQTT_WS_PORT },
            maxPacketBytes: config.MQTT_MAX_PACKET_BYTES,
            service,
          },
          nice: config.MQTT_BROKER_NICE,
          logLevel: config.LOG_LEVEL,
        },
        { ...brokerAccess(s.credentials, s.refusals), log },
      );
  const stopRevoked = broker ? disconnectRevoked(events, broker) : null;
  const mqttUrl = config.MQTT_URL ?? broker!.url;

  const { app, mountApi } = createApp({
    log,
    trustProxy: config.TRUST_PROXY,
    readiness: {
      database: () => pingDatabase(conn),
      broker: () => (bus?.connected() ? Promise.resolve() : Promise.reject(new Error('not connected'))),
    },
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

  /** What runs once the database is up, stopped in reverse on close. */
  const running: Array<() => unknown> = [];
  let realtime: RealtimeGateway | null = null;
  let sessions: Sessions | null = null;
  const routes: DeclaredRoute[] = [];

  const ready = (async () => {
    await openWithRetry(conn, uri, config.MONGODB_DB, log, aborter.signal);
    await ensureIndexes(conn, telemetryConn);
    // Before serving: repair any check-out/check-in a previous crash interrupted; forget old keys.
    await s.assignments.reconcile(systemContext);
    const sweep = s.assignments.startSweep(config.CUSTODY_SWEEP_S * 1000, (err) =>
      log.error({ err }, 'custody recovery sweep failed'),
    );
    running.push(() => sweep.stop());
    await s.idempotency.prune();
    const generated = await s.users.ensureFirstAdmin(config.BWV_ADMIN_PASSWORD, systemContext);
    if (generated) {
      // Printed once, to the terminal only, never to the structured log.
      process.stderr.write(
        `\n  First run: created user 'admin' with password ${generated}\n  Change it after logging in. It will not be shown again.\n\n`,
      );
    }
    await Promise.all([s.deviceState.load(), s.credentials.startCache(config.CREDENTIALS_REFRESH_S * 1000)]);
    s.deviceState.start();
    const retention = await scheduleHistoryRetention({
      db: conn.db!,
      state: s.deviceState,
      audit: s.audit,
      retentionDays: config.TELEMETRY_HISTORY_RETENTION_DAYS,
      everyS: config.TELEMETRY_TRIM_EVERY_S,
      log: log.child({ component: 'retention' }),
    });
    running.push(() =>
      retention.stop().catch((err: unknown) => log.error({ err }, 'could not stop the retention job')),
    );
    const freshness = { maxAgeMs: config.TELEMETRY_MAX_AGE_S * 1000, maxSkewMs: 60_000 };
    const ingest = {
      onMessage: s.deviceState.ingest.bind(s.deviceState),
      onMalformed: s.deviceState.malformed.bind(s.deviceState),
    };
    const connected = broker
      ? await broker.attach(freshness, ingest)
      : await connectBus(
          { url: mqttUrl, ...service, freshness, mosquittoDynsec: config.MQTT_MOSQUITTO_DYNSEC, log },
          ingest,
        );
    bus = connected;
    running.push(() => connected.close().catch(() => undefined));
    provisionToBroker(s.credentials, connected);
    // Events other processes need (and those they publish) travel on the bus's internal topics.
    const transport = await connectEventTransport(events, eventWire(connected), log);
    running.push(() => transport.close().catch(() => undefined));
    const flowLog = (component: string) => log.child({ component });
    running.push(
      dockSelfAllocation({
        events,
        state: s.deviceState,
        assignments: s.assignments,
        fleet: s.fleet,
        refusals: s.refusals,
        sendCommand,
        log: flowLog('dock-allocation'),
      }),
    );
    if (config.REDACTION_WORKER === 'in-process') {
      const redaction = await offloadToRedaction({
        config,
        conn,
        events,
        state: s.redactionState,
        evidence,
        audit: s.audit,
        notify: notifyClip,
        log,
      });
      running.push(() =>
        redaction.close().catch((err: unknown) => log.error({ err }, 'could not stop the redaction worker')),
      );
    }
    sessions = await sessionMiddleware(conn, config.SESSION_TTL_HOURS);
    const passport = configurePassport(s.users);
    const gateway = new RealtimeGateway({
      server,
      session: sessions.middleware,
      passport,
      log,
      windowMs: config.LIVE_WINDOW_MS,
      sources: {
        devices: (viewer) => s.fleetView.devices(viewer),
        readiness: (station) => s.readiness.watch(station),
      },
    });
    realtime = gateway;
    s.readiness.useFeed(gateway);
    const dashboards = { events, gateway, fleetView: s.fleetView, readiness: s.readiness };
    running.push(userAccess(events, gateway), rosterToReadiness(events, s.readiness));
    running.push(telemetryToDashboard({ ...dashboards, state: s.deviceState, log: flowLog('dashboard') }));
    const custody = custodyToDashboards({
      ...dashboards,
      registerRefreshMs: config.DASHBOARD_REGISTER_REFRESH_S * 1000,
      log: flowLog('dashboard'),
    });
    running.push(() => custody.stop());
    s.readiness.start();
    running.push(() => s.readiness.stop());
    mountApi(apiRoutes(s, { config, session: sessions.middleware, passport, declared: routes }));
    log.info('API ready');
  })();
  ready.catch((err: unknown) => {
    if (!aborter.signal.aborted) log.error({ err }, 'start-up failed');
  });

  async function sendCommand(device: DeviceRef, command: Record<string, unknown>) {
    if (!bus) throw new Error('bus not connected');
    const commandId = randomBytes(8).toString('hex');
    await bus.publishCommand(device, { commandId, ts: new Date().toISOString(), ...command });
    return commandId;
  }

  async function close() {
    aborter.abort();
    // Stop accepting; in-flight requests finish. server.close() only drops the keep-alive sockets
    // idle at that moment, so keep dropping those that go idle as their last response completes.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    // Live sockets are upgraded connections the HTTP server no longer tracks: close them ourselves.
    await realtime?.close();
    const force = setTimeout(() => server.closeAllConnections(), 5_000).unref();
    await closed;
    clearInterval(sweep);
    clearTimeout(force);
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
