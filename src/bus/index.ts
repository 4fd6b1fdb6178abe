export type { EmbeddedBroker, RefusedAttempt } from './broker.js';
export { connectBus, type BusClient } from './client.js';
export { startBrokerThread, type BrokerThread } from './broker-thread.js';
export { deviceUsername, deviceFromUsername, type Identity } from './identity.js';
export * from './topics.js';
export { connectPublisher, type Publisher } from './publisher.js';
