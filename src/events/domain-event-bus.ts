// The one interface capabilities publish domain events through and flows subscribe with.
import type { AnyDomainEvent, DomainEvent, DomainEventData, DomainEventName } from './domain-events.js';

export type Unsubscribe = () => void;

export interface DomainEventBus {
  /**
   * Publishes an event after the write it reports. Never throws and never waits for subscribers: a
   * slow or failing subscriber cannot slow or fail the action that raised the event.
   */
  publish<N extends DomainEventName>(type: N, data: DomainEventData<N>): void;
  /** Calls `handler` for each event of this type, this process's and (where carried) other processes'. */
  on<N extends DomainEventName>(type: N, handler: (event: DomainEvent<N>) => unknown): Unsubscribe;
  /** Calls `handler` for every event (webhooks). */
  onAny(handler: (event: AnyDomainEvent) => unknown): Unsubscribe;
}
