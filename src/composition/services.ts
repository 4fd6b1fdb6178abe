// Every capability's services, built once by constructor injection in dependency order: what a
// service needs of another is handed to it here, and what it changes it publishes on `events` (the
// flows in src/flows/ connect the two). No rules here: only who gets what.
import { LoginAttemptsRepository, LoginThrottle, UsersRepository, UsersService } from '../auth/index.js';
import { AuditRepository, AuditService } from '../audit/index.js';
import { AssignmentsRepository, AssignmentsService } from '../assignments/index.js';
import {
  ClipRedactionState,
  ClipsRepository,
  ClipsService,
  Disclosures,
  DisclosuresRepository,
  MissedFaces,
  type ClipNotifier,
} from '../clips/index.js';
import type { Config } from '../config.js';
import path from 'node:path';
import type { Connection } from '../db/connection.js';
import {
  CredentialsRepository,
  CredentialsService,
  DeviceRefusals,
  DeviceStateRepository,
  DeviceStateService,
} from '../devices/index.js';
import { deviceLiveState, FleetView } from '../dashboard/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { EvidenceStore } from '../evidence/index.js';
import {
  ArtifactFiles,
  ArtifactsRepository,
  FirmwareArtifacts,
  FirmwarePolicy,
  FirmwareVersions,
  VersionsRepository,
  type TrustedKey,
} from '../firmware/index.js';
import {
  FleetRepository,
  FleetService,
  StockRepository,
  StockService,
  TransfersRepository,
  TransfersService,
} from '../fleet/index.js';
import { IdempotencyRepository, IdempotencyService } from '../idempotency/index.js';
import type { Logger } from '../logger.js';
import { PeopleRepository, PeopleService } from '../people/index.js';
import { DEFAULT_POLICY, liveCameraSource, ReadinessService } from '../readiness/index.js';
import { ShiftsRepository, ShiftsService } from '../shifts/index.js';
import { WebhookDeliveries, WebhooksRepository, WebhooksService } from '../webhooks/index.js';
import type { CommandPublisher } from '../firmware/index.js';
import { buildFirmware, firmwareFleet } from './firmware.js';
import { buildRollout, rolloutRegisters } from './rollout.js';
import { checkoutGates } from './checkout-gates.js';

export type Services = ReturnType<typeof buildServices>;

