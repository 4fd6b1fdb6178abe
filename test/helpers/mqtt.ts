// MQTT helpers for tests: provision a device through the API and connect it with mqtt.js.
import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { TestApp } from './app.js';
import { newCamera, newDock, newStation } from './factories.js';

export const uid = () => randomBytes(3).toString('hex').toUpperCase();

const registrars = new WeakMap<TestApp, Promise<{ headers: Record<string, string>; station: string }>>();

/** Puts a camera or dock in the register (credentials are only issued for registered devices). */
export async function register(app: TestApp, kind: 'camera' | 'dock', id: string) {
  let r = registrars.get(app);
  if (!r) {
    r = app.as('admin').then(async (headers) => ({ headers, station: await newStation(app, headers) }));
    registrars.set(app, r);
  }
  const { headers, station } = await r;
  if (kind === 'camera') await newCamera(app, headers, { station, serial: id });
  else await newDock(app, headers, { station, id });
  return station;
}

/** Registers the device and issues its MQTT credentials through the API. */
export async function credentialsFor(
  app: TestApp,
  headers: Record<string, string>,
  kind: 'camera' | 'dock',
  id: string,
  { registered = false } = {},
): Promise<{ username: string; password: string }> {
  if (!registered) await register(app, kind, id);
  const path = kind === 'camera' ? `/api/v1/cameras/${id}/credentials` : `/api/v1/docks/${id}/credentials`;
  const res = await app.http().post(path).set(headers).expect(201);
  return res.body as { username: string; password: string };
}

/** Connects with the device's own client id, its username (the broker refuses any other). */
export function connect(
  url: string,
  creds: { username: string; password: string },
  opts: IClientOptions = {},
) {
  return mqtt.connectAsync(url, {
    ...creds,
    clientId: creds.username,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...opts,
  });
}

export async function connectDevice(
  app: TestApp,
  headers: Record<string, string>,
  kind: 'camera' | 'dock',
  id: string,
  opts: IClientOptions = {},
): Promise<MqttClient> {
  return connect(app.platform.mqttUrl, await credentialsFor(app, headers, kind, id), opts);
}

export function cameraTelemetry(fields: Record<string, unknown> = {}) {
  return {
    ts: new Date().toISOString(),
    battery: 80,
    charging: false,
    storageUsedMb: 1_000,
    storageTotalMb: 64_000,
    firmware: '2.4.1',
    recording: false,
    dock: null,
    assignedTo: null,
    ...fields,
  };
}

/** Polls until `check` returns a truthy value (or throws the last error after `ms`). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  ms = 5_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline)
      throw lastErr instanceof Error ? lastErr : new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves when the client's connection closes. */
export const closed = (c: MqttClient) => new Promise<void>((r) => c.once('close', () => r()));
