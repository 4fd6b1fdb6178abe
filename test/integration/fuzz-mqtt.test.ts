// MQTT fuzzing (issue 14): several authenticated devices publish payloads generated from the topic
// contract's schemas, valid and malformed (bad JSON, wrong types, out-of-range values, huge strings,
// lone surrogates, binary), publish on other devices' and outside topics, subscribe to wildcards and
// $SYS, send oversize packets and reuse another device's client id. Meanwhile a bystander camera keeps
// publishing and a bystander dock keeps receiving its commands. Asserted: the broker stays up, every
// malformed message is counted against its device, the bystander is untouched, nothing is logged at
// error level, the audit chain verifies. FUZZ_RUNS/2 messages (default 5,000), FUZZ_SEED replays.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { MqttClient } from 'mqtt';
import { DEFAULT_REFUSAL_LIMITS } from '../../src/bus/refusal-windows.js';
import { DEVICE_CHANNELS, INBOUND, type DeviceChannel, type DeviceKind } from '../../src/bus/topics.js';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  FUZZ_RUNS,
  FUZZ_SEED,
  Findings,
  INTACT_CHAIN,
  LONE_SURROGATES,
  capturingLogger,
  excerpt,
  hostileString,
  hostileValue,
  inPool,
  objectFor,
  withOwnKey,
} from '../helpers/fuzz.js';
import { cameraTelemetry, closed, connect, credentialsFor, eventually, uid } from '../helpers/mqtt.js';

const MESSAGES = Math.ceil(FUZZ_RUNS / 2);
const MAX_AGE_MS = 300_000;
const MAX_PACKET = 16_384;
const plural = { camera: 'cameras', dock: 'docks' } as const;
/**
 * Refused attempts one identity may make before the broker cuts it off for minutes (finding 12): a
 * fuzzing device that reaches this many is retired and a fresh one takes its place, so the hostile
 * actions keep coming at full rate and each identity stays below the cut-off.
 */
const REFUSAL_BUDGET = DEFAULT_REFUSAL_LIMITS.limit - 2;
const MAY_BE_REFUSED = new Set<Action['do']>(['foreign publish', 'oversize', 'subscribe', 'steal client id']);
/** The promise, or a rejection after `ms`: a QoS 1 publish on a connection the broker closed never settles. */
const within = <T>(p: Promise<T>, what = 'no answer in 10 s', ms = 10_000) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(what)), ms).unref())]);
const topicOf = (kind: DeviceKind, id: string, channel: string) => `bwv/v1/${plural[kind]}/${id}/${channel}`;

interface Device {
  kind: DeviceKind;
  id: string;
  creds: { username: string; password: string };
  client: MqttClient;
  /** Messages on its own topics that the contract refuses: what its malformed counter must show. */
  malformed: number;
  /** Attempts so far that the broker may refuse (and count towards a cut-off). */
  refusable: number;
}

/** What one fuzzing device does next. */
type Action =
  | { do: 'publish'; label: string; channel: DeviceChannel; payload: unknown; freshTs: boolean; raw?: Buffer }
  | { do: 'foreign publish'; label: string; topic: (bystander: string) => string }
  | { do: 'subscribe'; label: string; filter: (self: string, bystander: string) => string }
  | { do: 'oversize'; label: string }
  | { do: 'steal client id'; label: string };

const RAW_PAYLOADS = [
  '{not json',
  '',
  '\uFEFF{}',
  '{"ts":"\\ud800"}',
  'null',
  '[]',
  '1e309',
  '{"a":1}{"b":2}',
];

