// Deliveries: an event becomes one delivery per subscribed endpoint, each sent by the durable job
// `webhooks.deliver`, one job per attempt, until the receiver answers 2xx or the retry window ends.
//
// - Recording is keyed by (event id, endpoint): several processes hearing the same event, or the
//   same process hearing it twice, record it once (the insert is the claim).
// - The publish path does nothing slow: `onEvent` returns at once; the write and the network are
//   the job's (Snipe-IT: a failed notification never fails the check-out).
// - Each attempt's job is keyed by (delivery, attempt number), and an attempt is recorded by a
//   conditional update on the attempt count, so a job run twice (a crash mid-delivery, or two
//   processors on FerretDB v1) records one outcome; a receiver may see a message twice (at least
//   once, as every webhook sender) and drops the repeat by its `webhook-id`.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AnyDomainEvent, DomainEventName } from '../events/index.js';
import type { JobScheduler } from '../jobs/index.js';
import type { Logger } from '../logger.js';
import { nextAttemptAt, type RetryPolicy } from './backoff.js';
import { sendWebhook, type SendOptions } from './webhook.sender.js';
import type { DeliveryDoc, WebhookDoc } from './webhooks.model.js';
import type { NewDelivery, WebhooksRepository } from './webhooks.repository.js';

export const DELIVER_JOB = 'webhooks.deliver';
export const RESUME_JOB = 'webhooks.resume-overdue';
const DeliverData = z.object({ deliveryId: z.string(), attempt: z.number().int().min(1) });
/** A delivery due this long ago without an attempt lost its job (a crash between two writes). */
const OVERDUE_AFTER_MS = 60_000;
const RESUME_EVERY_MS = 60_000;

export const newDeliveryId = () => `msg_${randomBytes(16).toString('hex')}`;

export interface DeliveryOptions extends SendOptions {
  retry: RetryPolicy;
  /** How long the list of enabled endpoints is reused between events (changes made here apply at once). */
  endpointsCacheMs: number;
}

