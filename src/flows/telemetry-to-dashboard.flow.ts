// When a device's state changes (a telemetry reading, an event, going offline or online):
//   1. its fleet-view row takes the new live half,
//   2. dashboards watching its station get the patch (coalesced by the gateway),
//   3. a camera's readiness board, if it is on duty somewhere, is recomputed.
// In-process only: every API process hears the devices itself (device.state-changed does not cross).
import type { FleetView } from '../dashboard/index.js';
import { liveHalf } from '../dashboard/index.js';
import type { DeviceStateService } from '../devices/index.js';
import type { DomainEventBus, Unsubscribe } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { ReadinessService } from '../readiness/index.js';
import type { RealtimeGateway } from '../realtime/index.js';

export function telemetryToDashboard(p: {
  events: DomainEventBus;
  state: DeviceStateService;
  fleetView: FleetView;
  gateway: RealtimeGateway;
  readiness: ReadinessService;
  log: Logger;
}): Unsubscribe {
  return p.events.on('device.state-changed', ({ data: { kind, id } }) => {
    const view = p.state.view(kind, id);
    if (!view) return;
    const live = liveHalf(view);
    p.fleetView.liveChanged(kind, id, live);
    const known = p.fleetView.stationOf(kind, id);
    // No closure on the common path: tsx names every closure it creates (Object.defineProperty),
    // which at ten thousand changes a second was 2% of the platform's thread.
    if (known !== undefined) p.gateway.deviceChanged({ kind, id, station: known, ...live });
    else
      p.fleetView.lookupStation(kind, id).then(
        (station) => p.gateway.deviceChanged({ kind, id, station, ...live }),
        (err: unknown) => p.log.error({ err, kind, id }, 'station lookup failed'),
      );
    if (kind === 'camera') p.readiness.cameraChanged(id);
  });
}
