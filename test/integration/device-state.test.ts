// Live device state: online/offline from the MQTT session and a last-seen timeout, health and
// alerts, coalesced persistence, the internal event stream, and Debian's mosquitto clients.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import fc from 'fast-check';
import { startApp, testDbName, type TestApp } from '../helpers/app.js';
import { capturingLogger, FUZZ_SEED } from '../helpers/fuzz.js';
import { cameraTelemetry, connect, connectDevice, credentialsFor, eventually, uid } from '../helpers/mqtt.js';

const run = promisify(execFile);
let app: TestApp;
let it_: Record<string, string>;
let admin: Record<string, string>;
let mongo: MongoClient;
/** What the platform logged at error level, each kind once with a count. */
let errorLogs: () => string[];

beforeAll(async () => {
  const captured = capturingLogger();
  errorLogs = captured.errors;
  app = await startApp({ TELEMETRY_FLUSH_MS: '300', DEVICE_OFFLINE_AFTER_S: '1' }, captured.log);
  it_ = await app.as('it');
  admin = await app.as('admin');
  mongo = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
});
afterAll(async () => {
  await mongo.close();
  await app.close();
});

const state = (serial: string) => app.http().get(`/api/v1/cameras/${serial}/state`).set(it_);
const telemetryTopic = (serial: string) => `bwv/v1/cameras/${serial}/telemetry`;
const auditFor = async (id: string) =>
  (await app.http().get('/api/v1/audit').query({ targetId: id, limit: 100 }).set(admin)).body.items as Array<{
    action: string;
    actor: { type: string; id: string };
  }>;

describe('online and offline', () => {
  it('goes offline when the session ends cleanly, with an alert and an audit entry, and back online', async () => {
    const serial = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial);
    await cam.publishAsync(telemetryTopic(serial), JSON.stringify(cameraTelemetry()));
    await eventually(async () => (await state(serial)).body.online === true);
    await cam.endAsync();
    const off = await eventually(async () => {
      const r = await state(serial);
      return r.body.online === false && r;
    });
    expect(off.body).toMatchObject({ health: 'offline', reasons: ['offline'] });
    // Alerts and audit entries are written beside ingestion, not in its path: eventually.
    const alerts = await eventually(async () => {
      const r = await app.http().get('/api/v1/device-alerts').set(it_).expect(200);
      const items = r.body.items as Array<{ id: string; type: string }>;
      return items.some((a) => a.id === serial && a.type === 'offline') && items;
    });
    expect(alerts).toContainEqual(expect.objectContaining({ id: serial, type: 'offline' }));
    await eventually(async () => (await auditFor(serial)).some((e) => e.action === 'device.alert.offline'));

    const again = await connect(
      app.platform.mqttUrl,
      await credentialsFor(app, it_, 'camera', serial, { registered: true }),
    );
    await again.publishAsync(telemetryTopic(serial), JSON.stringify(cameraTelemetry()));
    await eventually(async () => (await state(serial)).body.health === 'ok');
    await again.endAsync();
  });

  it('goes offline when a connected device falls silent past the last-seen timeout', async () => {
    const serial = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial, { keepalive: 60 });
    await cam.publishAsync(telemetryTopic(serial), JSON.stringify(cameraTelemetry()));
    await eventually(async () => (await state(serial)).body.online === true);
    const started = Date.now();
    await eventually(async () => (await state(serial)).body.online === false, 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(cam.connected).toBe(true);
    await cam.endAsync();
  });

  it('goes offline when the socket drops without DISCONNECT', async () => {
    const serial = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial, {
      will: {
        topic: `bwv/v1/cameras/${serial}/status`,
        payload: Buffer.from('{"online":false}'),
        qos: 1,
        retain: true,
      },
    });
    await cam.publishAsync(`bwv/v1/cameras/${serial}/status`, '{"online":true}', { retain: true });
    await eventually(async () => (await state(serial)).body.online === true);
    cam.stream.destroy(); // the socket drops without DISCONNECT
    await eventually(async () => (await state(serial)).body.online === false);
    cam.end(true);
  });
});

