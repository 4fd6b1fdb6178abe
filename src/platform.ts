// The composition root: builds every part in start-up order (config → db → bus → http) and closes
// them in reverse. main.ts runs it for the process; the tests run it per test file.
import { systemContext } from './shared/index.js';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import { Router } from 'express';
import type { AddressInfo } from 'node:net';
import { AuditRepository, AuditService, auditRoutes } from './audit/index.js';
import {
  UsersRepository,
  UsersService,
  LoginAttemptsRepository,
  LoginThrottle,
  authRoutes,
  authenticateRequests,
  configurePassport,
  sessionMiddleware,
  type Sessions,
} from './auth/index.js';
import type { Config } from './config.js';
import {
  createConnection,
  ensureIndexes,
  openWithRetry,
  pingDatabase,
  telemetryConnection,
} from './db/connection.js';
import { startEmbeddedDb, type EmbeddedDb } from './db/ferretdb.js';
import { apiRouter } from './http/api.js';
import { API_BASE, createApp } from './http/app.js';
import { declaredRoutes, type DeclaredRoute } from './http/route.js';
import {
  clipTopic,
  connectBus,
  startBrokerThread,
  type BrokerThread,
  type BusClient,
  type DeviceRef,
  type EmbeddedBroker,
  type Inbound,
} from './bus/index.js';
import {
  CredentialsRepository,
  CredentialsService,
  DeviceEvents,
  DeviceStateRepository,
  DeviceStateService,
  DeviceRefusals,
  DockAllocation,
  DockedClaims,
  devicesRoutes,
  defineHistoryRetention,
  type DeviceRegistry,
} from './devices/index.js';
import { LocalDomainEventBus, type DomainEventBus } from './events/index.js';
import { webhooksFlow } from './flows/webhooks.flow.js';
import { createJobScheduler, type JobScheduler } from './jobs/index.js';
import { createLogger, type Logger } from './logger.js';
import { PeopleRepository, PeopleService, peopleRoutes } from './people/index.js';
import { FleetView, wireDashboard } from './dashboard/index.js';
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
import {
  ClipRedactionState,
  ClipsRepository,
  ClipsService,
  clipUploadRoutes,
  clipsRoutes,
  type ClipNotifier,
} from './clips/index.js';
import { LocalEvidenceStore } from './evidence/index.js';
import { RedactionWorker, runRedaction, type RunningRedaction } from './redaction/index.js';
import { WebhookDeliveries, WebhooksRepository, WebhooksService, webhooksRoutes } from './webhooks/index.js';

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
  /** Device changes, alerts, badge taps: what the dashboard and self-allocation listen to. */
  deviceEvents: DeviceEvents;
  /** The domain event map's bus: services publish after their writes; flows (webhooks) subscribe. */
  events: DomainEventBus;
  /** Sends a command to a device over the bus (`…/commands`); resolves once the broker has it. */
  sendCommand(device: DeviceRef, command: Record<string, unknown>): Promise<string>;
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
    credentials: CredentialsService;
    deviceState: DeviceStateService;
    clips: ClipsService;
  };
  /** Socket.IO live feeds; set once `ready` resolves. */
  realtime: () => RealtimeGateway | null;
  /** The API's declared routes (full path, roles, schemas) for tests and docs; filled once `ready` resolves. */
  routes: readonly DeclaredRoute[];
  close(): Promise<void>;
}

/**
 * Connections to the embedded FerretDB. SQLite has one writer, and a writer that finds it busy
 * sleeps in steps of up to 100 ms before retrying: with 50 commands in flight, latency tails
 * stretch to seconds. A few connections keep the queue in the driver, first come first served
 * (bench:api: p99/p50 of check-outs ~1.6 with 2–4 connections, ~4.5 with the driver's 100).
 * MONGODB_URI users set `maxPoolSize` in their URI.
 */
export const EMBEDDED_POOL_SIZE = 4;

