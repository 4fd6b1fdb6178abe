// Devices and the broker: who may connect, and what happens when that changes.
//   - The embedded broker asks the credentials for every device CONNECT, and reports every refusal
//     (CONNECT, publish, subscribe, cut-off) to the refusals, which audit them summarised.
//   - When a device's credentials are revoked (replaced), its live sessions are closed.
//   - On an external Mosquitto with dynamic security, every issue is provisioned to the broker.
import type { BrokerRefusal, BrokerThread, BusClient } from '../bus/index.js';
import { deviceUsername } from '../bus/index.js';
import type { CredentialsService, DeviceRefusals } from '../devices/index.js';
import type { DomainEventBus, Unsubscribe } from '../events/index.js';

export const brokerAccess = (credentials: CredentialsService, refusals: DeviceRefusals) => ({
  verifyDevice: (username: string, password: string) => credentials.verify(username, password),
  onRefused: (r: BrokerRefusal) => refusals.fromBroker(r),
});

export const disconnectRevoked = (events: DomainEventBus, broker: BrokerThread): Unsubscribe =>
  events.on('device.credentials-revoked', ({ data }) =>
    broker.disconnect(deviceUsername(data.kind, data.id)),
  );

export function provisionToBroker(credentials: CredentialsService, bus: BusClient) {
  if (!bus.provisionDevice) return;
  credentials.syncToBroker((kind, id, username, password) =>
    bus.provisionDevice!({ kind, id }, username, password),
  );
}