describe('health', () => {
  it('warns on low battery and full storage, faults on a fault event, with the reasons', async () => {
    const serial = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial);
    await cam.publishAsync(
      telemetryTopic(serial),
      JSON.stringify(cameraTelemetry({ battery: 12, storageUsedMb: 63_000, storageTotalMb: 64_000 })),
    );
    const warn = await eventually(async () => {
      const r = await state(serial);
      return r.body.health === 'warning' && r;
    });
    expect(warn.body.reasons).toEqual(['battery 12% and not charging', 'storage 98% full']);
    await cam.publishAsync(
      `bwv/v1/cameras/${serial}/events`,
      JSON.stringify({ ts: new Date().toISOString(), type: 'fault', code: 'E42', message: 'lens heater' }),
    );
    const fault = await eventually(async () => {
      const r = await state(serial);
      return r.body.health === 'fault' && r;
    });
    expect(fault.body.reasons).toContain('fault E42: lens heater');
    const actions = (
      await eventually(async () => {
        const a = await auditFor(serial);
        return a.some((e) => e.action === 'device.alert.fault') && a;
      })
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['device.alert.battery-low', 'device.alert.storage-full', 'device.alert.fault']),
    );
    await cam.endAsync();
  });
});

describe('alerts of a flapping condition', () => {
  // Defaults: BATTERY_LOW_PERCENT 20, STORAGE_FULL_PERCENT 90 (of cameraTelemetry's 64,000 MB).
  type Reading = { battery: number; storageUsedMb: number };
  const conditionsOf = (r: Reading) =>
    [r.battery < 20 && 'battery-low', r.storageUsedMb / 64_000 >= 0.9 && 'storage-full'].filter(
      (t): t is string => t !== false,
    );
  const TYPES = ['battery-low', 'storage-full'];

  /** Raises and clears per alert type that the readings imply, for a camera first heard from. */
  function expectedOf(readings: Reading[]) {
    const counts = Object.fromEntries(TYPES.map((t) => [t, { raised: 0, cleared: 0 }]));
    let before: string[] = [];
    for (const r of readings) {
      const after = conditionsOf(r);
      for (const t of after) if (!before.includes(t)) counts[t]!.raised++;
      for (const t of before) if (!after.includes(t)) counts[t]!.cleared++;
      before = after;
    }
    return { open: before.sort(), stored: counts, audited: counts };
  }

  /** What a user sees of the camera's alerts: the open list, the stored alerts, the audit trail. */
  async function observed(serial: string) {
    const list = await app.http().get('/api/v1/device-alerts').query({ limit: 500 }).set(it_).expect(200);
    const open = (list.body.items as Array<{ id: string; type: string }>)
      .filter((a) => a.id === serial && TYPES.includes(a.type))
      .map((a) => a.type)
      .sort();
    const docs = await mongo.db(app.dbName).collection('device_alerts').find({ id: serial }).toArray();
    const stored = Object.fromEntries(
      TYPES.map((t) => {
        const ofType = docs.filter((d) => d.type === t);
        return [t, { raised: ofType.length, cleared: ofType.filter((d) => d.clearedAt !== null).length }];
      }),
    );
    const total = async (action: string) =>
      (
        await app
          .http()
          .get('/api/v1/audit')
          .query({ targetId: serial, action, limit: 1 })
          .set(admin)
          .expect(200)
      ).body.total as number;
    const audited = Object.fromEntries(
      await Promise.all(
        TYPES.map(async (t) => [
          t,
          { raised: await total(`device.alert.${t}`), cleared: await total(`device.alert.${t}.cleared`) },
        ]),
      ),
    );
    return { open, stored, audited };
  }

  /** Publishes the readings back to back (no wait between them), then compares what settles. */
  async function publishAndCheck(readings: Reading[]) {
    const serial = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial, { keepalive: 60 });
    const errorsBefore = errorLogs();
    try {
      await Promise.all(
        readings.map((r) =>
          cam.publishAsync(`bwv/v1/cameras/${serial}/telemetry`, JSON.stringify(cameraTelemetry(r))),
        ),
      );
      const expected = expectedOf(readings);
      // Alert writes and audit entries land beside ingestion: wait until they stop changing into
      // the expected shape, then compare (a wrong outcome shows as a diff, not a timeout).
      const seen = await eventually(async () => {
        const o = await observed(serial);
        return JSON.stringify(o) === JSON.stringify(expected) && o;
      }, 10_000).catch(() => observed(serial));
      expect(seen).toEqual(expected);
      expect(errorLogs()).toEqual(errorsBefore);
    } finally {
      await cam.endAsync();
    }
  }

  it('keeps the alert of the last reading when battery flaps low, ok, low, ok, low within a millisecond', async () => {
    await publishAndCheck([5, 80, 5, 80, 5].map((battery) => ({ battery, storageUsedMb: 1_000 })));
  });

  it('ends with the alerts of the last reading after a long random flapping of two conditions', async () => {
    const [readings] = fc.sample(
      fc.array(
        fc.record({ battery: fc.constantFrom(5, 80), storageUsedMb: fc.constantFrom(1_000, 63_000) }),
        { minLength: 60, maxLength: 60 },
      ),
      { seed: FUZZ_SEED, numRuns: 1 },
    );
    await publishAndCheck(readings!);
  });
});