const withPoolSize = (uri: string, size: number) => {
  const u = new URL(uri);
  u.searchParams.set('maxPoolSize', String(size));
  return u.toString();
};

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

  let embedded: EmbeddedDb | null = null;
  let uri = config.MONGODB_URI;
  if (!uri) {
    // Supervised: a child that dies is restarted on the same port; /readyz says 503 meanwhile.
    embedded = await startEmbeddedDb(config.dbDir, (m) => log.info(m), {
      onExit: (info) => log.error(info, 'embedded FerretDB exited unexpectedly; restarting'),
      onRestartFailed: (info) => log.error(info, 'embedded FerretDB restart failed; retrying'),
      onRestarted: (info) => log.info(info, 'embedded FerretDB restarted'),
    });
    uri = withPoolSize(embedded.uri, EMBEDDED_POOL_SIZE);
    log.info({ dataDir: config.dbDir, pid: embedded.pid() }, 'embedded FerretDB started');
  }

  const conn = createConnection();
  const events = new LocalDomainEventBus(`${hostname()}:${process.pid}`, log.child({ component: 'events' }));
  const webhooksRepo = new WebhooksRepository(conn);
  const telemetryConn = telemetryConnection(conn, config.MONGODB_DB);
  const audit = new AuditService(new AuditRepository(conn));
  const users = new UsersService(new UsersRepository(conn), audit, config.READ_CACHE_SECONDS * 1000);
  const loginThrottle = new LoginThrottle(new LoginAttemptsRepository(conn), {
    accountFailures: config.LOGIN_ACCOUNT_LIMIT,
    addressFailures: config.LOGIN_RATE_LIMIT,
    maxDelayMs: config.LOGIN_MAX_DELAY_S * 1000,
  });
  const people = new PeopleService(new PeopleRepository(conn), audit);
  const fleetRepository = new FleetRepository(conn, config.READ_CACHE_SECONDS * 1000);
  const fleet = new FleetService(
    fleetRepository,
    people,
    audit,
    new StockService(new StockRepository(conn), people, audit),
  );
  const assignmentsRepository = new AssignmentsRepository(conn);
  const transfers = new TransfersService(
    new TransfersRepository(conn),
    fleetRepository,
    fleet,
    people,
    audit,
    (e) => assignmentsRepository.addEvent({ ...e, officer: null }),
  );
  const assignments = new AssignmentsService(assignmentsRepository, fleet, people, audit, events);
  const idempotency = new IdempotencyService(new IdempotencyRepository(conn));
  const passport = configurePassport(users);
  const shifts = new ShiftsService(new ShiftsRepository(conn), people, audit);
  const readiness = new ReadinessService(
    shifts,
    fleet,
    {
      policy: {
        ...DEFAULT_POLICY,
        blockedFirmware: new Set(config.BLOCKED_FIRMWARE),
        drainMinSpanMs: config.READINESS_DRAIN_MIN_SPAN_S * 1000,
      },
      refreshMs: config.READINESS_REFRESH_S * 1000,
      debounceMs: config.LIVE_WINDOW_MS,
    },
    log.child({ component: 'readiness' }),
  );
  const fleetView = new FleetView(fleet);
  let realtime: RealtimeGateway | null = null;
  // Credentials are issued only for cameras and docks in the register.
  const deviceRegistry: DeviceRegistry = (kind, id) =>
    kind === 'camera'
      ? fleet.cameraExists(id)
      : fleet.dock(id).then(
          () => true,
          () => false,
        );
  const credentials = new CredentialsService(new CredentialsRepository(conn), audit, deviceRegistry);
  const deviceEvents = new DeviceEvents();
  // Devices' refused attempts (bus, dock claims, clip uploads): audited, summarised per window.
  const refusals = new DeviceRefusals(audit, log.child({ component: 'refusals' }));
  refusals.start();
  const deviceState = new DeviceStateService(
    new DeviceStateRepository(conn, telemetryConn),
    audit,
    deviceEvents,
    {
      thresholds: {
        batteryLowPercent: config.BATTERY_LOW_PERCENT,
        storageFullPercent: config.STORAGE_FULL_PERCENT,
      },
      flushIntervalMs: config.TELEMETRY_FLUSH_MS,
      offlineAfterMs: config.DEVICE_OFFLINE_AFTER_S * 1000,
      lastSeenPersistMs: Math.min(30_000, config.DEVICE_OFFLINE_AFTER_S * 500),
      historySampleMs: config.TELEMETRY_HISTORY_SAMPLE_S * 1000,
    },
    log.child({ component: 'device-state' }),
  );

  // The bus: the embedded broker (on a thread of its own) unless MQTT_URL names an external one.
  // The embedded one hands over decoded messages; an external one is heard as an MQTT client (once
  // the database is ready, below); either way through the same contract decoding and handlers.
  const service = {
    username: config.MQTT_SERVICE_USERNAME,
    password: config.MQTT_SERVICE_PASSWORD ?? randomBytes(32).toString('base64url'),
  };
  let broker: BrokerThread | null = null;
  if (!config.MQTT_URL) {
    const listen = {
      port: config.MQTT_PORT,
      host: config.MQTT_HOST,
      tls: brokerTls,
      ws: config.MQTT_WS_PORT === undefined ? undefined : { port: config.MQTT_WS_PORT },
      maxPacketBytes: config.MQTT_MAX_PACKET_BYTES,
      service,
    };
    broker = await startBrokerThread(
      { broker: listen, nice: config.MQTT_BROKER_NICE, logLevel: config.LOG_LEVEL },
      {
        verifyDevice: (username, password) => credentials.verify(username, password),
        onRefused: (r) => refusals.fromBroker(r),
        log,
      },
    );
    credentials.onRevoked((username) => broker?.disconnect(username));
  }
  const mqttUrl = config.MQTT_URL ?? broker!.url;
  let bus: BusClient | null = null;

  // Clips and their redaction: evidence on disk, the job queue once the database is up.
  const evidence = await new LocalEvidenceStore(path.join(config.DATA_DIR, 'evidence')).init();
  const notifyClip: ClipNotifier = (id, event, payload) => {
    bus
      ?.publish(clipTopic(id, event), { clipId: id, ts: new Date().toISOString(), ...payload })
      .catch((err: unknown) => log.warn({ err, id, event }, 'could not publish a clip event'));
  };
  const clipsRepo = new ClipsRepository(conn);
  const clips = new ClipsService(
    clipsRepo,
    evidence,
    audit,
    {
      // Who held the camera when the clip was recorded, and where the dock is (issue 3's records).
      holderAt: (camera, at) => assignments.holderAt(camera, at),
      stationOfDock: (dock) =>
        fleet.dock(dock).then(
          (d) => d.station,
          () => null,
        ),
      stationOfCamera: (camera) =>
        fleet.camera(camera).then(
          (c) => c.station,
          () => null,
        ),
      dockOfCamera: (camera) => deviceState.cameraDock(camera)?.dock ?? null,
    },
    notifyClip,
    config.CLIP_MAX_BYTES,
    (r) => refusals.refuse(r),
  );
  const redactionState = new ClipRedactionState(clipsRepo);
  const redactionWorker = new RedactionWorker(
    redactionState,
    evidence,
    audit,
    notifyClip,
    log.child({ component: 'redaction' }),
    `platform@${hostname()}:${process.pid}`,
  );
  let redaction: RunningRedaction | null = null;
  let jobs: JobScheduler | null = null;
  let fleetViewRefresh: { stop(): void } | null = null;
  let sessions: Sessions | null = null;
  let custodySweep: { stop(): void } | null = null;
  const routes: DeclaredRoute[] = [];
  const recordRoutes = (routers: Router[]) => {
    for (const r of routers)
      routes.push(...declaredRoutes(r).map((d) => ({ ...d, path: API_BASE + d.path })));
    return routers;
  };

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

  const ready = (async () => {
    await openWithRetry(conn, uri, config.MONGODB_DB, log, aborter.signal);
    await ensureIndexes(conn, telemetryConn);
    // Before serving: repair any check-out/check-in a previous crash interrupted; forget old keys.
    await assignments.reconcile(systemContext);
    custodySweep = assignments.startSweep(config.CUSTODY_SWEEP_S * 1000, (err) =>
      log.error({ err }, 'custody recovery sweep failed'),
    );
    await idempotency.prune();
    const generated = await users.ensureFirstAdmin(config.BWV_ADMIN_PASSWORD, systemContext);
    if (generated) {
      // Printed once, to the terminal only, never to the structured log.
      process.stderr.write(
        `\n  First run: created user 'admin' with password ${generated}\n  Change it after logging in. It will not be shown again.\n\n`,
      );
    }
    await Promise.all([deviceState.load(), credentials.startCache(config.CREDENTIALS_REFRESH_S * 1000)]);
    deviceState.start();
    // One job scheduler: capabilities define their jobs, then it starts (after the bus, below).
    jobs = await createJobScheduler({
      db: conn.db!,
      log: log.child({ component: 'jobs' }),
      pollMs: config.JOBS_POLL_MS,
    });
    const webhookDeliveries = new WebhookDeliveries(
      webhooksRepo,
      jobs,
      {
        allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        retry: { baseMs: config.WEBHOOK_RETRY_BASE_MS, windowMs: config.WEBHOOK_RETRY_WINDOW_S * 1000 },
        endpointsCacheMs: config.READ_CACHE_SECONDS * 1000,
      },
      log.child({ component: 'webhooks' }),
    );
    const webhooks = new WebhooksService(
      webhooksRepo,
      webhookDeliveries,
      audit,
      config.WEBHOOK_ALLOW_LOOPBACK,
    );
    webhooksFlow(events, webhookDeliveries);
    const retention = defineHistoryRetention({
      jobs,
      state: deviceState,
      audit,
      retentionDays: config.TELEMETRY_HISTORY_RETENTION_DAYS,
      everyS: config.TELEMETRY_TRIM_EVERY_S,
      log: log.child({ component: 'retention' }),
    });
    const freshness = { maxAgeMs: config.TELEMETRY_MAX_AGE_S * 1000, maxSkewMs: 60_000 };
    const ingest = {
      onMessage: (m: Inbound, at: number) => deviceState.ingest(m, at),
      onMalformed: (device: DeviceRef | null, reason: string) => deviceState.malformed(device, reason),
    };
    bus = broker
      ? await broker.attach(freshness, ingest)
      : await connectBus(
          {
            url: mqttUrl,
            username: service.username,
            password: service.password,
            freshness,
            mosquittoDynsec: config.MQTT_MOSQUITTO_DYNSEC,
            log,
          },
          ingest,
        );
    const client = bus;
    if (client.provisionDevice) {
      credentials.syncToBroker((kind, id, username, password) =>
        client.provisionDevice!({ kind, id }, username, password),
      );
    }
    // Dock self-allocation: badge taps pool-issue a camera; a pool camera docking is checked in.
    new DockAllocation(
      deviceEvents,
      deviceState,
      {
        checkOutPool: (camera, officer, ctx) => assignments.checkOut({ camera, officer, mode: 'pool' }, ctx),
        openAssignment: (camera) => assignments.openAssignment(camera),
        checkIn: (camera, ctx) => assignments.checkIn({ camera, condition: 'ok' }, ctx),
        cameraStation: (camera) =>
          fleet.camera(camera).then(
            (c) => c.station,
            () => null,
          ),
        dockStation: (dock) =>
          fleet.dock(dock).then(
            (d) => d.station,
            () => null,
          ),
      },
      sendCommand,
      new DockedClaims(deviceState, deviceEvents),
      refusals,
      log.child({ component: 'dock-allocation' }),
    ).start();
    // The in-process redaction worker hears offloads on the bus like a `--role redaction` one.
    if (config.REDACTION_WORKER === 'in-process') {
      redaction = await runRedaction({
        scheduler: jobs,
        worker: redactionWorker,
        state: redactionState,
        bus: { url: mqttUrl, ...service },
        config,
        log,
      });
    }
    await jobs.start();
    await Promise.all([retention.repeat(), webhookDeliveries.repeat()]);
    sessions = await sessionMiddleware(conn, config.SESSION_TTL_HOURS);
    const session = sessions.middleware;
    realtime = new RealtimeGateway({ server, session, passport, log, windowMs: config.LIVE_WINDOW_MS });
    realtime.provide({
      devices: (viewer) => fleetView.devices(viewer),
      readiness: (station) => readiness.watch(station),
    });
    readiness.useFeed(realtime);
    const gateway = realtime;
    users.events.on('session:ended', ({ sessionId }) => gateway.sessionEnded(sessionId));
    users.events.on('access:changed', ({ username }) => gateway.accessChanged(username));
    fleetViewRefresh = wireDashboard({
      events: deviceEvents,
      assignments: assignments.events,
      register: fleetRepository.events,
      state: deviceState,
      fleetView,
      registerRefreshMs: config.DASHBOARD_REGISTER_REFRESH_S * 1000,
      gateway: () => realtime,
      readiness,
      log: log.child({ component: 'dashboard' }),
    });
    readiness.start();
    mountApi(
      Router()
        .use(clipUploadRoutes(clips, (u, p) => credentials.verify(u, p), config.CLIP_MAX_BYTES))
        .use(
          apiRouter({
            bodyLimit: config.JSON_BODY_LIMIT,
            authenticate: authenticateRequests(session, passport),
            routers: recordRoutes([
              authRoutes(users, passport, loginThrottle),
              auditRoutes(audit),
              peopleRoutes(people),
              fleetRoutes(fleet, {
                cameraLive: (c) => deviceState.cameraLive(c.serial, c.status === 'issued' ? c.holder : null),
              }),
              transfersRoutes(transfers),
              assignmentsRoutes(assignments, idempotency),
              shiftsRoutes(shifts),
              readinessRoutes(readiness),
              devicesRoutes(credentials, deviceState, refusals),
              clipsRoutes(clips),
              webhooksRoutes(webhooks),
            ]),
          }),
        ),
    );
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
    readiness.stop();
    fleetViewRefresh?.stop();
    custodySweep?.stop();
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
    await redaction
      ?.close()
      .catch((err: unknown) => log.error({ err }, 'could not stop the redaction worker'));
    credentials.stopCache();
    sessions?.stop();
    await jobs?.stop().catch((err: unknown) => log.error({ err }, 'could not stop the job scheduler'));
    await bus?.close().catch(() => undefined);
    await deviceState.stop().catch((err: unknown) => log.error({ err }, 'final device state flush failed'));
    await fleet.stockSettled();
    await broker?.close();
    await refusals.stop();
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
    deviceEvents,
    events,
    sendCommand,
    ready,
    services: {
      audit,
      users,
      people,
      fleet,
      assignments,
      shifts,
      readiness,
      credentials,
      deviceState,
      clips,
    },
    realtime: () => realtime,
    routes,
    close,
  };
}