export class WebhookDeliveries {
  private endpoints: { at: number; list: Promise<WebhookDoc[]> } | null = null;
  private scheduler: JobScheduler | null = null;

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly opts: DeliveryOptions,
    private readonly log: Logger,
  ) {}

  /**
   * Defines the delivery jobs on the process's scheduler (before it starts) and schedules the sweep.
   * Built with the services, before the database is up; deliveries are made once this is called.
   */
  async useScheduler(jobs: JobScheduler): Promise<void> {
    this.scheduler = jobs;
    jobs.define({
      name: DELIVER_JOB,
      data: DeliverData,
      concurrency: 5,
      // A processor that died mid-attempt leaves it to another soon after the attempt's timeout.
      lockLifetimeMs: this.opts.timeoutMs * 2 + 30_000,
      handler: ({ deliveryId, attempt }) => this.attempt(deliveryId, attempt),
    });
    jobs.define({ name: RESUME_JOB, data: z.unknown(), handler: () => this.resumeOverdue() });
    await jobs.every(RESUME_JOB, RESUME_EVERY_MS);
  }

  private get jobs(): JobScheduler {
    if (!this.scheduler) throw new Error('webhook deliveries have no job scheduler yet');
    return this.scheduler;
  }

  /** The event subscriber: returns at once; recording and sending happen after. */
  onEvent(event: AnyDomainEvent): void {
    this.record(event).catch((err: unknown) =>
      this.log.error({ err, event: event.type, eventId: event.id }, 'could not record webhook deliveries'),
    );
  }

  /** Endpoint changes made through this process apply to the next event. */
  endpointsChanged() {
    this.endpoints = null;
  }

  /** Records one delivery of the event to each subscribed endpoint and queues its first attempt. */
  async record(event: AnyDomainEvent): Promise<number> {
    const targets = (await this.enabledEndpoints()).filter((w) => subscribes(w, event.type));
    let recorded = 0;
    for (const w of targets) {
      const delivery = this.newDelivery(w.id, `${event.id}:${w.id}`, {
        id: event.id,
        type: event.type,
        occurredAt: event.occurredAt,
        data: event.data,
      });
      if (!(await this.repo.insertDelivery(delivery))) continue; // recorded by another process
      recorded++;
      await this.queue(delivery.id, 1);
    }
    return recorded;
  }

  /** A new delivery of an earlier one's event (a replay): its own id, so it is sent again. */
  async replay(original: DeliveryDoc): Promise<NewDelivery> {
    const delivery = this.newDelivery(original.endpoint, `replay:${newDeliveryId()}`, original.event);
    delivery.replayOf = original.id;
    await this.repo.insertDelivery(delivery);
    await this.queue(delivery.id, 1);
    return delivery;
  }

  /** The job: attempt number `attempt` of the delivery, then its next attempt or its end. */
  private async attempt(deliveryId: string, attempt: number): Promise<void> {
    const d = await this.repo.delivery(deliveryId);
    if (!d || d.state === 'succeeded' || d.state === 'dead') return;
    if (d.attemptCount >= attempt) {
      // This attempt was made and recorded by a run that died before queueing the next.
      if (d.state === 'retrying' && d.nextAttemptAt)
        await this.queue(d.id, d.attemptCount + 1, d.nextAttemptAt);
      return;
    }
    const endpoint = await this.repo.byId(d.endpoint);
    if (!endpoint?.enabled) {
      await this.repo.kill(d.id, endpoint ? 'endpoint disabled' : 'endpoint deleted');
      return;
    }
    const body = JSON.stringify({ type: d.event.type, occurredAt: d.event.occurredAt, data: d.event.data });
    const outcome = await sendWebhook(endpoint, { id: d.id, body }, this.opts);
    const first = d.firstAttemptAt ?? outcome.at;
    const next = outcome.error === null ? null : nextAttemptAt(attempt, first, new Date(), this.opts.retry);
    const state = outcome.error === null ? 'succeeded' : next ? 'retrying' : 'dead';
    const recorded = await this.repo.recordAttempt(d.id, d.attemptCount, outcome, {
      state,
      nextAttemptAt: next,
      lastError: outcome.error ?? d.lastError,
      firstAttemptAt: first,
    });
    if (!recorded) return; // another run of this job recorded this attempt first
    if (state === 'dead')
      this.log.warn({ deliveryId, attempts: attempt, error: outcome.error }, 'webhook delivery dead');
    if (next) await this.queue(d.id, attempt + 1, next);
  }

  /** Re-queues due deliveries that have no job (idempotent: the job key is the attempt). */
  private async resumeOverdue() {
    const overdue = await this.repo.overdue(new Date(Date.now() - OVERDUE_AFTER_MS), 500);
    for (const d of overdue) await this.queue(d.id, d.attemptCount + 1);
  }

  private queue(deliveryId: string, attempt: number, at?: Date) {
    const data = { deliveryId, attempt };
    const key = `${deliveryId}:${attempt}`;
    return at
      ? this.jobs.schedule(DELIVER_JOB, data, at, key)
      : this.jobs.enqueueOnce(DELIVER_JOB, data, key);
  }

  private newDelivery(endpoint: string, key: string, event: DeliveryDoc['event']): NewDelivery {
    return {
      id: newDeliveryId(),
      key,
      endpoint,
      event,
      state: 'pending',
      attempts: [],
      attemptCount: 0,
      firstAttemptAt: null,
      nextAttemptAt: new Date(),
      lastError: null,
      replayOf: null,
    };
  }

  private enabledEndpoints(): Promise<WebhookDoc[]> {
    const now = Date.now();
    if (!this.endpoints || now - this.endpoints.at > this.opts.endpointsCacheMs) {
      const list = this.repo.enabled();
      this.endpoints = { at: now, list };
      list.catch(() => {
        if (this.endpoints?.list === list) this.endpoints = null;
      });
    }
    return this.endpoints.list;
  }
}

const subscribes = (w: WebhookDoc, type: DomainEventName) =>
  w.events.includes('*') || w.events.includes(type);
