// What the stores desk's check-out gates (assignments/checkout-gates.ts) are given: the force's
// settings (CHECKOUT_MIN_BATTERY, CHECKOUT_FIRMWARE) and a camera's facts read from memory — its
// last reading from the live device state, its firmware's standing from the versions register.
// No database read: it is asked on every check-out. Who gets what only.
import type { CheckoutGates } from '../assignments/index.js';
import type { Config } from '../config.js';
import type { DeviceStateService } from '../devices/index.js';
import type { FirmwarePolicy } from '../firmware/index.js';

export function checkoutGates(
  config: Pick<Config, 'CHECKOUT_MIN_BATTERY' | 'CHECKOUT_FIRMWARE'>,
  s: { deviceState: () => DeviceStateService; firmwarePolicy: () => FirmwarePolicy },
): CheckoutGates {
  const settings = { minBattery: config.CHECKOUT_MIN_BATTERY, firmware: config.CHECKOUT_FIRMWARE };
  return {
    settings,
    fitness: {
      of: ({ serial, model }) => {
        const reading = s.deviceState().reading('camera', serial)?.camera;
        if (!reading) return null;
        const version = reading.firmware;
        const policy = s.firmwarePolicy();
        return {
          battery: reading.battery,
          firmware: version,
          blocked: policy.blockedReason('camera', model, version),
          firmwareStatus: policy.status('camera', model, version),
          // Walks the register's entries: only when the force asks for the latest version.
          latest: settings.firmware === 'latest' ? policy.latestApproved('camera', model) : null,
        };
      },
    },
  };
}