describe('persistence', () => {
  it('coalesces a burst into a few bulk writes and keeps the latest reading in the database', async () => {
    const serials = [`CAM${uid()}`, `CAM${uid()}`, `CAM${uid()}`];
    const cams = await Promise.all(serials.map((s) => connectDevice(app, it_, 'camera', s)));
    const stats = async () =>
      (await app.http().get('/api/v1/telemetry/stats').set(it_).expect(200)).body as {
        received: number;
        stateWrites: number;
      };
    const before = await stats();
    const changes: string[] = [];
    const stop = app.platform.events.on('device.state-changed', (e) => changes.push(e.data.id));
    const N = 200;
    await Promise.all(
      cams.map(async (c, i) => {
        for (let n = 1; n <= N; n++) {
          await c.publishAsync(
            telemetryTopic(serials[i]!),
            JSON.stringify(cameraTelemetry({ storageUsedMb: n })),
          );
        }
      }),
    );
    await eventually(async () => (await stats()).received - before.received >= 3 * N);
    await app.platform.services.deviceState.flush();
    const after = await stats();
    stop();

    // Counted in shard documents: the three cameras may share one, so at least one write, and far
    // fewer than one per message.
    const writes = after.stateWrites - before.stateWrites;
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThan((3 * N) / 10);
    expect(changes.filter((id) => id === serials[0]).length).toBeGreaterThanOrEqual(N - 1);

    // State is stored in shard documents, each holding many devices (see state.model.ts), in the
    // telemetry database (db/connection.ts).
    const shards = await mongo
      .db(`${app.dbName}_telemetry`)
      .collection('device_state_shards')
      .find({ kind: 'camera' })
      .toArray();
    const stored = Object.assign(
      {},
      ...shards.map((d) => JSON.parse(d.devices as string) as Record<string, { camera: unknown }>),
    ) as Record<string, { camera: unknown }>;
    for (const serial of serials) expect(stored[serial]?.camera).toMatchObject({ storageUsedMb: N });
    const history = await app.http().get(`/api/v1/cameras/${serials[0]}/telemetry`).set(it_).expect(200);
    expect(history.body.samples).toHaveLength(1); // one sample per device per minute
    await Promise.all(cams.map((c) => c.endAsync()));
  });
});

describe('history across a restart', () => {
  it('keeps the open hour’s samples for a process started after the ingesting one stopped without storing them', async () => {
    const serial = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial);
    await cam.publishAsync(telemetryTopic(serial), JSON.stringify(cameraTelemetry({ battery: 77 })));
    await eventually(async () => (await state(serial)).body.battery === 77);
    await app.platform.services.deviceState.flush(); // the periodic flush (every TELEMETRY_FLUSH_MS)

    // A second platform on the same database, as after a crash: the first never stored the hour.
    const next = await startApp({ MONGODB_DB: app.dbName, TELEMETRY_FLUSH_MS: '300' });
    try {
      const reader = await next.as('it');
      await eventually(async () => {
        const res = await next.http().get(`/api/v1/cameras/${serial}/telemetry`).set(reader).expect(200);
        const samples = res.body.samples as Array<{ battery: number }>;
        return samples.length === 1 && samples[0]!.battery === 77;
      });
    } finally {
      await next.close();
      await cam.endAsync();
    }
  });
});

