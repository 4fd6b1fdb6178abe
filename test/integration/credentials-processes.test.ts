// Several API processes on one database: credentials issued through one revoke the old ones at the
// others' brokers too, and end the sessions that logged in with them: at once when the device logs
// in with its new ones, else within CREDENTIALS_REFRESH_S. Two platforms, each with its real aedes
// broker, real mqtt.js devices, one real database.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { closed, connect, credentialsFor, uid } from '../helpers/mqtt.js';

let quick: TestApp; // re-reads credentials every second
let slow: TestApp; // re-reads them hourly: only a device logging in tells it sooner
let it_: Record<string, string>;

beforeAll(async () => {
  quick = await startApp({ CREDENTIALS_REFRESH_S: '1' });
  slow = await startApp({ MONGODB_DB: quick.dbName, CREDENTIALS_REFRESH_S: '3600' });
  it_ = await quick.as('it');
});
afterAll(async () => {
  await slow.close();
  await quick.close();
});

const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms).unref()),
  ]);

it('ends a session on the old password within CREDENTIALS_REFRESH_S of an issue elsewhere', async () => {
  const serial = `CAM${uid()}`;
  const old = await credentialsFor(slow, it_, 'camera', serial);
  const device = await connect(quick.platform.mqttUrl, old);
  const ended = closed(device);

  const fresh = await credentialsFor(slow, it_, 'camera', serial, { registered: true });
  await within(5_000, ended); // a 1 s re-read, with room for a busy CI machine
  await expect(connect(quick.platform.mqttUrl, old)).rejects.toThrow(/Bad username or password/);
  await (await connect(quick.platform.mqttUrl, fresh)).endAsync();
});

it('ends it at once when the device logs in with the new credentials', async () => {
  const serial = `CAM${uid()}`;
  const old = await credentialsFor(quick, it_, 'camera', serial);
  const stolen = await connect(slow.platform.mqttUrl, old);
  const ended = closed(stolen);

  const fresh = await credentialsFor(quick, it_, 'camera', serial, { registered: true });
  await new Promise((r) => setTimeout(r, 500));
  expect(stolen.connected).toBe(true); // this broker has not re-read the credentials yet

  const device = await connect(slow.platform.mqttUrl, fresh);
  await within(2_000, ended);
  expect(device.connected).toBe(true);
  await expect(connect(slow.platform.mqttUrl, old)).rejects.toThrow(/Bad username or password/);
  await device.endAsync();
});