function actions(kind: DeviceKind): fc.Arbitrary<Action> {
  const channel = fc.constantFrom(...DEVICE_CHANNELS);
  const valid = channel.chain((c) =>
    objectFor(INBOUND[kind][c], {}).map((payload): Action => ({
      do: 'publish',
      label: `valid ${c}`,
      channel: c,
      payload,
      freshTs: true,
    })),
  );
  const hostileField = channel.chain((c) =>
    fc
      .tuple(
        objectFor(INBOUND[kind][c], {}),
        fc.constantFrom(
          'ts',
          'battery',
          'firmware',
          'slots',
          'type',
          'online',
          'commandId',
          'dock',
          'network',
          'extra',
          '__proto__',
        ),
        hostileValue,
      )
      .map(([p, key, bad]): Action => ({
        do: 'publish',
        label: `${c} with ${key} hostile`,
        channel: c,
        payload: withOwnKey(p, key, bad),
        freshTs: key !== 'ts',
      })),
  );
  const surrogates = fc.constantFrom(...LONE_SURROGATES).map((s): Action => ({
    do: 'publish',
    label: 'telemetry with a lone surrogate in firmware',
    channel: 'telemetry',
    payload:
      kind === 'camera'
        ? cameraTelemetry({ firmware: s })
        : { ts: '', firmware: s, slots: [], network: { online: true, uplinkMbps: null } },
    freshTs: true,
  }));
  const raw = fc
    .tuple(
      channel,
      fc.oneof(
        fc.constantFrom(...RAW_PAYLOADS).map((s) => Buffer.from(s)),
        fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)),
        hostileString.map((s) => Buffer.from(s.slice(0, 12_000))),
      ),
    )
    .map(([c, bytes]): Action => ({
      do: 'publish',
      label: `raw payload on ${c}`,
      channel: c,
      payload: null,
      freshTs: false,
      raw: bytes,
    }));
  const foreign = fc
    .constantFrom<[string, (b: string) => string]>(
      ['bystander telemetry', (b) => topicOf('camera', b, 'telemetry')],
      ['bystander commands', (b) => topicOf('camera', b, 'commands')],
      ['$SYS', () => '$SYS/broker/fuzz'],
      ['outside the contract', () => 'bwv/v1/clips/x/redacted'],
      ['not a topic of ours', () => 'fuzz/topic'],
    )
    .map(([label, topic]): Action => ({ do: 'foreign publish', label: `publish on ${label}`, topic }));
  const subscribe = fc
    .constantFrom<[string, (s: string, b: string) => string]>(
      ['#', () => '#'],
      ['bwv/v1/#', () => 'bwv/v1/#'],
      ['$SYS/#', () => '$SYS/#'],
      ['every camera’s commands', () => 'bwv/v1/cameras/+/commands'],
      ['the bystander’s commands', (_, b) => topicOf('camera', b, 'commands')],
      ['its own commands', (s) => topicOf(kind, s, 'commands')],
    )
    .map(([label, filter]): Action => ({ do: 'subscribe', label: `subscribe to ${label}`, filter }));
  return fc.oneof(
    { weight: 40, arbitrary: valid },
    { weight: 30, arbitrary: hostileField },
    { weight: 5, arbitrary: surrogates },
    { weight: 15, arbitrary: raw },
    { weight: 4, arbitrary: subscribe },
    { weight: 2, arbitrary: foreign },
    { weight: 1, arbitrary: fc.constant<Action>({ do: 'oversize', label: 'oversize packet' }) },
    {
      weight: 1,
      arbitrary: fc.constant<Action>({
        do: 'steal client id',
        label: 'connect with the bystander’s client id',
      }),
    },
  );
}

/** Whether the contract refuses this payload (JSON, schema, freshness): what the broker must count. */
function refused(kind: DeviceKind, channel: DeviceChannel, bytes: Buffer, now: number): boolean {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return true;
  }
  const parsed = INBOUND[kind][channel].safeParse(json);
  if (!parsed.success) return true;
  const ts = (parsed.data as { ts?: string }).ts;
  if (ts === undefined) return false;
  const at = Date.parse(ts);
  return at > now + 60_000 || at < now - MAX_AGE_MS;
}

