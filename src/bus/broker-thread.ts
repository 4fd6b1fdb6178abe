// The embedded broker on a thread of its own. A fleet's telemetry is thousands of messages a second,
// and on one thread each of them queued in front of every API request and dashboard update: at
// 5,000 messages a second the platform's thread was three-quarters busy with the broker, and a page
// waited seconds for its data. The broker thread (broker-thread.worker.ts) runs aedes, the access
// checks and the contract decoding; this thread gets validated messages in batches, in order, and
// answers the broker's password checks and audits what it refused. An external broker (MQTT_URL)
// takes the broker's work out of the process altogether.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import type { BrokerOptions, BrokerRefusal, EmbeddedBroker } from './broker.js';
import type { BusClient, BusClientOptions, BusHandlers } from './client.js';
import { deviceTopic, type DeviceRef, type Inbound } from './topics.js';

/** What the broker thread is started with: the broker's options without the platform's hooks. */
export interface ThreadOptions {
  broker: Omit<BrokerOptions, 'verifyDevice' | 'onRefused' | 'log'>;
  /** The thread's scheduling priority (MQTT_BROKER_NICE). */
  nice: number;
  logLevel: string;
}

export type ToBroker =
  | { type: 'verified'; id: number; ok: boolean | null }
  | { type: 'ingest'; freshness: BusClientOptions['freshness'] }
  | { type: 'publish'; id: number; topic: string; payload: string; qos: 0 | 1 }
  | { type: 'disconnect'; username: string }
  /** Start handing the internal event topics' messages over (events between processes). */
  | { type: 'events' }
  | { type: 'close' };

export type FromBroker =
  | { type: 'listening'; url: string; port: number; urls: EmbeddedBroker['urls'] }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'verify'; id: number; username: string; password: string }
  | { type: 'refused'; refusal: BrokerRefusal }
  | { type: 'ingesting' }
  /** A batch of decoded messages, in order, as the JSON text of an `IngestItem[]`. */
  | { type: 'ingest'; items: string }
  | { type: 'published'; id: number; error?: string }
  | { type: 'events-listening' }
  /** A message on an internal event topic (another process's domain event, or our own). */
  | { type: 'event'; topic: string; payload: string };

export type IngestItem =
  | { ok: true; message: Inbound; receivedAt: number }
  | { ok: false; device: DeviceRef | null; reason: string };

