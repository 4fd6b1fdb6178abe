// The MQTT bus end to end: device identity at CONNECT, per-device access control, the topic
// contract, live state through the API. Real aedes, real mqtt.js clients, real database.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  cameraTelemetry,
  closed,
  connect,
  connectDevice,
  credentialsFor,
  eventually,
  register,
  uid,
} from '../helpers/mqtt.js';

let app: TestApp;
let it_: Record<string, string>;

const SERVICE_PASSWORD = 'service-password-for-bus-tests';

beforeAll(async () => {
  app = await startApp({ TELEMETRY_FLUSH_MS: '200', MQTT_SERVICE_PASSWORD: SERVICE_PASSWORD });
  it_ = await app.as('it');
});
afterAll(() => app.close());

const state = (serial: string) => app.http().get(`/api/v1/cameras/${serial}/state`).set(it_);

describe('device credentials', () => {
  it('are shown once, as camera:SERIAL with a long random password, and only to IT or admin', async () => {
    const serial = `CAM${uid()}`;
    const creds = await credentialsFor(app, it_, 'camera', serial);
    expect(creds.username).toBe(`camera:${serial}`);
    expect(creds.password).toMatch(/^[\w-]{43}$/);
    const stores = await app.as('stores');
    await app.http().post(`/api/v1/cameras/${serial}/credentials`).set(stores).expect(403);
    // Only for devices in the register.
    const unknown = await app.http().post(`/api/v1/cameras/NOPE${uid()}/credentials`).set(it_).expect(404);
    expect(unknown.body.type).toBe('/problems/camera-not-found');
    await app.http().post(`/api/v1/docks/NOPE${uid()}/credentials`).set(it_).expect(404);
    const audit = await app
      .http()
      .get('/api/v1/audit')
      .query({ targetId: serial })
      .set(await app.as('admin'));
    expect(JSON.stringify(audit.body)).not.toContain(creds.password);
  });

  it('refuses CONNECT with a wrong password, an unknown device or no credentials', async () => {
    const serial = `CAM${uid()}`;
    const creds = await credentialsFor(app, it_, 'camera', serial);
    await expect(connect(app.platform.mqttUrl, { ...creds, password: 'wrong' })).rejects.toThrow(
      /Bad username or password/,
    );
    await expect(
      connect(app.platform.mqttUrl, { username: `camera:NOPE${uid()}`, password: creds.password }),
    ).rejects.toThrow(/Bad username or password/);
    await expect(connect(app.platform.mqttUrl, { username: 'someone', password: 'x' })).rejects.toThrow(
      /Bad username or password/,
    );
  });

  it('issuing new credentials revokes the old ones and ends their session', async () => {
    const serial = `CAM${uid()}`;
    const old = await credentialsFor(app, it_, 'camera', serial);
    const client = await connect(app.platform.mqttUrl, old);
    const ended = closed(client);
    const fresh = await credentialsFor(app, it_, 'camera', serial, { registered: true });
    await ended;
    await expect(connect(app.platform.mqttUrl, old)).rejects.toThrow(/Bad username or password/);
    const again = await connect(app.platform.mqttUrl, fresh);
    await again.endAsync();
  });

  it('are issued for many devices in one request, all or none, each audited', async () => {
    const [camA, camB, dock] = [`CAM${uid()}`, `CAM${uid()}`, `DOCK${uid()}`];
    await Promise.all([
      register(app, 'camera', camA),
      register(app, 'camera', camB),
      register(app, 'dock', dock),
    ]);
    const devices = [
      { kind: 'camera', id: camA },
      { kind: 'camera', id: camB },
      { kind: 'dock', id: dock },
    ];
    const issue = (body: object) => app.http().post('/api/v1/devices/credentials').set(it_).send(body);

    // One unregistered device: nothing is issued.
    const refused = await issue({ devices: [...devices, { kind: 'camera', id: `NOPE${uid()}` }] }).expect(
      404,
    );
    expect(refused.body.type).toBe('/problems/camera-not-found');
    await expect(
      connect(app.platform.mqttUrl, { username: `camera:${camA}`, password: 'x' }),
    ).rejects.toThrow(/Bad username or password/);
    await issue({ devices: [devices[0], devices[0]] }).expect(400);

    const res = await issue({ devices }).expect(201);
    const creds = res.body.credentials as Array<{
      kind: string;
      id: string;
      username: string;
      password: string;
    }>;
    expect(creds.map((c) => c.username)).toEqual([`camera:${camA}`, `camera:${camB}`, `dock:${dock}`]);
    expect(new Set(creds.map((c) => c.password)).size).toBe(3);
    for (const c of creds) (await connect(app.platform.mqttUrl, c)).end();

    const admin = await app.as('admin');
    for (const id of [camA, camB, dock]) {
      const audit = await app.http().get('/api/v1/audit').query({ targetId: id }).set(admin).expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('device.credentials.issue');
    }
    const stores = await app.as('stores');
    await app.http().post('/api/v1/devices/credentials').set(stores).send({ devices }).expect(403);
  });
});

