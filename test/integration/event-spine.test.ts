// The domain event spine between API processes: two platforms on one database and one broker (the
// first's embedded aedes; the second a real `npm start` process on it through MQTT_URL). A check-out
// made on either reaches the dashboards served by the other within a second, through the events on
// the bus's internal topics — the fleet view's periodic full re-read is an hour away here. Devices
// can neither hear nor forge those events.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import request from 'supertest';
import type { DevicesDiff } from '../../src/realtime/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';
import { connect as liveConnect, logIn, next, sessionFor, type LiveClient } from '../helpers/live.js';
import { closed, connectDevice, eventually, uid } from '../helpers/mqtt.js';
import { killLeftoverPlatforms, runPlatform, type PlatformProcess } from '../helpers/process.js';

const SERVICE = { username: 'service:platform', password: `svc-${randomBytes(12).toString('hex')}` };
const INTERNAL = 'bwv/v1/internal/events';

describe('domain events between API processes', () => {
  let first: TestApp;
  let second: PlatformProcess;
  /** The second process as the helpers see an app: its URL and a supertest of it. */
  let other: Pick<TestApp, 'url' | 'http'>;
  let admin: Record<string, string>;
  let station: string;
  let onFirst: LiveClient;
  let onSecond: LiveClient;

  beforeAll(async () => {
    const quiet = { DASHBOARD_REGISTER_REFRESH_S: '3600', REDACTION_WORKER: 'off' };
    first = await startApp({ ...quiet, MQTT_SERVICE_PASSWORD: SERVICE.password });
    second = runPlatform({
      ...quiet,
      MONGODB_URI: process.env.BWV_TEST_MONGODB_URI!,
      MONGODB_DB: first.dbName,
      DATA_DIR: first.platform.config.DATA_DIR,
      MQTT_URL: first.platform.mqttUrl,
      MQTT_SERVICE_PASSWORD: SERVICE.password,
    });
    const url = await second.url;
    await second.waitForLog((l) => l.msg === 'API ready', 120_000);
    other = { url, http: () => request(url) };
    admin = await first.as('admin');
    station = await newStation(first, admin);
    // One inspector, logged in on each process (sessions live in the shared database).
    const inspector = await sessionFor(first, 'inspector', station);
    const elsewhere = await logIn(other as TestApp, inspector.username, inspector.password);
    onFirst = liveConnect(first, inspector.cookie);
    onSecond = liveConnect(other as TestApp, elsewhere.cookie);
    await Promise.all([next(onFirst, 'snapshot', 30_000), next(onSecond, 'snapshot', 30_000)]);
  }, 180_000);
  afterAll(async () => {
    onFirst?.close();
    onSecond?.close();
    await killLeftoverPlatforms();
    await first?.close();
  });

  const showing = (sock: LiveClient, camera: string, status: string) =>
    next(sock, 'devices:diff', 1_000, (d: DevicesDiff) =>
      d.changes.some((c) => c.id === camera && c.status === status),
    );

  it("shows a check-out made on one process on the other's dashboards within a second, both ways", async () => {
    const officer = await newOfficer(first, admin, { station });
    const camera = await newCamera(first, admin, { station });
    // The second process heard of the new camera through the spine too (register.changed).
    await next(onSecond, 'devices:diff', 5_000, (d: DevicesDiff) => d.changes.some((c) => c.id === camera));

    const issuedThere = showing(onSecond, camera, 'issued');
    await first
      .http()
      .post('/api/v1/checkouts')
      .set(admin)
      .send({ camera, officer, mode: 'pool' })
      .expect(201);
    const issued = await issuedThere;
    expect(issued.changes.find((c) => c.id === camera)).toMatchObject({ status: 'issued', holder: officer });

    const backHere = showing(onFirst, camera, 'in_stock');
    await other.http().post('/api/v1/checkins').set(admin).send({ camera, condition: 'ok' }).expect(200);
    const back = await backHere;
    expect(back.changes.find((c) => c.id === camera)).toMatchObject({ status: 'in_stock', holder: null });
  }, 60_000);

  it('refuses a device a subscription to the internal topics, and drops what it publishes there', async () => {
    const heard: Array<{ topic: string; payload: string }> = [];
    const service = await mqtt.connectAsync(first.platform.mqttUrl, {
      ...SERVICE,
      clientId: `bwv-test-${uid()}`,
      reconnectPeriod: 0,
    });
    try {
      await service.subscribeAsync(`${INTERNAL}/+`, { qos: 1 });
      service.on('message', (topic, payload) => heard.push({ topic, payload: payload.toString() }));
      const it_ = await first.as('it');
      const device = await connectDevice(first, it_, 'camera', `CAM${uid()}`);
      // [MQTT-3.9.3] SUBACK 0x80 for a filter the device may not have (mqtt.js rejects on it).
      for (const filter of [`${INTERNAL}/+`, `${INTERNAL}/camera.checked-out`, 'bwv/v1/internal/#']) {
        const suback = await device.subscribeAsync(filter, { qos: 1 }).then(
          () => null,
          (err: { packet?: { granted?: number[] } }) => err.packet?.granted,
        );
        expect(suback).toEqual([128]);
      }
      // A forged check-out: MQTT 3.1.1 cannot refuse a PUBLISH, so the broker drops it and closes
      // the connection; nobody hears it.
      const gone = closed(device);
      const forged = JSON.stringify({
        id: 'forged',
        type: 'register.changed',
        version: 1,
        occurredAt: new Date().toISOString(),
        source: 'forger',
        data: { kind: 'camera', id: 'CAM-X', fields: { status: 'lost' } },
      });
      device.publish(`${INTERNAL}/register.changed`, forged, { qos: 1 });
      await gone;
      // The spine itself works for the service identity: a check-out is heard.
      const officer = await newOfficer(first, admin, { station });
      const camera = await newCamera(first, admin, { station });
      await first
        .http()
        .post('/api/v1/checkouts')
        .set(admin)
        .send({ camera, officer, mode: 'pool' })
        .expect(201);
      await eventually(() => heard.some((h) => h.topic === `${INTERNAL}/camera.checked-out`), 5_000);
      expect(heard.some((h) => h.topic === `${INTERNAL}/register.changed`)).toBe(true);
      expect(heard.filter((h) => h.payload.includes('forger'))).toEqual([]);
      // Refusals are audited (the first of a window at once, the rest summarised when it closes).
      const audit = await first.http().get('/api/v1/audit').query({ limit: 200 }).set(admin).expect(200);
      const actions = (audit.body.items as Array<{ action: string }>).map((e) => e.action);
      expect(actions).toContain('mqtt.subscribe.refused');
    } finally {
      await service.endAsync();
    }
  }, 60_000);
});
