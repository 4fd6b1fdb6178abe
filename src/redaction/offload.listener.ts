// The redaction workers' ear on the bus: every `bwv/v1/clips/{id}/offloaded` service message becomes
// a call to `onOffloaded(id)` (which queues the durable job). Workers subscribe as one shared group
// (`$share/redaction/…`, MQTT 5 §4.8.2; Mosquitto and EMQX honour it for 3.1.1 clients too) so a broker
// that supports it hands each message to one worker. The embedded aedes does not (moscajs/aedes#228):
// a `$share/…` filter there is a literal topic that nothing matches. So the listener first asks the
// broker — a probe through a shared filter of its own — and falls back to a plain subscription, where
// every worker hears every offload; that is harmless because the job is unique per clip.
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { z } from 'zod';
import { TOPIC_ROOT } from '../bus/index.js';
import type { Logger } from '../logger.js';

export const SHARE_GROUP = 'redaction';
const OFFLOADED = `${TOPIC_ROOT}/clips/+/offloaded`;
const TOPIC = /^bwv\/v1\/clips\/([0-9a-f]{64})\/offloaded$/;
const Offloaded = z.object({ clipId: z.string().regex(/^[0-9a-f]{64}$/) });

export interface OffloadListener {
  /** Whether the broker splits offloads between workers (shared subscription) or each hears all. */
  readonly shared: boolean;
  /** Messages that were not a valid offload (dropped). */
  malformed(): number;
  close(): Promise<void>;
}

export interface OffloadListenerOptions {
  url: string;
  username: string;
  password: string;
  log: Logger;
  /** Called once per valid offload message; must not throw (failures are its own to log). */
  onOffloaded(clipId: string): void;
  /** How long the shared-subscription probe waits for its own message. */
  probeMs?: number;
}

export async function listenForOffloads(opts: OffloadListenerOptions): Promise<OffloadListener> {
  const client = await mqtt.connectAsync(opts.url, {
    username: opts.username,
    password: opts.password,
    clientId: `bwv-redaction-${randomBytes(4).toString('hex')}`,
    clean: true, // missed messages are the start-up/periodic sweep's job, not the broker's
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
  });
  let malformed = 0;
  try {
    const shared = await probeSharedSubscription(client, opts.probeMs ?? 2_000);
    const filter = shared ? `$share/${SHARE_GROUP}/${OFFLOADED}` : OFFLOADED;
    client.on('message', (topic, payload) => {
      const m = TOPIC.exec(topic);
      if (!m) return; // the probe's own topic, or a retained leftover outside the filter
      let body: unknown;
      try {
        body = JSON.parse(payload.toString('utf8'));
      } catch {
        body = null;
      }
      const parsed = Offloaded.safeParse(body);
      if (!parsed.success || parsed.data.clipId !== m[1]) {
        malformed++;
        opts.log.warn({ topic }, 'malformed offload message dropped');
        return;
      }
      opts.onOffloaded(parsed.data.clipId);
    });
    // clean sessions lose their subscription on reconnect: subscribe on every connect.
    const subscribe = () => client.subscribeAsync(filter, { qos: 1 });
    client.on('connect', () => {
      subscribe().catch((err: unknown) => opts.log.error({ err }, 'could not subscribe to offloads'));
    });
    const granted = await subscribe();
    if (granted.some((g) => g.qos === 128)) throw new Error(`the broker refused the subscription ${filter}`);
    opts.log.info({ filter, shared }, 'listening for offloaded clips');
    return {
      shared,
      malformed: () => malformed,
      close: () => client.endAsync(),
    };
  } catch (err) {
    await client.endAsync(true).catch(() => undefined);
    throw err;
  }
}

/** Does the broker deliver through a `$share/…` filter? Sends itself one message to find out. */
async function probeSharedSubscription(client: MqttClient, ms: number): Promise<boolean> {
  const topic = `${TOPIC_ROOT}/services/redaction/probe/${randomBytes(6).toString('hex')}`;
  const filter = `$share/${SHARE_GROUP}-probe/${topic}`;
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