describe('telemetry ingestion', () => {
  it('turns a camera telemetry message into live state readable through the API', async () => {
    const serial = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial);
    await cam.publishAsync(
      `bwv/v1/cameras/${serial}/telemetry`,
      JSON.stringify(cameraTelemetry({ battery: 64, charging: true, dock: { id: 'DOCK1', slot: 3 } })),
    );
    const res = await eventually(async () => {
      const r = await state(serial);
      return r.status === 200 && r;
    });
    expect(res.body).toMatchObject({
      kind: 'camera',
      id: serial,
      online: true,
      battery: 64,
      charging: true,
      storage: { usedMb: 1000, totalMb: 64000 },
      firmware: '2.4.1',
      docked: { dock: 'DOCK1', slot: 3 },
      health: 'ok',
      reasons: [],
    });
    await cam.endAsync();
  });

  it('counts and drops malformed, out-of-range and stale messages without disturbing other devices', async () => {
    const serial = `CAM${uid()}`;
    const other = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial);
    const good = await connectDevice(app, it_, 'camera', other);
    const topic = `bwv/v1/cameras/${serial}/telemetry`;
    await cam.publishAsync(topic, JSON.stringify(cameraTelemetry({ battery: 50 })));
    await cam.publishAsync(topic, '{not json');
    await cam.publishAsync(topic, JSON.stringify(cameraTelemetry({ battery: 150 })));
    await cam.publishAsync(topic, JSON.stringify({ battery: 10 }));
    await cam.publishAsync(
      topic,
      JSON.stringify(cameraTelemetry({ battery: 5, ts: new Date(Date.now() - 3_600_000).toISOString() })),
    );
    await good.publishAsync(
      `bwv/v1/cameras/${other}/telemetry`,
      JSON.stringify(cameraTelemetry({ battery: 33 })),
    );
    const res = await eventually(async () => {
      const r = await state(serial);
      return r.body.malformedMessages === 4 && r;
    });
    expect(res.body.battery).toBe(50);
    expect((await state(other)).body).toMatchObject({ battery: 33, malformedMessages: 0 });
    expect(cam.connected).toBe(true);
    await Promise.all([cam.endAsync(), good.endAsync()]);
  });
});

describe('access control', () => {
  it('refuses a publish on another device’s topic, closes the session and audits the attempt', async () => {
    const serial = `CAM${uid()}`;
    const victim = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial);
    const ended = closed(cam);
    cam.publish(`bwv/v1/cameras/${victim}/telemetry`, JSON.stringify(cameraTelemetry({ battery: 1 })), {
      qos: 1,
    });
    await ended;
    expect((await state(victim)).status).toBe(404);
    const admin = await app.as('admin');
    const audit = await eventually(async () => {
      const r = await app.http().get('/api/v1/audit').query({ action: 'mqtt.publish.refused' }).set(admin);
      const items = r.body.items as Array<{ target: { id: string }; actor: unknown; summary: string }>;
      return items.find((e) => e.target.id === serial);
    });
    expect(audit.actor).toMatchObject({ type: 'device', id: `camera:${serial}` });
    expect(audit.summary).toContain(victim);
  });

  it('lets a device subscribe to its own commands only', async () => {
    const serial = `DOCK${uid()}`;
    const dock = await connectDevice(app, it_, 'dock', serial);
    const own = await dock.subscribeAsync(`bwv/v1/docks/${serial}/commands`, { qos: 1 });
    expect(own[0]!.qos).toBe(1);
    // mqtt.js rejects a SUBACK with return code 0x80 (failure).
    await expect(dock.subscribeAsync(`bwv/v1/docks/ELSE/commands`, { qos: 1 })).rejects.toThrow(
      /Subscribe error/,
    );
    await expect(dock.subscribeAsync(`bwv/v1/#`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(dock.connected).toBe(true);
    await dock.endAsync();
  });

  it('closes the connection of a device that sends a payload over the size limit', async () => {
    const serial = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial);
    const ended = closed(cam);
    cam.publish(`bwv/v1/cameras/${serial}/telemetry`, 'x'.repeat(100_000));
    await ended;
    // The broker announces the session's end; no reading ever reached the state.
    const res = await eventually(async () => {
      const r = await state(serial);
      return r.status === 200 && r;
    });
    expect(res.body).toMatchObject({ online: false, battery: null, malformedMessages: 0 });
  });
});

