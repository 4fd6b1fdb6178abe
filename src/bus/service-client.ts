// An MQTT client for a process that is not an API platform (a `--role redaction` worker): it hears
// only the domain events it asks for and publishes service messages, as the service identity. It
// subscribes to no device topic, so it does not receive the fleet's telemetry.
//
// Events may be heard as one shared group (`$share/{group}/…`, MQTT 5 §4.8.2; Mosquitto and EMQX
// honour it for 3.1.1 clients too), so that a broker that supports it hands each event to one member.
// The embedded aedes does not (moscajs/aedes#228): a `$share/…` filter there is a literal topic that
// nothing matches. So the client first asks the broker — a probe through a shared filter of its own —
// and falls back to a plain subscription, where every member hears every event (the redaction job is
// unique per clip, so hearing an offload twice queues it once).
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { DomainEventName } from '../events/index.js';
import type { Logger } from '../logger.js';
import { INTERNAL_EVENTS_FILTER, TOPIC_ROOT, internalEventTopic } from './topics.js';

export interface ServiceClient {
  /** Whether events are heard as a shared group (set by listenEvents). */
  readonly shared: boolean;
  publish(topic: string, payload: Record<string, unknown>): Promise<void>;
  publishText(topic: string, payload: string): Promise<void>;
  listenEvents(
    onMessage: (topic: string, payload: Buffer) => void,
    types?: readonly DomainEventName[],
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ServiceClientOptions {
  url: string;
  username: string;
  password: string;
  log: Logger;
  /** Hear events as this shared subscription group, where the broker supports it. */
  shareGroup?: string;
  /** How long the shared-subscription probe waits for its own message. */
  probeMs?: number;
}

export async function connectServiceClient(opts: ServiceClientOptions): Promise<ServiceClient> {
  const client = await mqtt.connectAsync(opts.url, {
    username: opts.username,
    password: opts.password,
    clientId: `bwv-service-${randomBytes(4).toString('hex')}`,
    clean: true, // missed events are the sweeps' job, not the broker's
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
  });
  client.on('error', (err) => opts.log.warn({ err: err.message }, 'MQTT client error'));
  let shared = false;
  let filters: string[] = [];
  let onEvent: ((topic: string, payload: Buffer) => void) | null = null;
  client.on('message', (topic, payload) => onEvent?.(topic, payload));
  // clean sessions lose their subscriptions on reconnect: subscribe on every connect.
  const subscribe = () => client.subscribeAsync(filters, { qos: 1 });
  client.on('connect', () => {
    if (filters.length > 0)
      subscribe().catch((err: unknown) => opts.log.error({ err }, 'could not subscribe to events'));
  });
  return {
    get shared() {
      return shared;
    },
    async publish(topic, payload) {
      await client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
    },
    async publishText(topic, payload) {
      await client.publishAsync(topic, payload, { qos: 1 });
    },
    async listenEvents(on, types) {
      shared =
        opts.shareGroup !== undefined && (await probeSharedSubscription(client, opts.probeMs ?? 2_000));
      const plain = types ? types.map(internalEventTopic) : [INTERNAL_EVENTS_FILTER];
      filters = shared ? plain.map((f) => `$share/${opts.shareGroup}/${f}`) : plain;
      onEvent = on;
      const granted = await subscribe();
      if (granted.some((g) => g.qos === 128)) throw new Error(`the broker refused ${filters.join(', ')}`);
      return async () => {
        onEvent = null;
        const was = filters;
        filters = [];
        await client.unsubscribeAsync(was).catch(() => undefined);
      };
    },
    async close() {
      await client.endAsync();
    },
  };
}

/** Does the broker deliver through a `$share/…` filter? Sends itself one message to find out. */
async function probeSharedSubscription(client: MqttClient, ms: number): Promise<boolean> {
  const topic = `${TOPIC_ROOT}/services/probe/${randomBytes(6).toString('hex')}`;
  const filter = `$share/probe-${randomBytes(4).toString('hex')}/${topic}`;
  let onMessage: ((t: string) => void) | undefined;
  const heard = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    onMessage = (t) => {
      if (t !== topic) return;
      clearTimeout(timer);
      resolve(true);
    };
    client.on('message', onMessage);
  });
  try {
    const granted = await client.subscribeAsync(filter, { qos: 1 });
    if (granted.some((g) => g.qos === 128)) return false;
    await client.publishAsync(topic, '{}', { qos: 1 });
    return await heard;
  } finally {
    client.off('message', onMessage!);
    await client.unsubscribeAsync(filter).catch(() => undefined);
  }
}