export interface BrokerThread {
  url: string;
  port: number;
  urls: EmbeddedBroker['urls'];
  /** Closes every session of that username (its credentials were revoked). */
  disconnect(username: string): void;
  /**
   * Starts handing every device message, decoded against the contract, to `handlers` (retained
   * ones first, as a subscription would get them). Resolves with the platform's side of the bus.
   */
  attach(freshness: BusClientOptions['freshness'], handlers: BusHandlers): Promise<BusClient>;
  /** Hands every message on the internal event topics to `onMessage`; resolves once it does. */
  listenEvents(onMessage: (topic: string, payload: string) => void): Promise<() => Promise<void>>;
  /** Publishes as the broker itself, QoS 1; resolves once the broker has it. */
  publish(topic: string, payload: string): Promise<void>;
  /** Stops the thread abruptly, as a crash would; it is then restarted (the restart's test uses it). */
  terminate(): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerThreadHooks {
  verifyDevice(username: string, password: string): Promise<boolean>;
  onRefused(refusal: BrokerRefusal): void;
  log: Logger;
}

// The thread loads our TypeScript itself: it registers tsx as `node --import tsx` would, in it alone
// (a worker inheriting the process's loader flags would register it twice).
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.loader).then((tsx) => { tsx.register(); return import(workerData.entry); });
`;
const require = createRequire(import.meta.url);

type Listening = Extract<FromBroker, { type: 'listening' }>;

/** The same listeners on the ports the first thread bound (port 0 picks one once, not per restart). */
function pinned(options: ThreadOptions, urls: EmbeddedBroker['urls']): ThreadOptions {
  const portOf = (url: string | undefined) => Number(new URL(url!).port);
  const { tls, ws } = options.broker;
  return {
    ...options,
    broker: {
      ...options.broker,
      port: portOf(urls.mqtt),
      tls: tls && { ...tls, port: portOf(urls.mqtts) },
      ws: ws && { port: portOf(urls.ws) },
    },
  };
}

/** Restart delays after a crash: doubling from 0.5 s to 30 s, reset once a thread has run a minute. */
const RESTART_MIN_MS = 500;
const RESTART_MAX_MS = 30_000;
const STABLE_MS = 60_000;

export async function startBrokerThread(
  options: ThreadOptions,
  hooks: BrokerThreadHooks,
): Promise<BrokerThread> {
  const log = hooks.log.child({ component: 'broker-thread' });
  const published = new Map<number, { resolve(): void; reject(err: Error): void }>();
  let nextId = 0;
  let handlers: BusHandlers | null = null;
  let freshness: BusClientOptions['freshness'] | null = null;
  let attached: (() => void) | null = null;
  let onEvent: ((topic: string, payload: string) => void) | null = null;
  let eventsListening: (() => void) | null = null;
  let worker: Worker;
  let exited = Promise.resolve();
  let running = false;
  let closing = false;
  let crashes = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const send = (m: ToBroker) => worker.postMessage(m);

  /** Starts a thread; resolves when its listeners are bound. */
  function spawn(opts: ThreadOptions): Promise<Listening> {
    const w = new Worker(BOOTSTRAP, {
      eval: true,
      execArgv: [],
      workerData: {
        // tsx's ESM API (its CommonJS build, which require finds, cannot register from an eval'd worker).
        loader: pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href,
        entry: new URL(`./broker-thread.worker${import.meta.url.slice(-3)}`, import.meta.url).href,
        ...opts,
      },
    });
    worker = w;
    exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.on('error', (err) => log.error({ err }, 'the broker thread failed'));
    return new Promise<Listening>((resolve, reject) => {
      w.once('exit', () => reject(new Error('the broker thread exited while starting')));
      w.on('message', (m: FromBroker) => {
        switch (m.type) {
          case 'ingest':
            for (const item of JSON.parse(m.items) as IngestItem[]) {
              if (item.ok) handlers?.onMessage(item.message, item.receivedAt);
              else handlers?.onMalformed(item.device, item.reason);
            }
            break;
          case 'verify':
            hooks.verifyDevice(m.username, m.password).then(
              (ok) => w.postMessage({ type: 'verified', id: m.id, ok } satisfies ToBroker),
              (err: unknown) => {
                log.warn({ err }, 'credential check failed');
                w.postMessage({ type: 'verified', id: m.id, ok: null } satisfies ToBroker);
              },
            );
            break;
          case 'refused':
            hooks.onRefused(m.refusal);
            break;
          case 'published': {
            const p = published.get(m.id);
            published.delete(m.id);
            if (m.error === undefined) p?.resolve();
            else p?.reject(new Error(m.error));
            break;
          }
          case 'ingesting':
            attached?.();
            attached = null;
            break;
          case 'event':
            onEvent?.(m.topic, m.payload);
            break;
          case 'events-listening':
            eventsListening?.();
            eventsListening = null;
            break;
          case 'failed':
            reject(Object.assign(new Error(m.message), { code: m.code }));
            break;
          case 'listening':
            resolve(m);
            break;
        }
      });
    });
  }

  /**
   * Watches a running thread. One that dies unasked (a bug in the broker, memory) is started again
   * on the same ports, and fed to the same handlers: devices reconnect as after any dropped
   * connection, and /readyz answers 503 until it is back.
   */
  function watch(opts: ThreadOptions) {
    const startedAt = Date.now();
    running = true;
    void exited.then(() => {
      running = false;
      for (const p of published.values()) p.reject(new Error('the broker thread has stopped'));
      published.clear();
      if (closing) return;
      crashes = Date.now() - startedAt > STABLE_MS ? 1 : crashes + 1;
      scheduleRestart(opts);
    });
  }

  function scheduleRestart(opts: ThreadOptions) {
    const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** (crashes - 1));
    log.error({ restartInMs: delay }, 'the broker thread stopped: devices cannot connect until it restarts');
    restartTimer = setTimeout(() => {
      if (closing) return;
      spawn(opts).then(
        () => {
          if (closing) return send({ type: 'close' });
          watch(opts);
          if (handlers && freshness) send({ type: 'ingest', freshness });
          if (onEvent) send({ type: 'events' });
          log.warn('the broker thread restarted');
        },
        (err: unknown) => {
          log.error({ err }, 'could not restart the broker thread');
          crashes++;
          scheduleRestart(opts);
        },
      );
    }, delay);
  }

  const first = await spawn(options);
  const again = pinned(options, first.urls);
  watch(again);

  function publish(topic: string, payload: string) {
    if (!running) return Promise.reject(new Error('the broker thread has stopped'));
    const id = nextId++;
    return new Promise<void>((resolve, reject) => {
      published.set(id, { resolve, reject });
      send({ type: 'publish', id, topic, payload, qos: 1 });
    });
  }

  function listenEvents(on: (topic: string, payload: string) => void) {
    onEvent = on;
    const listening = new Promise<void>((r) => (eventsListening = r));
    send({ type: 'events' });
    return listening.then(() => () => {
      onEvent = null;
      return Promise.resolve();
    });
  }

  return {
    url: first.url,
    port: first.port,
    urls: first.urls,
    disconnect(username) {
      if (running) send({ type: 'disconnect', username });
    },
    attach(f, h) {
      handlers = h;
      freshness = f;
      const ready = new Promise<void>((r) => (attached = r));
      send({ type: 'ingest', freshness: f });
      return ready.then(() => ({
        connected: () => running && handlers !== null,
        publishCommand: (device: DeviceRef, command: Record<string, unknown>) =>
          publish(deviceTopic(device, 'commands'), JSON.stringify(command)),
        publish: (topic: string, payload: Record<string, unknown>) => publish(topic, JSON.stringify(payload)),
        publishText: publish,
        listenEvents,
        close() {
          handlers = null;
          return Promise.resolve();
        },
      }));
    },
    listenEvents,
    publish,
    terminate: () => worker.terminate().then(() => undefined),
    async close() {
      closing = true;
      clearTimeout(restartTimer);
      if (running) send({ type: 'close' });
      await exited;
    },
  };
}
