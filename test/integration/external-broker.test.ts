// The platform on an external broker: Debian's Mosquitto on loopback (MQTT_URL). The platform is an
// ordinary client of it, logging in with service credentials. Mosquitto authenticates devices and
// confines each to its own topics with its dynamic-security plugin; the platform, a dynsec admin,
// creates each device's client and role there when the API issues its credentials
// (MQTT_MOSQUITTO_DYNSEC=true; see docs/mqtt.md, "Running on an external broker").
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startApp, type TestApp } from '../helpers/app.js';
import { cameraTelemetry, closed, connect, credentialsFor, eventually, uid } from '../helpers/mqtt.js';

const run = promisify(execFile);
const SERVICE = { username: 'service:platform', password: `svc-${uid()}${uid()}` };
let dir: string;
let mosquitto: ChildProcess;
let port: number;
let app: TestApp;
let it_: Record<string, string>;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

const ctrl = (...args: string[]) =>
  run('mosquitto_ctrl', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-u',
    SERVICE.username,
    '-P',
    SERVICE.password,
    'dynsec',
    ...args,
  ]);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bwv-mosquitto-'));
  port = await freePort();
  // The dynsec admin is the platform's service user; the file holds only a salted hash of its password.
  await run('mosquitto_ctrl', [
    'dynsec',
    'init',
    path.join(dir, 'dynsec.json'),
    SERVICE.username,
    SERVICE.password,
  ]);
  await writeFile(
    path.join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      'plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so',
      `plugin_opt_config_file ${path.join(dir, 'dynsec.json')}`,
      'persistence false',
      'message_size_limit 16384',
      // Started as root, mosquitto would drop to user `mosquitto`, who cannot read our temp dir.
      `user ${userInfo().username}`,
    ].join('\n') + '\n',
  );
  mosquitto = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  await eventually(() =>
    connect(`mqtt://127.0.0.1:${port}`, SERVICE).then((c) => c.endAsync().then(() => true)),
  );
  app = await startApp({
    MQTT_URL: `mqtt://127.0.0.1:${port}`,
    MQTT_SERVICE_USERNAME: SERVICE.username,
    MQTT_SERVICE_PASSWORD: SERVICE.password,
    MQTT_MOSQUITTO_DYNSEC: 'true',
    TELEMETRY_FLUSH_MS: '300',
  });
  it_ = await app.as('it');
});
afterAll(async () => {
  await app?.close();
  mosquitto?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

describe('with MQTT_URL pointing at Mosquitto', () => {
  it('reports the broker ready and runs no embedded broker', async () => {
    expect(app.platform.mqttUrl).toBe(`mqtt://127.0.0.1:${port}`);
    const ready = await app.http().get('/readyz').expect(200);
    expect(ready.body.checks).toMatchObject({ broker: 'ok' });
  });

  it('ingests telemetry a device publishes through Mosquitto', async () => {
    const serial = `CAM${uid()}`;
    const creds = await credentialsFor(app, it_, 'camera', serial);
    // The platform created the device in Mosquitto's dynamic-security store.
    expect((await ctrl('getClient', creds.username)).stdout).toContain(creds.username);
    const cam = await connect(app.platform.mqttUrl, creds);
    await cam.publishAsync(
      `bwv/v1/cameras/${serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ battery: 42 })),
    );
    const res = await eventually(async () => {
      const r = await app.http().get(`/api/v1/cameras/${serial}`).set(it_);
      return r.body.live ? r : null;
    });
    expect(res.body.live).toMatchObject({ online: true, battery: 42, health: 'ok' });

    // Mosquitto's ACL drops a publish on another camera's topic.
    const victim = `CAM${uid()}`;
    await cam.publishAsync(`bwv/v1/cameras/${victim}/telemetry`, JSON.stringify(cameraTelemetry()), {
      qos: 1,
    });
    await cam.publishAsync(
      `bwv/v1/cameras/${serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ battery: 41 })),
    );
    await eventually(
      async () => (await app.http().get(`/api/v1/cameras/${serial}/state`).set(it_)).body.battery === 41,
    );
    await app.http().get(`/api/v1/cameras/${victim}/state`).set(it_).expect(404);
    // The event spine between platform processes is closed to devices: SUBACK 0x80.
    const suback = await cam.subscribeAsync('bwv/v1/internal/events/+', { qos: 1 }).then(
      (granted) => granted.map((g) => g.qos),
      (err: { packet?: { granted?: number[] } }) => err.packet?.granted,
    );
    expect(suback).toEqual([128]);
    // Only with its own client id: another device's would take over that device's session.
    await expect(connect(app.platform.mqttUrl, creds, { clientId: `camera:${victim}` })).rejects.toThrow(
      /Not authorized|Identifier rejected|Bad username or password/,
    );
    expect(cam.connected).toBe(true);
    // Re-issuing revokes the old password in the broker too (dynsec also ends the old session).
    const ended = closed(cam);
    const fresh = await credentialsFor(app, it_, 'camera', serial, { registered: true });
    await ended;
    await expect(connect(app.platform.mqttUrl, creds)).rejects.toThrow(
      /Not authorized|Bad username or password/,
    );
    const again = await connect(app.platform.mqttUrl, fresh);
    await again.endAsync();
  });

  it('refuses a device whose credentials the broker does not know', async () => {
    await expect(
      connect(app.platform.mqttUrl, { username: `camera:X${uid()}`, password: 'nope' }),
    ).rejects.toThrow(/Not authorized|Bad username or password/);
  });
});
