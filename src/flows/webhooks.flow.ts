// When a domain event offered to webhooks happens (here or in another process), each endpoint
// subscribed to it gets a delivery, sent by the job scheduler. The subscriber returns at once:
// recording and sending are the deliveries' job, never the publisher's. Several processes hearing
// one event record one delivery per endpoint (its key is the event id and the endpoint).
import type { AnyDomainEvent, DomainEventBus, Unsubscribe } from '../events/index.js';
import type { JobScheduler } from '../jobs/index.js';
import { WEBHOOK_EVENTS, type WebhookDeliveries } from '../webhooks/index.js';

export async function webhooksFlow(
  events: DomainEventBus,
  deliveries: WebhookDeliveries,
  jobs: JobScheduler,
): Promise<Unsubscribe> {
  await deliveries.useScheduler(jobs);
  // Per type, not onAny: the telemetry path builds no envelope for an event nobody subscribes to.
  const offs = WEBHOOK_EVENTS.map((type) =>
    events.on(type, (event) => deliveries.onEvent(event as AnyDomainEvent)),
  );
  return () => offs.forEach((off) => off());
}