describe('MQTT fuzzing', () => {
  const { log, errors } = capturingLogger();
  let app: TestApp;
  let it_: Record<string, string>;
  let admin: Record<string, string>;
  const devices: Device[] = [];
  const bystander = { camera: `BYC${uid()}`, dock: `BYD${uid()}` };
  let camera: MqttClient;
  let dock: MqttClient;
  const bystanderClosed: string[] = [];
  const commandsSent: string[] = [];
  const commandsHeard = new Set<string>();

  const get = async (path: string) => {
    const res = await fetch(app.url + path, { headers: admin });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const connectAs = (creds: Device['creds'], clientId = creds.username) =>
    connect(app.platform.mqttUrl, creds, { clientId, protocolVersion: 4 });
  const newDevice = async (kind: DeviceKind): Promise<Device> => {
    const id = `FZ${uid()}`;
    const creds = await credentialsFor(app, it_, kind, id);
    return { kind, id, creds, client: await connectAs(creds), malformed: 0, refusable: 0 };
  };
  /** Every fuzzing identity used, retired ones too: each one's malformed count is checked. */
  const used: Device[] = [];

  beforeAll(async () => {
    app = await startApp({ TELEMETRY_FLUSH_MS: '200', LOG_LEVEL: 'warn' }, log);
    it_ = await app.as('it');
    admin = await app.as('admin');
    for (const kind of ['camera', 'camera', 'camera', 'dock'] as const) devices.push(await newDevice(kind));
    camera = await connectAs(await credentialsFor(app, it_, 'camera', bystander.camera));
    dock = await connectAs(await credentialsFor(app, it_, 'dock', bystander.dock));
    camera.on('close', () => bystanderClosed.push('camera'));
    dock.on('close', () => bystanderClosed.push('dock'));
    dock.on('message', (_t, payload) => {
      commandsHeard.add((JSON.parse(payload.toString()) as { commandId: string }).commandId);
    });
    await dock.subscribeAsync(topicOf('dock', bystander.dock, 'commands'), { qos: 1 });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(
      [camera, dock, ...used.map((d) => d.client)].map((c) => c.endAsync(true).catch(() => undefined)),
    );
    await app.close();
  });

  it(`survives ${MESSAGES} generated messages, counting each malformed one against its device`, async () => {
    const findings = new Findings();
    let published = 0;
    // The bystander: a camera reporting every 100 ms, a dock sent a command every 250 ms.
    let fuzzing = true;
    const bystanderLoop = (async () => {
      for (let i = 0; fuzzing; i++) {
        await within(
          camera.publishAsync(
            topicOf('camera', bystander.camera, 'telemetry'),
            JSON.stringify(cameraTelemetry({ battery: 42 })),
            { qos: 1 },
          ),
        ).catch(() => undefined);
        if (i % 3 === 0)
          commandsSent.push(
            await app.platform.sendCommand(
              { kind: 'dock', id: bystander.dock },
              { type: 'deny', officer: 'O-FUZZ', reason: 'fuzz' },
            ),
          );
        await new Promise((r) => setTimeout(r, 80));
      }
    })();

    // Subscribes and client-id thefts publish nothing: plan a few more actions than messages.
    const perDevice = Math.ceil((MESSAGES * 1.15) / devices.length);
    await inPool(devices, devices.length, async (first, d) => {
      let device = first;
      used.push(device);
      const plan = fc.sample(actions(first.kind), { seed: FUZZ_SEED + 1_000 + d, numRuns: perDevice });
      const reconnect = async () => {
        await within(device.client.endAsync(true)).catch(() => undefined);
        device.client = await connectAs(device.creds);
      };
      for (const [i, a] of plan.entries()) {
        const example = () => `#${i} ${device.kind}:${device.id} ${a.label}`;
        if (MAY_BE_REFUSED.has(a.do) && ++device.refusable > REFUSAL_BUDGET) {
          await within(device.client.endAsync(true)).catch(() => undefined);
          device = await newDevice(device.kind);
          device.refusable = 1;
          used.push(device);
        }
        try {
          switch (a.do) {
            case 'publish': {
              const now = Date.now();
              const payload =
                a.raw ??
                Buffer.from(
                  JSON.stringify(
                    a.freshTs && a.payload && typeof a.payload === 'object'
                      ? { ...a.payload, ts: new Date(now).toISOString() }
                      : a.payload,
                  ) ?? 'null',
                );
              if (payload.length > MAX_PACKET - 200) break;
              if (refused(device.kind, a.channel, payload, now)) device.malformed++;
              await within(
                device.client.publishAsync(topicOf(device.kind, device.id, a.channel), payload, { qos: 1 }),
              );
              published++;
              break;
            }
            case 'foreign publish':
            case 'oversize': {
              // Refused: MQTT 3.1.1 has no NACK, so the broker closes the connection.
              const ended = closed(device.client);
              const [topic, payload] =
                a.do === 'oversize'
                  ? [topicOf(device.kind, device.id, 'telemetry'), 'x'.repeat(MAX_PACKET + 1_000)]
                  : [a.topic(bystander.camera), '{"battery":1}'];
              device.client.publish(topic, payload, { qos: 0 });
              published++;
              await within(ended, 'the broker did not close the connection');
              await reconnect();
              break;
            }
            case 'subscribe':
              await within(
                device.client
                  .subscribeAsync(a.filter(device.id, bystander.camera), { qos: 1 })
                  .catch(() => undefined),
              );
              break;
            case 'steal client id': {
              const thief = await connectAs(device.creds, `camera:${bystander.camera}`).catch(() => null);
              await thief?.endAsync(true);
              break;
            }
          }
        } catch (err) {
          findings.add(
            `${a.label} failed (${(err as Error).message})`,
            device.kind,
            `${example()} payload=${a.do === 'publish' ? excerpt(a.payload) : ''}`,
          );
          await reconnect().catch(() => undefined);
        }
      }
    });
    fuzzing = false;
    await bystanderLoop;
    expect(findings.report()).toEqual([]);
    expect(published).toBeGreaterThanOrEqual(MESSAGES);

    // Counted against its device, each: the state's counter once the flush has run.
    for (const d of used) {
      const path = `/api/v1/${plural[d.kind]}/${d.id}/state`;
      const counted = await eventually(async () => {
        const r = await get(path);
        return r.body.malformedMessages === d.malformed ? d.malformed : null;
      }, 10_000).catch(async () => (await get(path)).body.malformedMessages);
      expect({ device: d.id, malformed: counted }).toEqual({ device: d.id, malformed: d.malformed });
    }
  }, 600_000);

  it('kept the bystander connected, its commands delivered and its state its own', async () => {
    expect(commandsSent.length).toBeGreaterThan(0);
    await eventually(() => commandsSent.every((c) => commandsHeard.has(c)), 10_000).catch(() => undefined);
    const { body } = await get(`/api/v1/cameras/${bystander.camera}/state`);
    // All at once, so that a failure shows every way the bystander was disturbed.
    expect({
      closed: bystanderClosed,
      undelivered: commandsSent.filter((c) => !commandsHeard.has(c)).length,
      state: { online: body.online, battery: body.battery, malformed: body.malformedMessages },
    }).toEqual({ closed: [], undelivered: 0, state: { online: true, battery: 42, malformed: 0 } });
  }, 30_000);

  it('keeps the broker up: a new device connects and its telemetry arrives', async () => {
    const id = `NEW${uid()}`;
    const client = await connectAs(await credentialsFor(app, it_, 'camera', id));
    await client.publishAsync(
      topicOf('camera', id, 'telemetry'),
      JSON.stringify(cameraTelemetry({ battery: 7 })),
      { qos: 1 },
    );
    await eventually(async () => (await get(`/api/v1/cameras/${id}/state`)).body.battery === 7);
    await client.endAsync();
  });

  it('logged nothing at error level', () => {
    expect(errors()).toEqual([]);
  });

  it('leaves an audit chain that verifies', async () => {
    expect((await get('/api/v1/audit/verify')).body).toEqual(INTACT_CHAIN);
  }, 60_000);
});
