// The embedded broker's optional listeners, MQTT over TLS and MQTT over WebSocket: the same
// identity check, ACL and packet size guard as plain MQTT. Real TLS (a certificate made by
// Debian's openssl), real mqtt.js and mosquitto_pub clients, real database.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { WebSocket, createWebSocketStream } from 'ws';
import { startApp, type TestApp } from '../helpers/app.js';
import { cameraTelemetry, closed, connect, credentialsFor, eventually, uid } from '../helpers/mqtt.js';

const run = promisify(execFile);

let app: TestApp;
let it_: Record<string, string>;
let admin: Record<string, string>;
let dir: string;
let certFile: string;
let ca: Buffer;
let urls: { mqtt: string; mqtts?: string; ws?: string };
let appClosed = false;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bwv-tls-'));
  certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  // Self-signed for 127.0.0.1, so the certificate is its own CA and clients verify the host name.
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ]); // prettier-ignore
  ca = await readFile(certFile);
  app = await startApp({
    TELEMETRY_FLUSH_MS: '200',
    MQTT_TLS_PORT: '0',
    MQTT_TLS_CERT_FILE: certFile,
    MQTT_TLS_KEY_FILE: keyFile,
    MQTT_WS_PORT: '0',
  });
  urls = app.platform.brokerUrls!;
  [it_, admin] = await Promise.all([app.as('it'), app.as('admin')]);
});
afterAll(async () => {
  if (!appClosed) await app.close();
  await rm(dir, { recursive: true, force: true });
});

const state = (serial: string) => app.http().get(`/api/v1/cameras/${serial}/state`).set(it_);
const port = (url: string) => Number(new URL(url).port);

/** Connects with mqtt.js over the listener `kind`, trusting the test certificate for TLS. */
const connectOver = (kind: 'mqtts' | 'ws', creds: { username: string; password: string }) =>
  connect(kind === 'mqtts' ? urls.mqtts! : urls.ws!, creds, kind === 'mqtts' ? { ca } : {});

/** A raw byte stream to the listener, below mqtt.js, to send packets it would never send. */
async function rawStream(kind: 'mqtts' | 'ws'): Promise<Duplex> {
  if (kind === 'mqtts') {
    const socket = tlsConnect({ host: '127.0.0.1', port: port(urls.mqtts!), ca });
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    return socket;
  }
  const ws = new WebSocket(urls.ws!, 'mqtt');
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return createWebSocketStream(ws);
}

const str = (s: string) => {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};
/** MQTT 3.1.1 CONNECT with username and password, clean session, 60 s keep-alive [MQTT-3.1]. */
function connectPacket(creds: { username: string; password: string }) {
  const body = Buffer.concat([
    str('MQTT'),
    Buffer.from([4, 0xc2, 0, 60]),
    str(creds.username), // a device's client id is its username
    str(creds.username),
    str(creds.password),
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]); // body < 128 bytes: one length byte
}

