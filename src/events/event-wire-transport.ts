// The domain event map between processes: every event that `crosses` (domain-events.ts) and this
// process published goes out on the wire as its JSON envelope; every envelope that comes in from
// another process is parsed against the map (malformed: counted, logged, dropped) and delivered to
// this process's subscribers as if published here. The wire is the bus we already run (bus/
// event-wire.ts: the embedded broker's thread, or an MQTT client of an external broker), on internal
// topics only service identities may use.
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { Unsubscribe } from './domain-event-bus.js';
import {
  CROSSING_EVENTS,
  DOMAIN_EVENTS,
  type AnyDomainEvent,
  type DomainEventName,
} from './domain-events.js';
import type { LocalDomainEventBus } from './local-event-bus.js';

/** How events travel between processes, whatever carries them. */
export interface EventWire {
  /** Sends one event's JSON envelope to the other processes (QoS 1). */
  send(type: DomainEventName, envelope: string): Promise<void>;
  /**
   * Starts handing every envelope from the wire to `onEnvelope` (this process's own come back too;
   * the transport drops them). `types`: only these (default: every crossing event). Resolves with
   * the stop.
   */
  listen(
    onEnvelope: (type: string, envelope: Buffer | string) => void,
    types?: readonly DomainEventName[],
  ): Promise<() => Promise<void>>;
}

const Envelope = z.object({
  id: z.string().min(1),
  type: z.string(),
  version: z.number().int(),
  occurredAt: z.string(),
  source: z.string().min(1),
  data: z.unknown(),
});

export interface EventTransportStats {
  sent: number;
  received: number;
  malformed: number;
  sendFailures: number;
}

export interface EventTransport {
  stats(): EventTransportStats;
  close(): Promise<void>;
}

export interface EventTransportOptions {
  /** Only these events are heard from the wire (a redaction worker hears offloads only). */
  hear?: readonly DomainEventName[];
  /** Whether this process's crossing events are sent (default true). */
  send?: boolean;
}

export async function connectEventTransport(
  bus: LocalDomainEventBus,
  wire: EventWire,
  log: Logger,
  opts: EventTransportOptions = {},
): Promise<EventTransport> {
  const stats: EventTransportStats = { sent: 0, received: 0, malformed: 0, sendFailures: 0 };
  const hear = new Set<string>(opts.hear ?? CROSSING_EVENTS);

  const malformed = (type: string, reason: string) => {
    stats.malformed++;
    log.warn({ type, reason }, 'malformed domain event from the bus dropped');
  };
  const stop = await wire.listen((type, raw) => {
    if (!hear.has(type)) return;
    let json: unknown;
    try {
      json = JSON.parse(raw.toString());
    } catch {
      return malformed(type, 'not JSON');
    }
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) return malformed(type, 'not an event envelope');
    const e = envelope.data;
    if (e.source === bus.source) return; // our own, already delivered here when published
    const spec = DOMAIN_EVENTS[type as DomainEventName];
    if (e.type !== type) return malformed(type, `envelope of ${e.type} on the topic of ${type}`);
    if (e.version !== spec.version) return malformed(type, `version ${e.version}, expected ${spec.version}`);
    const data = spec.data.safeParse(e.data);
    if (!data.success) return malformed(type, data.error.issues[0]?.message ?? 'invalid data');
    stats.received++;
    bus.deliver({ ...e, data: data.data } as AnyDomainEvent);
  }, opts.hear);

  const unsubscribe: Unsubscribe[] = [];
  if (opts.send ?? true) {
    for (const type of CROSSING_EVENTS) {
      unsubscribe.push(
        bus.on(type, (event) => {
          if (event.source !== bus.source) return; // heard from another process: not ours to send
          wire.send(type, JSON.stringify(event)).then(
            () => stats.sent++,
            (err: unknown) => {
              // The other processes catch up with their periodic re-reads (fleet view, sweeps).
              stats.sendFailures++;
              log.warn({ err, type, id: event.id }, 'could not send a domain event on the bus');
            },
          );
        }),
      );
    }
  }
  return {
    stats: () => ({ ...stats }),
    async close() {
      for (const u of unsubscribe) u();
      await stop();
    },
  };
}
