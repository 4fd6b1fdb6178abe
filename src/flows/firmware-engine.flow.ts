// When a device acknowledges a step, reports a change, or changes hands, and when a campaign or a
// roster changes (here or, through the spine, in another process), the firmware engine looks at
// that campaign again now rather than at its next tick. The engine runs in one process
// (FIRMWARE_ENGINE); its job `firmware.tick` does all of this from the database anyway, so an
// event missed here delays an update by a tick, never loses it.
import type { DomainEventBus } from '../events/index.js';
import type { FirmwareEngine } from '../firmware/index.js';
import type { JobScheduler } from '../jobs/index.js';

export async function firmwareEngineFlow(p: {
  events: DomainEventBus;
  engine: FirmwareEngine;
  /** The process's scheduler, not yet started: the engine's tick is defined on it. */
  jobs: JobScheduler;
}): Promise<() => Promise<void>> {
  const { events, engine } = p;
  const custody = (camera: string) => engine.deviceChanged('camera', camera, true);
  const offs = [
    events.on('device.command-acked', ({ data }) => engine.onAck(data)),
    events.on('device.state-changed', ({ data }) => engine.deviceChanged(data.kind, data.id)),
    events.on('register.changed', ({ data }) => {
      if (data.id !== null) engine.deviceChanged(data.kind, data.id, true);
    }),
    events.on('camera.checked-out', ({ data }) => custody(data.camera)),
    events.on('camera.checked-in', ({ data }) => custody(data.camera)),
    events.on('camera.status-changed', ({ data }) => custody(data.camera)),
    events.on('firmware.campaign-changed', ({ data }) => engine.campaignChanged(data.campaign)),
    events.on('shift.roster-imported', () => engine.shiftsChanged()),
  ];
  await engine.useScheduler(p.jobs);
  return async () => {
    for (const off of offs) off();
    await engine.stop();
  };
}
