import { SecureRouter } from '../http/route.js';
import {
  DeliveryParams,
  DeliveryQuery,
  WebhookBody,
  WebhookParams,
  WebhookPatchBody,
} from './webhooks.schemas.js';
import type { WebhooksService } from './webhooks.service.js';

/** Where events leave the platform is the admins' decision alone. */
const admins = ['admin'] as const;
const notFound = { problems: ['webhook-not-found' as const] };

export function webhooksRoutes(webhooks: WebhooksService) {
  const api = new SecureRouter();
  api.post(
    '/webhooks',
    { allow: admins, body: WebhookBody, status: 201, doc: { problems: ['webhook-url-refused'] } },
    ({ body, ctx }) => webhooks.create(body, ctx),
  );
  api.get('/webhooks', { allow: admins }, () => webhooks.list());
  api.get('/webhooks/:id', { allow: admins, params: WebhookParams, doc: notFound }, ({ params }) =>
    webhooks.get(params.id),
  );
  api.patch(
    '/webhooks/:id',
    {
      allow: admins,
      params: WebhookParams,
      body: WebhookPatchBody,
      doc: { problems: ['webhook-not-found', 'webhook-url-refused'] },
    },
    ({ params, body, ctx }) => webhooks.update(params.id, body, ctx),
  );
  api.delete('/webhooks/:id', { allow: admins, params: WebhookParams, doc: notFound }, ({ params, ctx }) =>
    webhooks.delete(params.id, ctx),
  );
  api.get(
    '/webhooks/:id/deliveries',
    { allow: admins, params: WebhookParams, query: DeliveryQuery, doc: notFound },
    ({ params, query }) => webhooks.deliveriesOf(params.id, query),
  );
  api.post(
    '/webhooks/:id/deliveries/:deliveryId/replay',
    {
      allow: admins,
      params: DeliveryParams,
      status: 202,
      doc: { problems: ['webhook-not-found', 'delivery-not-found', 'webhook-disabled'] },
    },
    ({ params, ctx }) => webhooks.replay(params.id, params.deliveryId, ctx),
  );
  return api.router;
}
