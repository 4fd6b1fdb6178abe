export type { EmbeddedBroker, BrokerRefusal } from './broker.js';
export {
  DEFAULT_REFUSAL_LIMITS,
  RefusalWindows,
  type RefusalLimits,
  type RefusalSummary,
} from './refusal-windows.js';
export { connectBus, type BusClient } from './client.js';
export { startBrokerThread, type BrokerThread } from './broker-thread.js';
export { deviceUsername, deviceFromUsername, ownClientId, type Identity } from './identity.js';
export * from './topics.js';
export { connectServiceClient, type ServiceClient } from './service-client.js';
export { eventWire, type EventCarrier } from './event-wire.js';
export { embeddedBrokerOptions } from './embedded-options.js';
export { commandSender, type SendCommand } from './commands.js';
export { connectPlatformBus } from './platform-bus.js';
