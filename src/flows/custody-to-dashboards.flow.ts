// When the register changes (a check-out, check-in, fault, repair, loss, retirement, transfer, a
// correction, a new device) — in this process or, through the event spine, in another one:
//   1. the fleet view takes the new row (from the event's fields, or re-read), and dashboards
//      watching its station get the whole row;
//   2. the device's health is judged again against the register's new word (a lost camera that
//      reports in raises its alert even if it reports nothing new), and its row carries it;
//   3. a custody or status change recomputes the readiness boards it can move (the camera's station,
//      the one it was on duty at, and any board its officer is on).
// The fleet view also reads the whole register every `registerRefreshMs`: events are not durable,
// and one lost on the way (a process restarting) must not leave a dashboard wrong for good.
import type { FleetView, RegisterRow } from '../dashboard/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { ReadinessService } from '../readiness/index.js';
import type { RealtimeGateway } from '../realtime/index.js';

export function custodyToDashboards(p: {
  events: DomainEventBus;
  fleetView: FleetView;
  gateway: RealtimeGateway;
  readiness: ReadinessService;
  /** The device-state capability: health alerts that depend on the register. */
  deviceHealth: { registerChanged(kind: 'camera' | 'dock', id: string): void };
  registerRefreshMs: number;
  log: Logger;
}): { stop(): void } {
  const sendWhole = (rows: Array<Pick<RegisterRow, 'kind' | 'id'>>) => {
    for (const { kind, id } of rows) {
      p.deviceHealth.registerChanged(kind, id);
      const row = p.fleetView.row(kind, id);
      if (row) p.gateway.deviceChanged(row);
    }
  };
  const stops = [
    p.events.on('register.changed', ({ data: { kind, id, fields } }) => {
      const changed =
        id === null
          ? p.fleetView.reload()
          : p.fleetView.changed(kind, id, fields).then((r) => (r ? [r] : []));
      changed.then(sendWhole, (err: unknown) => p.log.error({ err, kind, id }, 'register re-read failed'));
    }),
    p.events.on('camera.checked-out', ({ data }) => p.readiness.assignmentChanged(data)),
    p.events.on('camera.checked-in', ({ data }) => p.readiness.assignmentChanged(data)),
    p.events.on('camera.status-changed', ({ data }) => p.readiness.assignmentChanged(data)),
  ];
  const refresh = p.fleetView.start(p.registerRefreshMs, sendWhole, (err) =>
    p.log.warn({ err }, 'could not read the register for the fleet view'),
  );
  return {
    stop() {
      for (const stop of stops) stop();
      refresh.stop();
    },
  };
}
