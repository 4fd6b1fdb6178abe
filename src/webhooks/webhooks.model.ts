// Webhook endpoints an admin registered, and the log of deliveries to each.
import { Schema, type Connection } from 'mongoose';

export interface WebhookDoc {
  /** `wh_…`, the path parameter. */
  id: string;
  url: string;
  /** Event names from the domain event map, or `['*']` for every event. */
  events: string[];
  description: string;
  enabled: boolean;
  /** `whsec_…`: shown once, in the 201 of its creation; never in any other response or log. */
  secret: string;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryState = 'pending' | 'retrying' | 'succeeded' | 'dead';

export interface DeliveryAttempt {
  at: Date;
  durationMs: number;
  /** The receiver's status code, when it answered. */
  status: number | null;
  /** Why it failed without (or despite) an answer: timeout, refused, non-2xx. */
  error: string | null;
}

export interface DeliveryDoc {
  /** `msg_…`: the `webhook-id` header, the same on every attempt so a receiver can drop repeats. */
  id: string;
  /**
   * What makes a delivery one: `<event id>:<endpoint id>` (every process that hears the event tries
   * to record it; the unique index lets one insert win), `replay:<id>` for a replay.
   */
  key: string;
  endpoint: string;
  /** The event as it is sent: the body is `{type, occurredAt, data}`. */
  event: { id: string; type: string; occurredAt: string; data: unknown };
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  /** attempts.length, kept beside it so that recording an attempt is a conditional update on it. */
  attemptCount: number;
  firstAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  lastError: string | null;
  /** The delivery this one replays. */
  replayOf: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const webhookSchema = new Schema<WebhookDoc>(
  {
    id: { type: String, required: true, unique: true },
    url: { type: String, required: true },
    events: { type: [String], required: true },
    description: { type: String, default: '' },
    enabled: { type: Boolean, default: true },
    secret: { type: String, required: true },
  },
  { collection: 'webhooks', timestamps: true, versionKey: false },
);

const attemptSchema = new Schema<DeliveryAttempt>(
  {
    at: { type: Date, required: true },
    durationMs: { type: Number, required: true },
    status: { type: Number, default: null },
    error: { type: String, default: null },
  },
  { _id: false },
);

const deliverySchema = new Schema<DeliveryDoc>(
  {
    id: { type: String, required: true, unique: true },
    key: { type: String, required: true, unique: true },
    endpoint: { type: String, required: true },
    event: { type: Schema.Types.Mixed, required: true },
    state: { type: String, required: true },
    attempts: { type: [attemptSchema], default: [] },
    attemptCount: { type: Number, default: 0 },
    firstAttemptAt: { type: Date, default: null },
    nextAttemptAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    replayOf: { type: String, default: null },
  },
  { collection: 'webhook_deliveries', timestamps: true, versionKey: false, minimize: false },
);
// The delivery log of an endpoint, newest first; the sweep's due deliveries.
deliverySchema.index({ endpoint: 1, createdAt: -1 });
deliverySchema.index({ state: 1, nextAttemptAt: 1 });

export const webhookModel = (conn: Connection) => conn.model<WebhookDoc>('Webhook', webhookSchema);
export const deliveryModel = (conn: Connection) => conn.model<DeliveryDoc>('WebhookDelivery', deliverySchema);
