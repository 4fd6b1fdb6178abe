// When any domain event happens, each webhook endpoint subscribed to it gets a delivery. The
// subscriber returns at once: recording and sending are the deliveries' job, never the publisher's.
import type { DomainEventBus, Unsubscribe } from '../events/index.js';
import type { WebhookDeliveries } from '../webhooks/index.js';

export const webhooksFlow = (events: DomainEventBus, deliveries: WebhookDeliveries): Unsubscribe =>
  events.onAny((event) => deliveries.onEvent(event));
