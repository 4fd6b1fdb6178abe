// The bus as the domain event spine's wire (events/event-wire-transport.ts): each crossing event's
// envelope on `bwv/v1/internal/events/{type}`, QoS 1, published and heard as a service identity —
// through the embedded broker's thread, the platform's client of an external broker, or a worker's
// service client (service-client.ts).
import type { DomainEventName, EventWire } from '../events/index.js';
import { internalEventTopic, internalEventType } from './topics.js';

export interface EventCarrier {
  publishText(topic: string, payload: string): Promise<void>;
  listenEvents(
    onMessage: (topic: string, payload: Buffer | string) => void,
    types?: readonly DomainEventName[],
  ): Promise<() => Promise<void>>;
}

export const eventWire = (carrier: EventCarrier): EventWire => ({
  send: (type, envelope) => carrier.publishText(internalEventTopic(type), envelope),
  listen: (onEnvelope, types) =>
    carrier.listenEvents((topic, payload) => {
      const type = internalEventType(topic);
      if (type !== null) onEnvelope(type, payload);
    }, types),
});
