// The firmware capability's services, and what it is given of the others: the register, the live
// device state and the roster (as FirmwareFleet), the bus's command publisher. Who gets what only.
import type { AuditService } from '../audit/index.js';
import type { Config } from '../config.js';
import type { Connection } from '../db/connection.js';
import type { DeviceStateService } from '../devices/index.js';
import type { DomainEventBus } from '../events/index.js';
import {
  CampaignsRepository,
  CampaignsService,
  CampaignTransitions,
  ComplianceService,
  FirmwareEngine,
  UpdatesRepository,
  WindowsRepository,
  WindowsService,
  type ArtifactsPort,
  type CommandPublisher,
  type FirmwareFleet,
  type FleetDevice,
  type LiveFacts,
  type PolicyPort,
} from '../firmware/index.js';
import type { FleetService } from '../fleet/index.js';
import type { Logger } from '../logger.js';
import type { PeopleService } from '../people/index.js';
import type { ShiftsService } from '../shifts/index.js';

/** `null` for a record that is not there (a 404 of its service); anything else is an error. */
const orNull = <T>(read: Promise<T>): Promise<T | null> =>
  read.catch((err: unknown) => {
    if ((err as { status?: unknown }).status === 404) return null;
    throw err;
  });

export function firmwareFleet(s: {
  fleet: FleetService;
  people: PeopleService;
  shifts: ShiftsService;
  deviceState: DeviceStateService;
}): FirmwareFleet {
  return {
    async devices(kind, model) {
      if (kind === 'camera') {
        const cameras = await s.fleet.allCameras(model ? { model } : {});
        return cameras.map((c): FleetDevice => ({
          kind,
          id: c.serial,
          station: c.station,
          model: c.model,
          status: c.status,
          holder: c.holder,
          transfer: c.transfer,
        }));
      }
      const { items } = await s.fleet.listDocks({}, 1_000_000, 0);
      return items
        .filter((d) => !model || d.model === model)
        .map((d): FleetDevice => ({
          kind,
          id: d.id,
          station: d.station,
          model: d.model,
          status: null,
          holder: null,
          transfer: null,
        }));
    },
    async register({ kind, id }) {
      if (kind === 'camera') {
        const c = await orNull(s.fleet.camera(id));
        return (
          c && {
            station: c.station,
            model: c.model,
            status: c.status,
            holder: c.holder,
            transfer: c.transfer,
          }
        );
      }
      const d = await orNull(s.fleet.dock(id));
      return d && { station: d.station, model: d.model, status: null, holder: null, transfer: null };
    },
    live({ kind, id }): LiveFacts | null {
      const r = s.deviceState.reading(kind, id);
      if (!r) return null;
      const c = r.camera;
      const d = r.dock;
      return {
        online: r.online,
        firmware: c?.firmware ?? d?.firmware ?? null,
        camera: c && {
          battery: c.battery,
          charging: c.charging,
          recording: c.recording,
          docked: c.dock !== null,
          ts: c.ts,
        },
        dock: d && {
          uplink: d.network.online,
          offloading: d.slots.some((x) => x.offload === 'offloading'),
          ts: d.ts,
        },
      };
    },
    async officersOnShift(at) {
      const shifts = await s.shifts.list({ from: at, to: new Date(at.getTime() + 1) });
      return new Set(shifts.flatMap((x) => x.officers));
    },
    stationExists: (code) => orNull(s.people.station(code)).then((x) => x !== null),
  };
}

export function buildFirmware(p: {
  config: Config;
  conn: Connection;
  audit: AuditService;
  events: DomainEventBus;
  fleet: FirmwareFleet;
  /** Publishes a device command on the bus. */
  publish: CommandPublisher;
  /** The platform's own URL, once it listens (download URLs when FIRMWARE_DOWNLOAD_BASE_URL is unset). */
  platformUrl: () => string;
  /** The artifacts register and the versions register (this capability's artifacts.*, versions.*). */
  artifacts: ArtifactsPort;
  policy: PolicyPort;
  log: Logger;
}) {
  const { config, conn, audit, events } = p;
  const { artifacts: firmwareArtifacts, policy: firmwarePolicy } = p;
  const campaignsRepo = new CampaignsRepository(conn);
  const updatesRepo = new UpdatesRepository(conn);
  const transitions = new CampaignTransitions(campaignsRepo, audit, events);
  const firmwareWindows = new WindowsService(new WindowsRepository(conn), p.fleet, audit);
  const firmwareCampaigns = new CampaignsService(
    campaignsRepo,
    updatesRepo,
    transitions,
    firmwareArtifacts,
    firmwarePolicy,
    p.fleet,
    { stepTimeoutS: config.FIRMWARE_STEP_TIMEOUT_S, minBattery: config.FIRMWARE_MIN_BATTERY },
  );
  const firmwareCompliance = new ComplianceService(p.fleet, firmwarePolicy);
  const downloadBase = config.FIRMWARE_DOWNLOAD_BASE_URL?.replace(/\/+$/, '');
  const firmwareEngine = config.FIRMWARE_ENGINE
    ? new FirmwareEngine(
        campaignsRepo,
        updatesRepo,
        transitions,
        firmwareWindows,
        firmwareArtifacts,
        p.fleet,
        p.publish,
        events,
        {
          tickMs: config.FIRMWARE_TICK_MS,
          sendsPerMinute: config.FIRMWARE_SENDS_PER_MINUTE,
          retryBaseS: config.FIRMWARE_RETRY_BASE_S,
          downloadBase: () => downloadBase ?? p.platformUrl(),
        },
        p.log.child({ component: 'firmware-engine' }),
      )
    : null;
  return {
    firmwareCampaigns,
    firmwareWindows,
    firmwareCompliance,
    firmwareEngine,
  };
}
