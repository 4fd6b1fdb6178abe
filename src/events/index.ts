export { DOMAIN_EVENTS, CROSSING_EVENTS } from './domain-events.js';
export type { AnyDomainEvent, DomainEvent, DomainEventData, DomainEventName } from './domain-events.js';
export type { DomainEventBus, Unsubscribe } from './domain-event-bus.js';
export { LocalDomainEventBus } from './local-event-bus.js';
export {
  connectEventTransport,
  type EventTransport,
  type EventTransportStats,
  type EventWire,
} from './event-wire-transport.js';
