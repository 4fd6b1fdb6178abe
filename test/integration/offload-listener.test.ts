// Redaction workers' offload listener on a broker with shared subscriptions (Debian's Mosquitto):
// the workers subscribe as one group, so each offload reaches exactly one of them. (On the embedded
// aedes, which has none, they fall back to hearing every offload: redaction-worker.test.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { listenForOffloads, type OffloadListener } from '../../src/redaction/offload.listener.js';
import { connect, eventually } from '../helpers/mqtt.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

describe('offload listener on a broker with shared subscriptions', () => {
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
    const listeners: OffloadListener[] = [];
    for (const got of heard) {
      listeners.push(
        await listenForOffloads({
          url,
          ...creds,
          log: pino({ level: 'silent' }),
          onOffloaded: (id) => got.push(id),
        }),
      );
    }
    const publisher = await connect(url, creds);
    try {
      expect(listeners.map((l) => l.shared)).toEqual([true, true]);
      const ids = Array.from({ length: 20 }, () => randomBytes(32).toString('hex'));
      for (const id of ids) {
        await publisher.publishAsync(`bwv/v1/clips/${id}/offloaded`, JSON.stringify({ clipId: id }), {
          qos: 1,
        });
      }
      const other = randomBytes(32).toString('hex');
      // The id in the payload must be the one in the topic.
      await publisher.publishAsync(`bwv/v1/clips/${ids[0]}/offloaded`, JSON.stringify({ clipId: other }), {
        qos: 1,
      });
      await eventually(() => heard[0]!.length + heard[1]!.length >= 20, 10_000);
      await eventually(() => listeners[0]!.malformed() + listeners[1]!.malformed() === 1, 5_000);
      expect([...heard[0]!, ...heard[1]!].sort()).toEqual([...ids].sort()); // each once, none twice
      expect(heard[0]!.length).toBeGreaterThan(0);
      expect(heard[1]!.length).toBeGreaterThan(0);
    } finally {
      await publisher.endAsync();
      await Promise.all(listeners.map((l) => l.close()));
    }
  });
});
