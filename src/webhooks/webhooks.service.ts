// Webhook endpoints: admins register where events go, change, disable and delete them, read each
// one's delivery log and replay a delivery. Every change is audited; the signing secret is shown in
// the 201 of the creation and never again (not in responses, the audit trail or the log).
import { randomBytes } from 'node:crypto';
import { changedFields, type AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import type { ActionContext, Page } from '../shared/index.js';
import { RefusedAddress, resolveDestination } from './address-guard.js';
import type { WebhookDeliveries } from './webhooks.delivery.js';
import type { DeliveryDoc, WebhookDoc } from './webhooks.model.js';
import type { WebhooksRepository } from './webhooks.repository.js';
import type { DeliveryListQuery, WebhookInput, WebhookPatchInput } from './webhooks.schemas.js';

export type Webhook = Omit<WebhookDoc, 'secret'>;
export type Delivery = Omit<DeliveryDoc, 'key' | 'event' | 'attemptCount'> & {
  eventId: string;
  type: string;
  occurredAt: string;
  data: unknown;
};

const view = ({ secret: _, ...w }: WebhookDoc): Webhook => w;
const deliveryView = ({ key: _k, event, attemptCount: _c, ...d }: DeliveryDoc): Delivery => ({
  ...d,
  eventId: event.id,
  type: event.type,
  occurredAt: event.occurredAt,
  data: event.data,
});
/** Standard Webhooks secrets: `whsec_` and base64 of 24 to 64 random bytes. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export class WebhooksService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly deliveries: WebhookDeliveries,
    private readonly audit: AuditService,
    private readonly allowLoopback: boolean,
  ) {}

  async create(input: WebhookInput, ctx: ActionContext): Promise<Webhook & { secret: string }> {
    await this.checkUrl(input.url);
    const created = await this.repo.insert({
      id: `wh_${randomBytes(12).toString('hex')}`,
      url: input.url,
      events: input.events,
      description: input.description,
      enabled: true,
      secret: newSecret(),
    });
    this.deliveries.endpointsChanged();
    await this.audit.record(ctx, {
      action: 'webhook.create',
      target: { kind: 'webhook', id: created.id },
      summary: `Webhook to ${new URL(created.url).host} registered for ${created.events.join(', ')}`,
      changes: { url: created.url, events: created.events, description: created.description },
    });
    return { ...view(created), secret: created.secret };
  }

  async list(): Promise<Webhook[]> {
    return (await this.repo.list()).map(view);
  }

  async get(id: string): Promise<Webhook> {
    return view(await this.existing(id));
  }

  async update(id: string, patch: WebhookPatchInput, ctx: ActionContext): Promise<Webhook> {
    const before = await this.existing(id);
    if (patch.url !== undefined && patch.url !== before.url) await this.checkUrl(patch.url);
    const changes = changedFields(before, patch);
    if (Object.keys(changes).length === 0) return view(before);
    const after = await this.repo.update(id, patch);
    if (!after) throw notFound('webhook', id);
    this.deliveries.endpointsChanged();
    const what = patch.enabled === false ? 'disabled' : patch.enabled === true ? 'enabled' : 'changed';
    await this.audit.record(ctx, {
      action: 'webhook.update',
      target: { kind: 'webhook', id },
      summary: `Webhook to ${new URL(after.url).host} ${what}`,
      changes,
    });
    return view(after);
  }

  async delete(id: string, ctx: ActionContext): Promise<void> {
    const before = await this.existing(id);
    if (!(await this.repo.delete(id))) throw notFound('webhook', id);
    this.deliveries.endpointsChanged();
    await this.audit.record(ctx, {
      action: 'webhook.delete',
      target: { kind: 'webhook', id },
      summary: `Webhook to ${new URL(before.url).host} deleted with its delivery log`,
      changes: { url: before.url, events: before.events },
    });
  }

  async deliveriesOf(id: string, q: DeliveryListQuery): Promise<Page<Delivery>> {
    await this.existing(id);
    const page = await this.repo.deliveriesOf(id, q);
    return { ...page, items: page.items.map(deliveryView) };
  }

  /** Sends a delivery's event again as a new delivery (its own id and log entry). */
  async replay(id: string, deliveryId: string, ctx: ActionContext): Promise<Delivery> {
    const endpoint = await this.existing(id);
    const original = await this.repo.delivery(deliveryId);
    if (!original || original.endpoint !== id) throw notFound('delivery', deliveryId);
    if (!endpoint.enabled) {
      throw new AppError('webhook-disabled', 'Enable the webhook before replaying its deliveries');
    }
    const replay = await this.deliveries.replay(original);
    await this.audit.record(ctx, {
      action: 'webhook.delivery.replay',
      target: { kind: 'webhook', id },
      summary: `Delivery ${original.id} (${original.event.type}) replayed as ${replay.id}`,
      changes: { replayOf: original.id, delivery: replay.id },
    });
    const stored = await this.repo.delivery(replay.id);
    return deliveryView(stored ?? { ...replay, createdAt: new Date(), updatedAt: new Date() });
  }

  private async existing(id: string): Promise<WebhookDoc> {
    const w = await this.repo.byId(id);
    if (!w) throw notFound('webhook', id);
    return w;
  }

  private async checkUrl(url: string) {
    try {
      await resolveDestination(new URL(url), this.allowLoopback);
    } catch (err) {
      if (!(err instanceof RefusedAddress)) throw err;
      throw new AppError('webhook-url-refused', err.message, [{ path: 'body.url', message: err.message }]);
    }
  }
}