describe('alerts across a restart', () => {
  it('takes over an alert whose process crashed before storing the reading: not raised twice, cleared by the next reading', async () => {
    // The first process flushes state only at stop, so, left running like a crashed one, it has
    // stored the alert but not the reading that raised it.
    const dbName = testDbName();
    const first = await startApp({ MONGODB_DB: dbName, TELEMETRY_FLUSH_MS: '3600000' });
    let next: TestApp | undefined;
    const serial = `CAM${uid()}`;
    const cams: Array<{ endAsync: () => Promise<void> }> = [];
    try {
      const firstAdmin = await first.as('admin');
      const creds = await credentialsFor(first, firstAdmin, 'camera', serial);
      const cam = await connect(first.platform.mqttUrl, creds);
      cams.push(cam);
      const low = JSON.stringify(cameraTelemetry({ battery: 5 }));
      await cam.publishAsync(telemetryTopic(serial), low);
      const alerts = mongo.db(dbName).collection('device_alerts');
      await eventually(async () => (await alerts.countDocuments({ id: serial, type: 'battery-low' })) === 1);

      next = await startApp({ MONGODB_DB: dbName, TELEMETRY_FLUSH_MS: '300' });
      const nextAdmin = await next.as('admin');
      const again = await connect(next.platform.mqttUrl, creds);
      cams.push(again);
      const batteryAlerts = async () =>
        (await alerts.find({ id: serial, type: 'battery-low' }).toArray()).map((a) => ({
          open: a.clearedAt === null,
        }));
      await again.publishAsync(telemetryTopic(serial), low);
      await eventually(
        async () =>
          (await next!.http().get(`/api/v1/cameras/${serial}/state`).set(nextAdmin)).body.battery === 5,
      );
      await next.platform.services.deviceState.flush();
      expect(await batteryAlerts()).toEqual([{ open: true }]);

      await again.publishAsync(telemetryTopic(serial), JSON.stringify(cameraTelemetry({ battery: 80 })));
      const closed = await eventually(async () => {
        const a = await batteryAlerts();
        return a.every((x) => !x.open) && a;
      }).catch(() => batteryAlerts());
      expect(closed).toEqual([{ open: false }]);
      const list = await next
        .http()
        .get('/api/v1/device-alerts')
        .query({ limit: 500 })
        .set(nextAdmin)
        .expect(200);
      expect(list.body.items).not.toContainEqual(
        expect.objectContaining({ id: serial, type: 'battery-low' }),
      );
      const cleared = await next
        .http()
        .get('/api/v1/audit')
        .query({ targetId: serial, action: 'device.alert.battery-low.cleared' })
        .set(nextAdmin)
        .expect(200);
      expect(cleared.body.total).toBe(1);
    } finally {
      await Promise.all(cams.map((c) => c.endAsync()));
      await next?.close();
      await first.close();
    }
  }, 60_000); // two platforms start
});

describe('with Debian’s mosquitto clients', () => {
  it('ingests telemetry sent by mosquitto_pub and delivers a command to mosquitto_sub', async () => {
    const dockId = `DOCK${uid()}`;
    const creds = await credentialsFor(app, it_, 'dock', dockId);
    const port = new URL(app.platform.mqttUrl).port;
    const auth = [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-u',
      creds.username,
      '-P',
      creds.password,
      '-i',
      creds.username,
    ];
    const telemetry = {
      ts: new Date().toISOString(),
      firmware: 'd-1.0',
      slots: [{ slot: 0, camera: 'CAMX1', charging: true, offload: 'offloading' }],
      network: { online: true, uplinkMbps: 100 },
    };
    await run('mosquitto_pub', [
      ...auth,
      '-q',
      '1',
      '-t',
      `bwv/v1/docks/${dockId}/telemetry`,
      '-m',
      JSON.stringify(telemetry),
    ]);
    const res = await eventually(async () => {
      const r = await app.http().get(`/api/v1/docks/${dockId}/state`).set(it_);
      return r.status === 200 && r;
    });
    expect(res.body).toMatchObject({ kind: 'dock', firmware: 'd-1.0', slots: telemetry.slots });

    const sub = spawn('mosquitto_sub', [
      ...auth,
      '-q',
      '1',
      '-C',
      '1',
      '-W',
      '10',
      '-t',
      `bwv/v1/docks/${dockId}/commands`,
    ]);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => sub.once('exit', r));
    // mosquitto_sub prints nothing on subscribe, so retry the command until it is received.
    const sender = setInterval(() => {
      void app.platform.sendCommand({ kind: 'dock', id: dockId }, { type: 'locate' }).catch(() => undefined);
    }, 200);
    const code = await exited;
    clearInterval(sender);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ type: 'locate', commandId: expect.any(String) });

    // Refused: the broker closes the connection; mosquitto_pub's exit code varies, the audit does not.
    await run('mosquitto_pub', [...auth, '-t', 'bwv/v1/docks/OTHER/telemetry', '-m', '{}', '-q', '1']).catch(
      (e: { code: number }) => e,
    );
    const entries = await eventually(async () => {
      const a = await auditFor(dockId);
      return a.some((e) => e.action === 'mqtt.publish.refused') && a;
    });
    expect(entries.length).toBeGreaterThan(0);
  });

  it('refuses mosquitto_pub with bad credentials', async () => {
    const port = new URL(app.platform.mqttUrl).port;
    const err = (await run('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-u',
      'camera:X1',
      '-P',
      'nope',
      '-t',
      'bwv/v1/cameras/X1/telemetry',
      '-m',
      '{}',
    ]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).not.toBe(0);
    expect(err.stderr).toMatch(/not authori[sz]ed|bad user name or password/i);
  });
});
