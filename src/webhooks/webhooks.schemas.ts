import { z } from 'zod';
import { PageQuery } from '../shared/index.js';

import { WEBHOOK_EVENTS as EVENT_NAMES } from './webhook-events.js';

/** Event names from the map (those offered to webhooks), or `["*"]` alone for every event. */
const Events = z
  .array(z.union([z.enum(EVENT_NAMES), z.literal('*')]))
  .min(1)
  .max(EVENT_NAMES.length)
  .refine((e) => !e.includes('*') || e.length === 1, { message: '"*" stands alone: every event' })
  .transform((e) => [...new Set(e)]);

const Url = z
  .url({ protocol: /^https?$/, message: 'an http or https URL' })
  .max(2048)
  // zod runs this refinement even when the URL check above failed: parse defensively (a throw here
  // would be a 500; the fuzz test found it).
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), {
    message: 'no credentials in the URL: the receiver checks the signature',
  });

export const WebhookBody = z.strictObject({
  url: Url,
  events: Events,
  description: z.string().trim().max(500).default(''),
});

export const WebhookPatchBody = z
  .strictObject({
    url: Url.optional(),
    events: Events.optional(),
    description: z.string().trim().max(500).optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' });

export const WebhookParams = z.object({ id: z.string().regex(/^wh_[0-9a-f]{24}$/) });
export const DeliveryParams = WebhookParams.extend({ deliveryId: z.string().regex(/^msg_[0-9a-f]{32}$/) });
export const DeliveryQuery = PageQuery.extend({
  state: z.enum(['pending', 'retrying', 'succeeded', 'dead']).optional(),
});

export type WebhookInput = z.output<typeof WebhookBody>;
export type WebhookPatchInput = z.output<typeof WebhookPatchBody>;
export type DeliveryListQuery = z.output<typeof DeliveryQuery>;
