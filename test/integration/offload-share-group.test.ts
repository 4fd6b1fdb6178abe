// Redaction workers hear `clip.offloaded` through the event spine on a broker with shared
// subscriptions (Debian's Mosquitto): the workers subscribe as one group, so each offload reaches
// exactly one of them. (On the embedded aedes, which has none, they fall back to hearing every
// offload: redaction-worker.test.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { connectServiceClient, eventWire, type ServiceClient } from '../../src/bus/index.js';
import { connectEventTransport, LocalDomainEventBus, type EventTransport } from '../../src/events/index.js';
import { SHARE_GROUP } from '../../src/redaction/index.js';
import { connect, eventually } from '../helpers/mqtt.js';

/** A `clip.offloaded` envelope as another platform process sends it. */
const offloaded = (clipId: string, type = 'clip.offloaded') =>
  JSON.stringify({
    id: randomBytes(8).toString('hex'),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'another-platform:1',
    data: { clipId, camera: 'CAM001', dock: 'D1', station: 'NORTH', size: 1 },
  });
const TOPIC = 'bwv/v1/internal/events/clip.offloaded';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

describe('redaction workers hearing offloads on a broker with shared subscriptions', () => {
  let dir: string;
  let mosquitto: ChildProcess;
  let url: string;
  const creds = { username: 'service:platform', password: 'any' };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bwv-mosquitto-share-'));
    const port = await freePort();
    url = `mqtt://127.0.0.1:${port}`;
    await writeFile(
      path.join(dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence false',
        `user ${userInfo().username}`,
      ].join('\n') + '\n',
    );
    mosquitto = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await eventually(() => connect(url, creds).then((c) => c.endAsync().then(() => true)));
  });
  afterAll(async () => {
    mosquitto?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('hands each offload to exactly one worker of the group, and drops malformed messages', async () => {
    const heard: string[][] = [[], []];
    const clients: ServiceClient[] = [];
    const listeners: EventTransport[] = [];
    const log = pino({ level: 'silent' });
    for (const [i, got] of heard.entries()) {
      const client = await connectServiceClient({ url, ...creds, log, shareGroup: SHARE_GROUP });
      const events = new LocalDomainEventBus(`worker-${i}`, log);
      events.on('clip.offloaded', (e) => got.push(e.data.clipId));
      clients.push(client);
      listeners.push(
        await connectEventTransport(events, eventWire(client), log, { hear: ['clip.offloaded'] }),
      );
    }
    const publisher = await connect(url, creds);
    try {
      expect(clients.map((l) => l.shared)).toEqual([true, true]);
      const ids = Array.from({ length: 20 }, () => randomBytes(32).toString('hex'));
      for (const id of ids) await publisher.publishAsync(TOPIC, offloaded(id), { qos: 1 });
      const other = randomBytes(32).toString('hex');
      // The event's type must be the one in the topic.
      await publisher.publishAsync(TOPIC, offloaded(other, 'clip.redacted'), { qos: 1 });
      await eventually(() => heard[0]!.length + heard[1]!.length >= 20, 10_000);
      const malformed = () => listeners[0]!.stats().malformed + listeners[1]!.stats().malformed;
      await eventually(() => malformed() === 1, 5_000);
      expect([...heard[0]!, ...heard[1]!].sort()).toEqual([...ids].sort()); // each once, none twice
      expect(heard[0]!.length).toBeGreaterThan(0);
      expect(heard[1]!.length).toBeGreaterThan(0);
    } finally {
      await publisher.endAsync();
      await Promise.all(listeners.map((l) => l.close()));
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
