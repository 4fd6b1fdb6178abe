// What the platform says about clips on the bus, for systems outside it (`bwv/v1/clips/{id}/{event}`,
// docs/mqtt.md): offloaded, progress, redacted, failed, reviewed. A redacted clip is also a domain
// event (`clip.redacted`), for subscribers inside the platform and webhooks.
import type { BusClient } from '../bus/index.js';
import { clipTopic } from '../bus/index.js';
import type { ClipNotifier } from '../clips/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { Logger } from '../logger.js';

/** `bus()`: the bus once connected (null before: the notice is dropped, as a failed publish is). */
export const clipNotices =
  (bus: () => BusClient | null, events: DomainEventBus, log: Logger): ClipNotifier =>
  (id, event, payload) => {
    if (event === 'redacted') events.publish('clip.redacted', { clipId: id });
    bus()
      ?.publish(clipTopic(id, event), { clipId: id, ts: new Date().toISOString(), ...payload })
      .catch((err: unknown) => log.warn({ err, id, event }, 'could not publish a clip event'));
  };
