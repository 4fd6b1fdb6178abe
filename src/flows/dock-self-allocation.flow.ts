// Dock self-allocation: when an officer badge-taps at a dock, the fullest-charged healthy camera in
// it is pool-issued to them and the dock told to release it (or to deny); when a dock reports a pool
// camera put back, it is checked in once the camera corroborates it. The rules are the devices
// capability's (DockAllocation, DockedClaims); the check-out and check-in are the assignments'.
import type { ActionContext } from '../shared/index.js';
import type { AssignmentsService } from '../assignments/index.js';
import type { DeviceRef } from '../bus/index.js';
import {
  DockAllocation,
  DockedClaims,
  type DeviceRefusals,
  type DeviceStateService,
} from '../devices/index.js';
import type { DomainEventBus, Unsubscribe } from '../events/index.js';
import type { FleetService } from '../fleet/index.js';
import type { Logger } from '../logger.js';

export function dockSelfAllocation(p: {
  events: DomainEventBus;
  state: DeviceStateService;
  assignments: AssignmentsService;
  fleet: FleetService;
  refusals: DeviceRefusals;
  sendCommand: (device: DeviceRef, command: Record<string, unknown>) => Promise<string>;
  log: Logger;
}): Unsubscribe {
  const stationOr = (read: Promise<{ station: string }>) =>
    read.then(
      (r) => r.station,
      () => null,
    );
  const allocation = new DockAllocation(
    p.state,
    {
      checkOutPool: (camera, officer, ctx: ActionContext) =>
        p.assignments.checkOut({ camera, officer, mode: 'pool' }, ctx),
      openAssignment: (camera) => p.assignments.openAssignment(camera),
      checkIn: (camera, ctx) => p.assignments.checkIn({ camera, condition: 'ok' }, ctx),
      cameraStation: (camera) => stationOr(p.fleet.camera(camera)),
      dockStation: (dock) => stationOr(p.fleet.dock(dock)),
    },
    p.sendCommand,
    new DockedClaims(p.state, p.events),
    p.refusals,
  );
  const failed = (err: unknown) => p.log.error({ err }, 'dock self-allocation failed');
  const stops = [
    p.events.on('dock.badge-tapped', ({ data }) =>
      allocation
        .onBadgeTap(data.dock, data.officer, (reason) =>
          p.events.publish('dock.allocation-denied', { ...data, reason }),
        )
        .catch(failed),
    ),
    p.events.on('dock.camera-docked', ({ data }) =>
      allocation.onDocked(data.dock, data.camera, data.slot).catch(failed),
    ),
  ];
  return () => stops.forEach((stop) => stop());
}
