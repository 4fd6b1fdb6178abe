// The embedded broker's thread (broker-thread.ts starts it). Everything a device's
// message costs up to a validated reading runs here: aedes, MQTT parsing, the access checks and the
// contract decoding. The platform's thread gets decoded messages in batches, and answers the few
// questions the broker has for it (is this password right?).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logger.js';
import { startBroker, type EmbeddedBroker } from './broker.js';
import { dispatcher } from './client.js';
import type { FromBroker, IngestItem, ThreadOptions, ToBroker } from './broker-thread.js';
import { INGEST_SUBSCRIPTIONS, INTERNAL_EVENTS_FILTER } from './topics.js';

const port = parentPort!;
const opts = workerData as ThreadOptions;
const send = (m: FromBroker) => port.postMessage(m);

/** Password checks waiting for the platform's answer, by request id. */
const verifying = new Map<number, (ok: boolean | Error) => void>();
let nextId = 0;

/** Decoded messages not yet handed over: sent when the batch fills or the current I/O is done. */
let batch: IngestItem[] = [];
const BATCH_MAX = 500;
let flushQueued = false;
const flush = () => {
  flushQueued = false;
  if (batch.length === 0) return;
  // As JSON text: stringify here and parse there cost about half what structured cloning of the
  // same objects does (its deserialising was 4 µs a message on the platform's thread).
  send({ type: 'ingest', items: JSON.stringify(batch) });
  batch = [];
};
const queue = (item: IngestItem) => {
  batch.push(item);
  if (batch.length >= BATCH_MAX) flush();
  else if (!flushQueued) {
    flushQueued = true;
    setImmediate(flush);
  }
};

let broker: EmbeddedBroker;
let untap: (() => Promise<void>) | null = null;
let untapEvents: (() => Promise<void>) | null = null;

port.on('message', (m: ToBroker) => {
  switch (m.type) {
    case 'verified':
      verifying.get(m.id)?.(m.ok ?? new Error('credential check failed'));
      verifying.delete(m.id);
      break;
    case 'ingest':
      void broker
        .tap(
          INGEST_SUBSCRIPTIONS,
          dispatcher(m.freshness, {
            onMessage: (message, receivedAt) => queue({ ok: true, message, receivedAt }),
            onMalformed: (device, reason) => queue({ ok: false, device, reason }),
          }),
        )
        .then((stop) => {
          untap = stop;
          send({ type: 'ingesting' });
        });
      break;
    case 'publish':
      broker.publish(m.topic, m.payload, m.qos).then(
        () => send({ type: 'published', id: m.id }),
        (err: unknown) => send({ type: 'published', id: m.id, error: (err as Error).message }),
      );
      break;
    case 'disconnect':
      broker.disconnect(m.username);
      break;
    case 'events':
      // Domain events are a few a second at most: each is handed over as it comes.
      void broker
        .tap([INTERNAL_EVENTS_FILTER], (topic, payload) =>
          send({ type: 'event', topic, payload: payload.toString('utf8') }),
        )
        .then((stop) => {
          untapEvents = stop;
          send({ type: 'events-listening' });
        });
      break;
    case 'close':
      void (async () => {
        await untap?.();
        await untapEvents?.();
        flush();
        await broker.close();
        port.close();
      })();
      break;
  }
});

const log = createLogger(opts.logLevel);

// Device messages first when the machine is busy: on a saturated machine (2 cores, 10,000 devices
// and the simulator) this thread's share of the CPU, not its work, decided the latency; at nice -5
// p99 publish-to-visible at 1 msg/s a device fell from 0.3-2.4 s to 0.1-0.6 s (README). Linux sets
// a thread's nice by its thread id, which /proc/thread-self names.
if (process.platform === 'linux') {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), opts.nice);
  } catch (err) {
    log.warn(
      { nice: opts.nice, err: (err as Error).message },
      "could not set the broker thread's priority (MQTT_BROKER_NICE needs CAP_SYS_NICE); it keeps the process's",
    );
  }
}
startBroker({
  ...opts.broker,
  verifyDevice: (username, password) =>
    new Promise<boolean>((resolve, reject) => {
      const id = nextId++;
      verifying.set(id, (ok) => (ok instanceof Error ? reject(ok) : resolve(ok)));
      send({ type: 'verify', id, username, password });
    }),
  onRefused: (refusal) => send({ type: 'refused', refusal }),
  log,
}).then(
  (started) => {
    broker = started;
    send({ type: 'listening', url: started.url, port: started.port, urls: started.urls });
  },
  (err: unknown) => {
    send({ type: 'failed', message: (err as Error).message, code: (err as { code?: string }).code });
    port.close();
  },
);
