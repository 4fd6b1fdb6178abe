// The live half of the fleet view's rows, read from the device-state capability: what a dashboard
// row shows of a device beside what the register says of it.
import type { DeviceStateService, DeviceView } from '../devices/index.js';
import type { LiveHalf, LiveStateSource } from './fleet-view.js';

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

export const deviceLiveState = (state: DeviceStateService): LiveStateSource => ({
  live: (kind, id) => {
    const v = state.view(kind, id);
    return v ? liveHalf(v) : null;
  },
  lastSeen: (kind, id) => state.lastSeen(kind, id),
});
