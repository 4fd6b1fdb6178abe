// The module-system proof: aedes (ESM-only), mongoose and express run together under jest.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Aedes } from 'aedes';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { startApp, type TestApp } from '../helpers/app.js';

describe('the stack under jest', () => {
  let app: TestApp;
  let broker: Aedes;
  let server: Server;

  beforeAll(async () => {
    app = await startApp();
    broker = await Aedes.createBroker();
    server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise<void>((r) => broker.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
    await app.close();
  });

  it('serves HTTP on a database and relays MQTT in one process', async () => {
    const ready = await app.http().get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', broker: 'ok', api: 'ok' } });

    const { port } = server.address() as AddressInfo;
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`);
    const received = new Promise<string>((resolve) => client.on('message', (_t, p) => resolve(p.toString())));
    await client.subscribeAsync('probe/#');
    await client.publishAsync('probe/x', 'hello');
    expect(await received).toBe('hello');
    await client.endAsync();
  });
});
