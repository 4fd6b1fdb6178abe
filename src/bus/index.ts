export { startBroker, type EmbeddedBroker, type RefusedAttempt } from './broker.js';
export { connectBus, type BusClient } from './client.js';
export { deviceUsername, deviceFromUsername, type Identity } from './identity.js';
export * from './topics.js';
