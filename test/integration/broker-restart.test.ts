// The embedded broker's thread dying (a bug in the broker, memory): the platform starts it again on
// the same port and feeds it to the same ingestion, so devices reconnect as after any dropped
// connection. Real aedes thread, real mqtt.js device that reconnects on its own. The thread runs at
// MQTT_BROKER_NICE, the restarted one too (the tests run as root, which may raise a priority).
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { cameraTelemetry, connectDevice, eventually, uid } from '../helpers/mqtt.js';

let app: TestApp;
let it_: Record<string, string>;

beforeAll(async () => {
  app = await startApp({ TELEMETRY_FLUSH_MS: '200', MQTT_BROKER_NICE: '-7' });
  it_ = await app.as('it');
});
afterAll(() => app.close());

/** The nice value of a thread of this process (field 19 of /proc/self/task/TID/stat). */
const niceOf = (tid: string | number) => {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};
const niceOfThreads = () =>
  readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      return [niceOf(tid)];
    } catch {
      return []; // a thread that ended meanwhile
    }
  });
const brokerThreads = () => niceOfThreads().filter((n) => n === -7).length;
// The main thread's id is the process's; not the first entry of the listing, which libuv sorts as
// text ("10234" before "9876").
const mainThreadNice = () => niceOf(process.pid);

const battery = async (serial: string) =>
  (await app.http().get(`/api/v1/cameras/${serial}/state`).set(it_)).body.battery as number | undefined;

it('restarts a broker thread that dies, at its priority: /readyz is 503 meanwhile, then devices reconnect and are heard both ways', async () => {
  const serial = `CAM${uid()}`;
  const camera = await connectDevice(app, it_, 'camera', serial, { reconnectPeriod: 200 });
  try {
    const commands: string[] = [];
    camera.on('message', (_topic, payload) => commands.push(payload.toString()));
    await camera.subscribeAsync(`bwv/v1/cameras/${serial}/commands`, { qos: 1 });
    await camera.publishAsync(
      `bwv/v1/cameras/${serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ battery: 61 })),
    );
    await eventually(async () => (await battery(serial)) === 61);
    const port = new URL(app.platform.mqttUrl).port;
    expect(brokerThreads()).toBe(1);
    expect(mainThreadNice()).toBe(0); // the process's main thread keeps its priority

    const lost = new Promise<void>((resolve) => camera.once('close', () => resolve()));
    await app.platform.broker!.terminate();
    await lost;
    expect((await app.http().get('/readyz')).status).toBe(503);

    // Back on the same port: the device's own reconnect finds it, and its subscription is renewed.
    await eventually(async () => (await app.http().get('/readyz')).status === 200, 10_000);
    await eventually(() => camera.connected, 10_000);
    expect(new URL(app.platform.mqttUrl).port).toBe(port);
    expect(brokerThreads()).toBe(1);
    expect(mainThreadNice()).toBe(0);
    await camera.publishAsync(
      `bwv/v1/cameras/${serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ battery: 42 })),
    );
    await eventually(async () => (await battery(serial)) === 42);
    await eventually(async () => {
      await app.platform.sendCommand({ kind: 'camera', id: serial }, { type: 'locate' });
      return commands.some((c) => JSON.parse(c).type === 'locate');
    });
  } finally {
    await camera.endAsync(true);
  }
});