describe.each(['mqtts', 'ws'] as const)('over %s', (kind) => {
  it('lets a device with valid credentials in and ingests its telemetry', async () => {
    const serial = `CAM${uid()}`;
    const cam = await connectOver(kind, await credentialsFor(app, it_, 'camera', serial));
    await cam.publishAsync(
      `bwv/v1/cameras/${serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ battery: 57, charging: true })),
    );
    const res = await eventually(async () => {
      const r = await state(serial);
      return r.status === 200 && r;
    });
    expect(res.body).toMatchObject({ id: serial, online: true, battery: 57, charging: true });
    await cam.endAsync();
  });

  it('refuses CONNECT with a wrong password or an unknown device', async () => {
    const serial = `CAM${uid()}`;
    const creds = await credentialsFor(app, it_, 'camera', serial);
    await expect(connectOver(kind, { ...creds, password: 'wrong' })).rejects.toThrow(
      /Bad username or password/,
    );
    await expect(
      connectOver(kind, { username: `camera:NOPE${uid()}`, password: creds.password }),
    ).rejects.toThrow(/Bad username or password/);
  });

  it('closes the session of a device publishing on another device’s topic and audits it', async () => {
    const serial = `CAM${uid()}`;
    const victim = `CAM${uid()}`;
    const cam = await connectOver(kind, await credentialsFor(app, it_, 'camera', serial));
    const ended = closed(cam);
    cam.publish(`bwv/v1/cameras/${victim}/telemetry`, JSON.stringify(cameraTelemetry()), { qos: 1 });
    await ended;
    expect((await state(victim)).status).toBe(404);
    await eventually(async () => {
      const r = await app.http().get('/api/v1/audit').query({ action: 'mqtt.publish.refused' }).set(admin);
      return (r.body.items as Array<{ target: { id: string } }>).some((e) => e.target.id === serial);
    });
  });

  it('closes the connection as soon as a packet header announces more than the size limit', async () => {
    const creds = await credentialsFor(app, it_, 'camera', `CAM${uid()}`);
    const stream = await rawStream(kind);
    const received: Buffer[] = [];
    stream.on('data', (b: Buffer) => received.push(b));
    // The broker hanging up: a WebSocket stream only ends (its writable side is still ours).
    const ended = new Promise<void>((r) => stream.once('end', r).once('close', r));
    stream.on('error', () => undefined); // the broker hanging up is what this test expects
    stream.write(connectPacket(creds));
    // CONNACK, accepted: the session is open and the guard is all that can end it below.
    await eventually(() => Buffer.concat(received).equals(Buffer.from([0x20, 2, 0, 0])));
    // A PUBLISH announcing 1 MB (limit 16 KiB), then a few bytes: the body never comes.
    stream.write(Buffer.from([0x30, 0xc0, 0x84, 0x3d, 0, 5, 0x62, 0x77, 0x76]));
    await ended;
    expect(Buffer.concat(received)).toHaveLength(4); // nothing after the CONNACK
  });
});

describe('TLS', () => {
  it('mosquitto_pub publishes --cafile and the reading is ingested', async () => {
    const serial = `CAM${uid()}`;
    const creds = await credentialsFor(app, it_, 'camera', serial);
    await run('mosquitto_pub', [
      '-h', '127.0.0.1', '-p', String(port(urls.mqtts!)), '--cafile', certFile,
      '-u', creds.username, '-P', creds.password, '-i', creds.username, '-V', 'mqttv311', '-q', '1',
      '-t', `bwv/v1/cameras/${serial}/telemetry`, '-m', JSON.stringify(cameraTelemetry({ battery: 42 })),
    ]); // prettier-ignore
    const res = await eventually(async () => {
      const r = await state(serial);
      return r.status === 200 && r;
    });
    expect(res.body).toMatchObject({ id: serial, battery: 42 });
  });

  it('is refused by a client that does not trust the certificate (the listener really is TLS)', async () => {
    const creds = await credentialsFor(app, it_, 'camera', `CAM${uid()}`);
    await expect(connect(urls.mqtts!, creds)).rejects.toThrow(/self-signed certificate/);
  });
});

describe('close', () => {
  it('ends sessions on every listener and stops listening', async () => {
    const serial = `CAM${uid()}`;
    const other = `CAM${uid()}`;
    const overTls = await connectOver('mqtts', await credentialsFor(app, it_, 'camera', serial));
    const overWs = await connectOver('ws', await credentialsFor(app, it_, 'camera', other));
    const ended = Promise.all([closed(overTls), closed(overWs)]);
    appClosed = true;
    await app.close();
    await ended;
    for (const url of [urls.mqtt, urls.mqtts!, urls.ws!]) {
      const refused = await new Promise<string | undefined>((resolve) => {
        const s = tcpConnect(port(url), '127.0.0.1');
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code));
      });
      expect(refused).toBe('ECONNREFUSED');
    }
  });
});
