// The embedded MQTT broker (aedes) on MQTT_PORT, and optionally over TLS and WebSocket. Its hooks
// only map a client to its identity and ask identity.ts what that identity may do; everything else
// happens in the platform's bus (`tap` feeds broker-thread.worker.ts, which decodes and hands on exactly as
// the MQTT client for an external broker, client.ts, does).
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from '../logger.js';
import { FrameGuard } from './frame-guard.js';
import {
  deviceFromUsername,
  isDeviceClientId,
  mayPublish,
  maySubscribe,
  ownClientId,
  type Identity,
} from './identity.js';
import { listenTcp, listenTls, listenWs, type Listener, type TlsMaterial } from './listeners.js';
import { DEFAULT_REFUSAL_LIMITS, RefusalWindows, type RefusalLimits } from './refusal-windows.js';
import { deviceTopic } from './topics.js';

type DeviceIdentity = Extract<Identity, { type: 'device' }>;

/**
 * What the broker refused a device, for the audit trail: each attempt, and the cut-off of a device
 * refused more than the limit in a window (see refusal-windows.ts; docs/mqtt.md "Access control").
 */
export type BrokerRefusal =
  | {
      type: 'attempt';
      identity: DeviceIdentity;
      action: 'connect' | 'publish' | 'subscribe';
      /** The topic or filter; for a CONNECT, the client id asked for. */
      subject: string;
      reason: 'not-authorised' | 'too-large' | 'not-own-client-id' | 'cut-off';
    }
  | { type: 'cut-off'; identity: DeviceIdentity; until: number; refusals: number };

export interface BrokerOptions {
  port: number;
  host: string;
  /** MQTT over TLS on a port of its own. */
  tls?: TlsMaterial & { port: number };
  /** MQTT over WebSocket on a port of its own. */
  ws?: { port: number };
  /** Largest MQTT packet accepted, in bytes; a bigger one closes the connection. */
  maxPacketBytes: number;
  service: { username: string; password: string };
  /** Checks a device's password against the stored credentials. */
  verifyDevice(username: string, password: string): Promise<boolean>;
  /** Told of every refusal of a device (CONNECT, publish, subscribe) and of every cut-off. */
  onRefused(refusal: BrokerRefusal): void;
  /** Refusals in a window before a device is cut off (default: refusal-windows.ts). */
  refusalLimits?: RefusalLimits;
  log: Logger;
}

export interface EmbeddedBroker {
  /** mqtt://host:port that devices and the platform's client connect to. */
  url: string;
  port: number;
  /** Every listener's URL, with the port it bound (port 0 picks a free one). */
  urls: { mqtt: string; mqtts?: string; ws?: string };
  /** Closes every session of that username (its credentials were revoked). */
  disconnect(username: string): void;
  /**
   * Delivers every message on these topic filters to `onMessage` inside this process, the retained
   * ones first, as an MQTT subscription would but without a connection (see broker-thread.worker.ts).
   * Resolves with the function that ends the tap.
   */
  tap(filters: string[], onMessage: (topic: string, payload: Buffer) => void): Promise<() => Promise<void>>;
  /** Publishes as the broker itself: commands to devices, platform service messages. */
  publish(topic: string, payload: string, qos: 0 | 1): Promise<void>;
  close(): Promise<void>;
}

interface RetainedStore {
  createRetainedStreamCombi(filters: string[]): AsyncIterable<{ topic: string; payload: Buffer | string }>;
}

const authError = (code: 2 | 3 | 4 | 5, message: string): AuthenticateError =>
  Object.assign(new Error(message), { returnCode: code });
