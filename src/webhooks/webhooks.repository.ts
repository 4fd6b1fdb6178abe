import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import type { Page } from '../shared/index.js';
import {
  deliveryModel,
  webhookModel,
  type DeliveryAttempt,
  type DeliveryDoc,
  type DeliveryState,
  type WebhookDoc,
} from './webhooks.model.js';

const NO_ID = { _id: 0 } as const;
export type NewWebhook = Omit<WebhookDoc, 'createdAt' | 'updatedAt'>;
export type NewDelivery = Omit<DeliveryDoc, 'createdAt' | 'updatedAt'>;
export type WebhookPatch = Partial<Pick<WebhookDoc, 'url' | 'events' | 'description' | 'enabled'>>;

export class WebhooksRepository {
  private readonly webhooks;
  private readonly deliveries;
  constructor(conn: Connection) {
    this.webhooks = webhookModel(conn);
    this.deliveries = deliveryModel(conn);
  }

  async insert(w: NewWebhook): Promise<WebhookDoc> {
    const doc = (await this.webhooks.create(w)).toObject();
    delete (doc as { _id?: unknown })._id;
    return doc;
  }

  byId(id: string) {
    return this.webhooks.findOne({ id }, NO_ID).lean<WebhookDoc>();
  }

  list() {
    return this.webhooks.find({}, NO_ID).sort({ createdAt: 1 }).lean<WebhookDoc[]>();
  }

  enabled(): Promise<WebhookDoc[]> {
    return this.webhooks.find({ enabled: true }, NO_ID).lean<WebhookDoc[]>().exec();
  }

  /** The endpoint after the change, or null if it is gone. (FerretDB v1's findAndModify takes no projection.) */
  async update(id: string, patch: WebhookPatch): Promise<WebhookDoc | null> {
    await this.webhooks.updateOne({ id }, { $set: patch });
    return this.byId(id);
  }

  /** Removes the endpoint and its delivery log; true if it existed. */
  async delete(id: string): Promise<boolean> {
    const { deletedCount } = await this.webhooks.deleteOne({ id });
    await this.deliveries.deleteMany({ endpoint: id });
    return deletedCount > 0;
  }

  /** Inserts; false if a delivery with its key exists (another process, or an earlier call, recorded it). */
  async insertDelivery(d: NewDelivery): Promise<boolean> {
    try {
      await this.deliveries.create(d);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  delivery(id: string) {
    return this.deliveries.findOne({ id }, NO_ID).lean<DeliveryDoc>();
  }

  async deliveriesOf(
    endpoint: string,
    q: { state?: DeliveryState; limit: number; offset: number },
  ): Promise<Page<DeliveryDoc>> {
    const filter = { endpoint, ...(q.state && { state: q.state }) };
    const [items, total] = await Promise.all([
      this.deliveries
        .find(filter, NO_ID)
        .sort({ createdAt: -1, id: 1 })
        .skip(q.offset)
        .limit(q.limit)
        .lean<DeliveryDoc[]>(),
      this.deliveries.countDocuments(filter),
    ]);
    return { items, total, limit: q.limit, offset: q.offset };
  }

  /**
   * Appends attempt number `attemptCount + 1` and the state it leads to, unless that attempt is
   * already recorded (a rerun after a crash): true if this call recorded it.
   */
  async recordAttempt(
    id: string,
    attemptCount: number,
    attempt: DeliveryAttempt,
    next: Pick<DeliveryDoc, 'state' | 'nextAttemptAt' | 'lastError' | 'firstAttemptAt'>,
  ): Promise<boolean> {
    const { modifiedCount } = await this.deliveries.updateOne(
      { id, attemptCount, state: { $in: ['pending', 'retrying'] } },
      { $push: { attempts: attempt }, $set: { ...next, attemptCount: attemptCount + 1 } },
    );
    return modifiedCount === 1;
  }

  /** Ends a delivery that can no longer be made (its endpoint was disabled or deleted). */
  async kill(id: string, lastError: string) {
    await this.deliveries.updateOne(
      { id, state: { $in: ['pending', 'retrying'] } },
      { $set: { state: 'dead', nextAttemptAt: null, lastError } },
    );
  }

  /** Deliveries that should have been attempted before `before` (their job was lost in a crash). */
  overdue(before: Date, limit: number) {
    return this.deliveries
      .find({ state: { $in: ['pending', 'retrying'] }, nextAttemptAt: { $lt: before } }, NO_ID)
      .limit(limit)
      .lean<DeliveryDoc[]>();
  }
}