export function buildServices(p: {
  config: Config;
  conn: Connection;
  telemetryConn: Connection;
  events: DomainEventBus;
  evidence: EvidenceStore;
  /** Clip notices on the bus (`bwv/v1/clips/…`): flows/clip-notices.flow.ts. */
  notifyClip: ClipNotifier;
  /** The firmware vendor's public keys (FIRMWARE_TRUSTED_KEYS), read at start-up. */
  trustedKeys: readonly TrustedKey[];
  /** Commands to devices over the bus (firmware updates). */
  sendCommand: CommandPublisher;
  /** The platform's own URL, once it listens. */
  platformUrl: () => string;
  log: Logger;
}) {
  const { config, conn, events, log } = p;
  const cacheMs = config.READ_CACHE_SECONDS * 1000;
  const audit = new AuditService(new AuditRepository(conn));
  // A user's home station must be in the people register (asked per request, once `people` exists).
  const stationDirectory = { exists: (code: string) => people.stationExists(code) };
  const users = new UsersService(new UsersRepository(conn), audit, events, stationDirectory, cacheMs);
  const loginThrottle = new LoginThrottle(new LoginAttemptsRepository(conn), {
    accountFailures: config.LOGIN_ACCOUNT_LIMIT,
    addressFailures: config.LOGIN_RATE_LIMIT,
    maxDelayMs: config.LOGIN_MAX_DELAY_S * 1000,
  });
  const people = new PeopleService(new PeopleRepository(conn), audit);
  const stock = new StockService(new StockRepository(conn), people, audit);
  const fleet = new FleetService(new FleetRepository(conn, cacheMs), people, audit, stock, events);
  const assignments = new AssignmentsService(
    new AssignmentsRepository(conn),
    fleet,
    people,
    audit,
    events,
    // Both are built below; the gates ask them only when a check-out comes.
    checkoutGates(config, { deviceState: () => deviceState, firmwarePolicy: () => firmwarePolicy }),
  );
  const transfers = new TransfersService(new TransfersRepository(conn), fleet, people, audit, (e) =>
    assignments.recordTransfer(e),
  );
  const idempotency = new IdempotencyService(new IdempotencyRepository(conn));
  const shifts = new ShiftsService(new ShiftsRepository(conn), people, audit, events);
  // Devices' refused attempts (bus, dock claims, clip uploads): audited, summarised per window.
  const refusals = new DeviceRefusals(audit, log.child({ component: 'refusals' }));
  const credentials = new CredentialsService(new CredentialsRepository(conn), audit, fleet, events);
  // The versions register in memory: device health asks it whether a device's firmware is blocked.
  const versionsRepo = new VersionsRepository(conn);
  const firmwarePolicy = new FirmwarePolicy(versionsRepo);
  const deviceState = new DeviceStateService(
    new DeviceStateRepository(conn, p.telemetryConn),
    audit,
    events,
    {
      thresholds: {
        batteryLowPercent: config.BATTERY_LOW_PERCENT,
        storageFullPercent: config.STORAGE_FULL_PERCENT,
      },
      // The device's model from the fleet view's copy of the register (built below; asked only
      // once devices report, long after this function returns).
      firmwareVerdict: (kind, id, version): string | null =>
        firmwarePolicy.blockedReason(kind, fleetView.modelOf(kind, id), version),
      // The camera's register entry from the same copy: health (everywhere) checks it.
      register: (serial) => fleetView.registerFacts(serial),
      flushIntervalMs: config.TELEMETRY_FLUSH_MS,
      offlineAfterMs: config.DEVICE_OFFLINE_AFTER_S * 1000,
      lastSeenPersistMs: Math.min(30_000, config.DEVICE_OFFLINE_AFTER_S * 500),
      historySampleMs: config.TELEMETRY_HISTORY_SAMPLE_S * 1000,
    },
    log.child({ component: 'device-state' }),
  );
  const readiness = new ReadinessService(
    shifts,
    fleet,
    liveCameraSource(deviceState),
    {
      policy: {
        ...DEFAULT_POLICY,
        drainMinSpanMs: config.READINESS_DRAIN_MIN_SPAN_S * 1000,
      },
      refreshMs: config.READINESS_REFRESH_S * 1000,
      debounceMs: config.LIVE_WINDOW_MS,
    },
    log.child({ component: 'readiness' }),
  );
  const fleetView: FleetView = new FleetView(fleet, deviceLiveState(deviceState));
  const clipsRepo = new ClipsRepository(conn);
  const stationOr = (read: Promise<{ station: string }>) =>
    read.then(
      (r) => r.station,
      () => null,
    );
  const clips = new ClipsService(
    clipsRepo,
    p.evidence,
    audit,
    {
      // Who held the camera when the clip was recorded, and where the dock is (issue 3's records).
      holderAt: (camera, at) => assignments.holderAt(camera, at),
      stationOfDock: (dock) => stationOr(fleet.dock(dock)),
      stationOfCamera: (camera) => stationOr(fleet.camera(camera)),
      dockOfCamera: (camera) => deviceState.cameraDock(camera)?.dock ?? null,
    },
    p.notifyClip,
    events,
    config.CLIP_MAX_BYTES,
    (r) => refusals.refuse(r),
  );
  const redactionState = new ClipRedactionState(clipsRepo);
  const missedFaces = new MissedFaces(clipsRepo, p.evidence, audit, events);
  const disclosures = new Disclosures(clipsRepo, new DisclosuresRepository(conn), p.evidence, audit, events);
  const webhooksRepo = new WebhooksRepository(conn);
  const webhookDeliveries = new WebhookDeliveries(
    webhooksRepo,
    {
      allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      retry: { baseMs: config.WEBHOOK_RETRY_BASE_MS, windowMs: config.WEBHOOK_RETRY_WINDOW_S * 1000 },
      endpointsCacheMs: cacheMs,
    },
    log.child({ component: 'webhooks' }),
  );
  const webhooks = new WebhooksService(webhooksRepo, webhookDeliveries, audit, config.WEBHOOK_ALLOW_LOOPBACK);
  const firmwareArtifacts = new FirmwareArtifacts(
    new ArtifactsRepository(conn),
    new ArtifactFiles(path.join(config.DATA_DIR, 'firmware')),
    firmwarePolicy,
    audit,
    events,
    { trustedKeys: p.trustedKeys, maxBytes: config.FIRMWARE_MAX_BYTES },
  );
  const firmwareVersions = new FirmwareVersions(versionsRepo, firmwarePolicy, audit, events);
  const firmware = buildFirmware({
    config,
    conn,
    audit,
    events,
    fleet: firmwareFleet({ fleet, people, shifts, deviceState }),
    publish: p.sendCommand,
    platformUrl: p.platformUrl,
    artifacts: firmwareArtifacts,
    policy: firmwarePolicy,
    log,
  });
  const rollout = buildRollout({
    config,
    conn,
    audit,
    events,
    registers: rolloutRegisters({ people, fleet, shifts }),
    people,
    fleet,
    assignments,
    clips,
    scopeCacheMs: Math.max(1_000, cacheMs),
    log,
  });
  return {
    audit,
    users,
    loginThrottle,
    people,
    fleet,
    transfers,
    assignments,
    idempotency,
    shifts,
    readiness,
    refusals,
    credentials,
    deviceState,
    fleetView,
    clips,
    redactionState,
    missedFaces,
    disclosures,
    webhooks,
    webhookDeliveries,
    firmwarePolicy,
    firmwareArtifacts,
    firmwareVersions,
    ...firmware,
    ...rollout,
  };
}