const auditOf = async (id: string) => {
  const r = await app
    .http()
    .get('/api/v1/audit')
    .query({ targetId: id, limit: 100 })
    .set(await app.as('admin'));
  return r.body as { total: number; items: Array<{ action: string; summary: string; actor: unknown }> };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('client ids (issue 14, finding 5)', () => {
  /** A camera online and subscribed to its commands, with the commands it has received. */
  async function victimCamera() {
    const serial = `CAM${uid()}`;
    const client = await connectDevice(app, it_, 'camera', serial);
    const received: string[] = [];
    client.on('message', (_t, p) => received.push(p.toString()));
    await client.subscribeAsync(`bwv/v1/cameras/${serial}/commands`, { qos: 1 });
    await client.publishAsync(`bwv/v1/cameras/${serial}/status`, '{"online":true}', { qos: 1, retain: true });
    await eventually(async () => (await state(serial)).body.online === true);
    return { serial, client, received };
  }

  async function stillServed(v: Awaited<ReturnType<typeof victimCamera>>) {
    await sleep(500); // time for a takeover's offline notice to be ingested, had there been one
    expect(v.client.connected).toBe(true);
    expect((await state(v.serial)).body.online).toBe(true);
    const commandId = await app.platform.sendCommand({ kind: 'camera', id: v.serial }, { type: 'locate' });
    await eventually(() => v.received.some((m) => m.includes(commandId)));
  }

  it('refuses a device using another device’s client id; the victim stays online and keeps its commands', async () => {
    const v = await victimCamera();
    const attacker = `CAM${uid()}`;
    const creds = await credentialsFor(app, it_, 'camera', attacker);
    await expect(connect(app.platform.mqttUrl, creds, { clientId: `camera:${v.serial}` })).rejects.toThrow(
      /Identifier rejected/,
    );
    await stillServed(v);
    // Nor any id but its own.
    await expect(connect(app.platform.mqttUrl, creds, { clientId: `mqttjs_${uid()}` })).rejects.toThrow(
      /Identifier rejected/,
    );
    const entry = await eventually(async () =>
      (await auditOf(attacker)).items.find((e) => e.action === 'mqtt.connect.refused'),
    );
    expect(entry.actor).toMatchObject({ type: 'device', id: `camera:${attacker}` });
    expect(entry.summary).toContain(`camera:${v.serial}`);
    // Its own id is accepted.
    const own = await connect(app.platform.mqttUrl, creds);
    await own.endAsync();
    await v.client.endAsync();
  });

  it('refuses the platform’s service identity with a device’s client id', async () => {
    const v = await victimCamera();
    const service = { username: app.platform.config.MQTT_SERVICE_USERNAME, password: SERVICE_PASSWORD };
    await expect(connect(app.platform.mqttUrl, service, { clientId: `camera:${v.serial}` })).rejects.toThrow(
      /Identifier rejected/,
    );
    await stillServed(v);
    const platform = await connect(app.platform.mqttUrl, service, { clientId: `bwv-test-${uid()}` });
    await platform.endAsync();
    await v.client.endAsync();
  });
});

describe('refusal flooding (issue 14, finding 12)', () => {
  it('cuts off a device after too many refusals: 400 refused filters write a few audit entries, not 400', async () => {
    const serial = `CAM${uid()}`;
    const creds = await credentialsFor(app, it_, 'camera', serial);
    const cam = await connect(app.platform.mqttUrl, creds);
    cam.on('error', () => undefined);
    const ended = closed(cam);
    const filters = Array.from({ length: 400 }, (_, i) => `bwv/v1/cameras/OTHER${i}/commands`);
    cam.subscribe(filters, { qos: 1 }, () => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ended,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the device was not disconnected')), 10_000);
      }),
    ]).finally(() => clearTimeout(timer));
    const entries = await eventually(async () => {
      const a = await auditOf(serial);
      return a.items.some((e) => e.action === 'mqtt.device.cut-off') && a;
    });
    await sleep(1_000); // anything still on its way
    const refusals = (await auditOf(serial)).items.filter((e) => /^(mqtt|device\.refusals)\./.test(e.action));
    expect(refusals.length).toBeLessThanOrEqual(3);
    expect(entries.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['mqtt.subscribe.refused', 'mqtt.device.cut-off']),
    );
    // Its CONNECTs are refused for the cool-down, even with the right credentials and client id.
    await expect(connect(app.platform.mqttUrl, creds)).rejects.toThrow(/Not authorized/);
    // The broker announced the session's end.
    await eventually(async () => (await state(serial)).body.online === false);
  });
});
