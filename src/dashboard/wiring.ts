// Connects the device-state capability's event stream to what the dashboard shows: live patches
// to the Socket.IO gateway (routed by the device's station in the register), live facts and battery
// history to shift readiness, and the live half of each device into snapshots. Every write to the
// register (check-out, check-in, fault…, a correction, a camera received from another station, a
// new device) updates the fleet view's copy and, if it changed what the view shows, is sent as the
// whole row (at a new station its rows start now). Lifecycle changes from the assignments capability
// also recompute the readiness boards they move.
import type { EventEmitter } from 'node:events';
import type { AssignmentEvents } from '../assignments/index.js';
import type { DeviceEvents, DeviceStateService, DeviceView } from '../devices/index.js';
import type { RegisterEvents } from '../fleet/index.js';
import type { Logger } from '../logger.js';
import type { LiveCameraSource } from '../readiness/index.js';
import type { DevicePatch } from '../realtime/index.js';
import type { FleetView, LiveHalf } from './fleet-view.js';

export const liveHalf = (v: DeviceView): LiveHalf => ({
  online: v.online,
  lastSeen: v.lastSeen,
  health: v.health,
  reasons: v.reasons,
  battery: v.battery,
  charging: v.charging,
  storage: v.storage,
  firmware: v.firmware,
  recording: v.recording,
  docked: v.docked,
});

export interface DashboardParts {
  events: DeviceEvents;
  assignments: AssignmentEvents;
  register: EventEmitter<RegisterEvents>;
  state: DeviceStateService;
  fleetView: FleetView;
  /** How often the fleet view reads the whole register again. */
  registerRefreshMs: number;
  gateway: () => { deviceChanged(p: DevicePatch): void } | null;
  readiness: {
    cameraChanged(serial: string): void;
    assignmentChanged(c: { camera: string; station: string; officer: string | null }): void;
    useLiveSource(s: LiveCameraSource): void;
  };
  log: Logger;
}

export function wireDashboard(p: DashboardParts) {
  p.fleetView.useLiveState({
    live: (kind, id) => {
      const v = p.state.view(kind, id);
      return v ? liveHalf(v) : null;
    },
    lastSeen: (kind, id) => p.state.lastSeen(kind, id),
  });
  p.readiness.useLiveSource({
    live: (serial) => {
      const v = p.state.view('camera', serial);
      return (
        v && {
          online: v.online,
          battery: v.battery,
          charging: v.charging,
          storage: v.storage,
          firmware: v.firmware,
          faults: v.faults,
        }
      );
    },
    history: async (serial, since) =>
      (await p.state.history('camera', serial, since, new Date())).map((s) => ({
        t: s.t,
        battery: s.battery,
        charging: s.charging,
      })),
  });
  p.events.on('device:changed', ({ kind, id, view }) => {
    const live = liveHalf(view);
    p.fleetView.liveChanged(kind, id, live);
    const known = p.fleetView.stationOf(kind, id);
    // No closure on the common path: tsx names every closure it creates (Object.defineProperty),
    // which at ten thousand changes a second was 2% of the platform's thread.
    if (known !== undefined) p.gateway()?.deviceChanged({ kind, id, station: known, ...live });
    else
      p.fleetView.lookupStation(kind, id).then(
        (station) => p.gateway()?.deviceChanged({ kind, id, station, ...live }),
        (err: unknown) => p.log.error({ err, kind, id }, 'station lookup failed'),
      );
    if (kind === 'camera') p.readiness.cameraChanged(id);
  });
  // The fleet row of a check-out, check-in… comes from the register's own event below.
  p.assignments.on('camera:lifecycle', (c) => p.readiness.assignmentChanged(c));
  const sendWhole = (rows: Array<{ kind: 'camera' | 'dock'; id: string }>) => {
    for (const { kind, id } of rows) {
      const row = p.fleetView.row(kind, id);
      if (row) p.gateway()?.deviceChanged(row);
    }
  };
  p.register.on('changed', ({ kind, id, fields }) => {
    const changed =
      id === null ? p.fleetView.reload() : p.fleetView.changed(kind, id, fields).then((r) => (r ? [r] : []));
    changed.then(sendWhole, (err: unknown) => p.log.error({ err, kind, id }, 'register re-read failed'));
  });
  // Writes made by other processes reach this one's fleet view with the next full read.
  return p.fleetView.start(p.registerRefreshMs, sendWhole, (err) =>
    p.log.warn({ err }, 'could not read the register for the fleet view'),
  );
}
