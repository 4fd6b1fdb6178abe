// The in-process transport of the domain event map: subscribers are called synchronously, in the
// order they subscribed, right after the publisher's write; a subscriber that throws (or rejects)
// is logged and the others still run. The bus transport (events between processes) feeds events
// from other processes in through `deliver`.
import type { Logger } from '../logger.js';
import type { DomainEventBus, Unsubscribe } from './domain-event-bus.js';
import {
  DOMAIN_EVENTS,
  type AnyDomainEvent,
  type DomainEvent,
  type DomainEventData,
  type DomainEventName,
} from './domain-events.js';

type Handler = (event: AnyDomainEvent) => unknown;

export class LocalDomainEventBus implements DomainEventBus {
  private readonly byType = new Map<DomainEventName, Set<Handler>>();
  private readonly any = new Set<Handler>();
  /** Numbers this process's events: with `source`, unique without a random UUID per event. */
  private seq = 0;

  /** @param source this process's name in every envelope (`host:pid`). */
  constructor(
    readonly source: string,
    private readonly log: Logger,
  ) {}

  publish<N extends DomainEventName>(type: N, data: DomainEventData<N>): void {
    // The telemetry path publishes thousands of events a second: no envelope when nobody listens.
    if (this.any.size === 0 && !this.byType.get(type)?.size) return;
    const event = {
      // The telemetry path publishes thousands a second: a counter, not a random UUID.
      id: `${this.source}/${++this.seq}`,
      type,
      version: DOMAIN_EVENTS[type].version,
      occurredAt: new Date().toISOString(),
      source: this.source,
      data,
    } as DomainEvent<N> as AnyDomainEvent;
    this.deliver(event);
  }

  /** Hands an event (this process's or another's) to every subscriber. */
  deliver(event: AnyDomainEvent): void {
    for (const handler of this.byType.get(event.type) ?? []) this.call(handler, event);
    for (const handler of this.any) this.call(handler, event);
  }

  on<N extends DomainEventName>(type: N, handler: (event: DomainEvent<N>) => unknown): Unsubscribe {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    const h = handler as Handler;
    set.add(h);
    return () => set.delete(h);
  }

  onAny(handler: (event: AnyDomainEvent) => unknown): Unsubscribe {
    this.any.add(handler);
    return () => this.any.delete(handler);
  }

  private call(handler: Handler, event: AnyDomainEvent) {
    try {
      const result = handler(event);
      if (result instanceof Promise)
        result.catch((err: unknown) => this.log.error({ err, event: event.type }, 'event subscriber failed'));
    } catch (err) {
      this.log.error({ err, event: event.type }, 'event subscriber failed');
    }
  }
}
