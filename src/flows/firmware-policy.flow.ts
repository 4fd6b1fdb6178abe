// When IT approves, blocks or withdraws a firmware version (in this process or, through the event
// spine, in another one):
//   1. this process's copy of the versions register reads that entry again;
//   2. every device of that kind reporting that version is announced as changed, so its health
//      (`fault`, "firmware 1.9.0 is blocked", or back) reaches the fleet view, the live dashboards
//      and its readiness board within the live window.
// The register is also read whole every `refreshMs`: events are not durable, and one lost on the way
// must not leave a blocked version looking fit for good.
import type { DeviceStateService } from '../devices/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { FirmwarePolicy, PolicyChange } from '../firmware/index.js';
import type { Logger } from '../logger.js';

export function firmwarePolicyFlow(p: {
  events: DomainEventBus;
  policy: FirmwarePolicy;
  state: DeviceStateService;
  refreshMs: number;
  log: Logger;
}): { stop(): void } {
  const reassess = (changes: PolicyChange[]) => {
    for (const c of changes) p.state.firmwareStatusChanged(c.kind, c.version);
  };
  const stopEvents = p.events.on('firmware.version-status-changed', ({ data: { kind, model, version } }) =>
    p.policy.refresh(kind, model, version).then(
      () => reassess([{ kind, version }]),
      (err: unknown) => p.log.error({ err, kind, model, version }, 'could not read a firmware version again'),
    ),
  );
  const refresh = p.policy.start(p.refreshMs, reassess, (err) =>
    p.log.warn({ err }, 'could not read the firmware versions register'),
  );
  return {
    stop() {
      stopEvents();
      refresh.stop();
    },
  };
}