const digest = (s: string) => createHash('sha256').update(s).digest();
/** Compares in constant time (hashing first makes the lengths equal). */
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export async function startBroker(opts: BrokerOptions): Promise<EmbeddedBroker> {
  const identities = new WeakMap<Client, Identity>();
  /** Live sessions per username, to announce a device offline only when its last one ends. */
  const sessions = new Map<string, Set<Client>>();
  const log = opts.log.child({ component: 'broker' });
  const windows = new RefusalWindows(opts.refusalLimits ?? DEFAULT_REFUSAL_LIMITS);

  /** Closes every session of that username. */
  const disconnect = (username: string) => {
    for (const c of sessions.get(username) ?? []) c.close();
  };

  /**
   * Every refusal of a device is reported; one refused more than the limit in a window is cut off:
   * its sessions closed now, its CONNECTs refused for the cool-down (finding 12: a device could be
   * refused hundreds of times a second without consequence).
   */
  function refuse(
    who: DeviceIdentity,
    action: 'connect' | 'publish' | 'subscribe',
    subject: string,
    reason: Extract<BrokerRefusal, { type: 'attempt' }>['reason'],
  ) {
    opts.onRefused({ type: 'attempt', identity: who, action, subject, reason });
    const now = Date.now();
    if (!windows.note(who.username, `${action}:${reason}`, subject, now).overLimit) return;
    const until = windows.cut(who.username, now);
    const refusals = windows.limits.limit + 1;
    log.warn({ device: who.username, refusals, until: new Date(until) }, 'device cut off: too many refusals');
    opts.onRefused({ type: 'cut-off', identity: who, until, refusals });
    // After the hook that is running returns (this may be one filter of a SUBSCRIBE being checked).
    setImmediate(() => disconnect(who.username));
  }

  const broker = await Aedes.createBroker({
    // A device that never completes CONNECT does not hold a socket for long.
    connectTimeout: 10_000,
    // Messages in flight in aedes' emitter before it queues them (default 100). Its queue drains
    // recursively, one stack frame per message with no subscriber ($SYS notices of each CONNECT),
    // and a fleet of 10,000 joining overflowed the stack and killed the process (bench:telemetry).
    concurrency: 100_000,
    authenticate(client, username, password, done) {
      const pw = password?.toString('utf8') ?? '';
      if (!username) return done(authError(5, 'no username'), null);
      if (username === opts.service.username) {
        if (!sameSecret(pw, opts.service.password)) return done(authError(4, 'bad credentials'), null);
        // The platform's own clients use ids of their own, never a device's: taking one over would
        // end that device's session [MQTT-3.1.4-2].
        if (isDeviceClientId(client.id)) {
          log.warn({ clientId: client.id }, "service CONNECT with a device's client id refused");
          return done(authError(2, 'identifier rejected'), null);
        }
        identities.set(client, { type: 'service', username });
        return done(null, true);
      }
      const device = deviceFromUsername(username);
      // [MQTT-3.2.2-5] a refused CONNECT gets CONNACK with a non-zero return code, then the close.
      if (!device) return done(authError(4, 'bad credentials'), null);
      opts.verifyDevice(username, pw).then(
        (ok) => {
          if (!ok) return done(authError(4, 'bad credentials'), null);
          const who: DeviceIdentity = { type: 'device', ...device, username };
          if (windows.isCutOff(username, Date.now())) {
            refuse(who, 'connect', client.id, 'cut-off');
            return done(authError(5, 'not authorised'), null);
          }
          // A device's client id is its username: with any other, it could take over another
          // device's session (issue 14, finding 5). A refused client id gets CONNACK 0x02,
          // "identifier rejected" [MQTT-3.1.3-9].
          if (client.id !== ownClientId(who)) {
            refuse(who, 'connect', client.id, 'not-own-client-id');
            return done(authError(2, 'identifier rejected'), null);
          }
          identities.set(client, who);
          done(null, true);
        },
        (err: unknown) => {
          log.warn({ err }, 'credential check failed');
          done(authError(3, 'server unavailable'), null);
        },
      );
    },
    authorizePublish(client, packet, done) {
      if (!client) return done(null); // the broker's own messages ($SYS, presence on a device's behalf)
      const who = identities.get(client);
      if (!who) return done(new Error('not authenticated'));
      if (packet.payload.length > opts.maxPacketBytes) {
        if (who.type === 'device') refuse(who, 'publish', packet.topic, 'too-large');
        return done(new Error('payload too large'));
      }
      if (!mayPublish(who, packet.topic)) {
        if (who.type === 'device') refuse(who, 'publish', packet.topic, 'not-authorised');
        // An error closes the connection: MQTT 3.1.1 has no way to NACK a PUBLISH.
        return done(new Error('publish not authorised'));
      }
      done(null);
    },
    authorizeSubscribe(client, sub, done) {
      const who = identities.get(client);
      if (who && maySubscribe(who, sub.topic)) return done(null, sub);
      if (who?.type === 'device') refuse(who, 'subscribe', sub.topic, 'not-authorised');
      done(null, null); // SUBACK 0x80 for this filter [MQTT-3.9.3]
    },
  });

  broker.on('clientReady', (client) => {
    const who = identities.get(client);
    if (!who) return;
    let set = sessions.get(who.username);
    if (!set) sessions.set(who.username, (set = new Set()));
    set.add(client);
  });
  broker.on('clientDisconnect', (client) => {
    const who = identities.get(client);
    if (!who) return;
    const set = sessions.get(who.username);
    set?.delete(client);
    if (set && set.size > 0) return; // taken over by a newer session of the same device
    sessions.delete(who.username);
    if (who.type !== 'device') return;
    // Whatever ended the session (clean DISCONNECT, keep-alive timeout, dropped socket), the broker
    // knows it is over: say so on the device's retained presence topic.
    broker.publish(
      {
        cmd: 'publish',
        topic: deviceTopic(who, 'status'),
        payload: Buffer.from('{"online":false}'),
        qos: 1,
        retain: true,
        dup: false,
      },
      (err) => {
        if (err) log.warn({ err }, 'could not publish presence');
      },
    );
  });
  broker.on('clientError', (client, err) =>
    log.debug({ clientId: client.id, err: err.message }, 'client error'),
  );

  /** Every listener hands its connections here, so each gets the same guard. */
  const accept = (stream: Duplex, req?: IncomingMessage) => {
    const client = broker.handle(stream, req);
    // aedes has no packet size option; guard the parser's input (see frame-guard.ts).
    const parser = (client as unknown as { _parser?: { parse(buf: Buffer): unknown } })._parser;
    if (!parser) return;
    const guard = new FrameGuard(opts.maxPacketBytes);
    const parse = parser.parse.bind(parser);
    parser.parse = (buf: Buffer) => {
      if (guard.accept(buf)) return parse(buf);
      log.warn({ clientId: client.id }, 'packet over the size limit; connection closed');
      stream.destroy();
      return 0;
    };
  };

  const listeners: Listener[] = [];
  const open = async (starting: Promise<Listener>) => {
    const listener = await starting;
    listeners.push(listener);
    log.info({ url: listener.url }, 'MQTT broker listening');
    return listener;
  };
  const closeListeners = () => Promise.all(listeners.map((l) => l.close()));
  let mqtt: Listener, mqtts: Listener | undefined, ws: Listener | undefined;
  try {
    mqtt = await open(listenTcp(opts.host, opts.port, accept));
    if (opts.tls) mqtts = await open(listenTls(opts.host, opts.tls.port, opts.tls, accept));
    if (opts.ws) ws = await open(listenWs(opts.host, opts.ws.port, opts.maxPacketBytes, accept));
  } catch (err) {
    // A port in use or a bad certificate stops the start; free what was already bound.
    await closeListeners();
    await new Promise<void>((r) => broker.close(() => r()));
    throw err;
  }

  return {
    url: mqtt.url,
    port: mqtt.port,
    urls: { mqtt: mqtt.url, mqtts: mqtts?.url, ws: ws?.url },
    disconnect,
    async tap(filters, onMessage) {
      const deliver = (packet: { topic: string; payload: Buffer | string }, cb: () => void) => {
        onMessage(
          packet.topic,
          Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
        );
        cb();
      };
      await Promise.all(filters.map((f) => new Promise<void>((r) => broker.subscribe(f, deliver, r))));
      // Subscribed first, then the retained store: a message retained in between is seen twice
      // at worst, never missed. `persistence` is aedes-persistence's documented interface.
      const retained = (broker as unknown as { persistence: RetainedStore }).persistence;
      for await (const packet of retained.createRetainedStreamCombi(filters))
        deliver(packet, () => undefined);
      return () =>
        Promise.all(filters.map((f) => new Promise<void>((r) => broker.unsubscribe(f, deliver, r)))).then(
          () => undefined,
        );
    },
    publish: (topic, payload, qos) =>
      new Promise<void>((resolve, reject) =>
        broker.publish(
          { cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false },
          (err) => (err ? reject(err) : resolve()),
        ),
      ),
    async close() {
      await new Promise<void>((r) => broker.close(() => r()));
      await closeListeners();
    },
  };
}
