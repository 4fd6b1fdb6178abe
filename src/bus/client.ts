// The platform's own MQTT client: subscribes to every device channel, decodes each message against
// the topic contract and hands valid ones to the ingestion handler; publishes commands. It is the
// same code whether the broker is the embedded aedes or an external one (MQTT_URL).
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../logger.js';
import { Dynsec } from './dynsec.js';
import { decode } from './decode.js';
import {
  deviceTopic,
  INGEST_SUBSCRIPTIONS,
  INTERNAL_EVENTS_FILTER,
  internalEventType,
  type DeviceRef,
  type Inbound,
} from './topics.js';

export interface BusHandlers {
  /** A valid message from a device. Must not throw; the client does not wait for it. */
  onMessage(message: Inbound, receivedAt: number): void;
  /** A message that failed the contract: counted against its device and dropped. */
  onMalformed(device: DeviceRef | null, reason: string): void;
}

export interface BusClient {
  connected(): boolean;
  publishCommand(device: DeviceRef, command: { commandId: string } & Record<string, unknown>): Promise<void>;
  /** Mosquitto dynsec only: creates or re-keys the device's client in the broker. */
  provisionDevice?(device: DeviceRef, username: string, password: string): Promise<void>;
  /** Publishes a platform service message (e.g. `bwv/v1/clips/{id}/redacted`), QoS 1. */
  publish(topic: string, payload: Record<string, unknown>): Promise<void>;
  /** The same with the payload already as text (a domain event's envelope). */
  publishText(topic: string, payload: string): Promise<void>;
  /** Hands every message on the internal event topics to `onMessage`; resolves with the stop. */
  listenEvents(onMessage: (topic: string, payload: Buffer | string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface BusClientOptions {
  url: string;
  username: string;
  password?: string;
  freshness: { maxAgeMs: number; maxSkewMs: number };
  /** Provision device credentials into Mosquitto's dynamic-security plugin. */
  mosquittoDynsec?: boolean;
  log: Logger;
}

/** Decodes each raw message against the topic contract and hands it to the handlers. */
export function dispatcher(freshness: BusClientOptions['freshness'], handlers: BusHandlers) {
  return (topic: string, payload: Buffer) => {
    if (topic.startsWith('$')) return; // broker control answers ($CONTROL), handled by their owner
    const result = decode(topic, payload, Date.now(), freshness);
    if (result.ok) handlers.onMessage(result.message, Date.now());
    else handlers.onMalformed(result.device, result.reason);
  };
}

export async function connectBus(opts: BusClientOptions, handlers: BusHandlers): Promise<BusClient> {
  const log = opts.log.child({ component: 'bus' });
  const client: MqttClient = await mqtt.connectAsync(opts.url, {
    username: opts.username,
    ...(opts.password !== undefined && { password: opts.password }),
    clientId: `bwv-platform-${randomBytes(4).toString('hex')}`,
    clean: true,
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
  });
  const fromDevices = dispatcher(opts.freshness, handlers);
  let onEvent: ((topic: string, payload: Buffer) => void) | null = null;
  client.on('message', (topic, payload) => {
    if (internalEventType(topic) === null) fromDevices(topic, payload);
    else onEvent?.(topic, payload);
  });
  client.on('error', (err) => log.warn({ err: err.message }, 'MQTT client error'));
  client.on('offline', () => log.warn('MQTT client offline; reconnecting'));
  // clean: true sessions lose their subscriptions on reconnect, so subscribe on every connect.
  const subscribe = () =>
    client.subscribeAsync(
      onEvent ? [...INGEST_SUBSCRIPTIONS, INTERNAL_EVENTS_FILTER] : INGEST_SUBSCRIPTIONS,
      {
        qos: 1,
      },
    );
  client.on('connect', () => {
    subscribe().catch((err: unknown) => log.error({ err }, 'could not subscribe'));
  });
  const granted = await subscribe();
  if (granted.some((g) => g.qos === 128)) throw new Error('the broker refused the platform subscriptions');
  log.info({ url: opts.url }, 'platform MQTT client connected');
  let dynsec: Dynsec | undefined;
  if (opts.mosquittoDynsec) {
    dynsec = new Dynsec(client);
    await dynsec.start();
  }

  return {
    connected: () => client.connected,
    async publishCommand(device, command) {
      await client.publishAsync(deviceTopic(device, 'commands'), JSON.stringify(command), { qos: 1 });
    },
    ...(dynsec && {
      provisionDevice: (device: DeviceRef, username: string, password: string) =>
        dynsec.provisionDevice(device, username, password),
    }),
    async publish(topic, payload) {
      await client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
    },
    async publishText(topic, payload) {
      await client.publishAsync(topic, payload, { qos: 1 });
    },
    async listenEvents(on) {
      onEvent = on;
      const granted = await client.subscribeAsync(INTERNAL_EVENTS_FILTER, { qos: 1 });
      if (granted.some((g) => g.qos === 128)) throw new Error('the broker refused the internal event topics');
      return async () => {
        onEvent = null;
        await client.unsubscribeAsync(INTERNAL_EVENTS_FILTER).catch(() => undefined);
      };
    },
    async close() {
      await client.endAsync();
    },
  };
}
