// When any domain event happens, each webhook endpoint subscribed to it gets a delivery, sent by the
// job scheduler. The subscriber returns at once: recording and sending are the deliveries' job,
// never the publisher's.
import type { DomainEventBus, Unsubscribe } from '../events/index.js';
import type { JobScheduler } from '../jobs/index.js';
import type { WebhookDeliveries } from '../webhooks/index.js';

export async function webhooksFlow(
  events: DomainEventBus,
  deliveries: WebhookDeliveries,
  jobs: JobScheduler,
): Promise<Unsubscribe> {
  await deliveries.useScheduler(jobs);
  return events.onAny((event) => deliveries.onEvent(event));
}
