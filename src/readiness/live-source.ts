// What readiness needs of a camera's live side, read from the device-state capability: its current
// facts and its recent battery history (for the drain rate).
import type { DeviceStateService } from '../devices/index.js';
import type { LiveCameraSource } from './readiness.service.js';

export const liveCameraSource = (state: DeviceStateService): LiveCameraSource => ({
  live: (serial) => {
    const v = state.view('camera', serial);
    return (
      v && {
        online: v.online,
        battery: v.battery,
        charging: v.charging,
        storage: v.storage,
        firmware: v.firmware,
        // The camera's one health, reasons and words as the API and the fleet list show them.
        health: state.healthReasons('camera', serial) ?? [],
      }
    );
  },
  cameraHealth: (serial) => state.view('camera', serial)?.health ?? null,
  history: async (serial, since) =>
    (await state.history('camera', serial, since, new Date())).map((s) => ({
      t: s.t,
      battery: s.battery,
      charging: s.charging,
    })),
});
