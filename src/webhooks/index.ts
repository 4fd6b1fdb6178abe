export { WebhooksService, type Webhook, type Delivery } from './webhooks.service.js';
export { WebhooksRepository } from './webhooks.repository.js';
export { WebhookDeliveries, DELIVER_JOB, type DeliveryOptions } from './webhooks.delivery.js';
export { webhooksRoutes } from './webhooks.routes.js';
export { WEBHOOK_EVENTS } from './webhook-events.js';
