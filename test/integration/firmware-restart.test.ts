// The firmware engine across a restart: the platform closed mid-wave and started again on the same
// database resumes where it was (acks of commands sent before the restart still count) and sends no
// device a second command; and a command claimed by a process that died before recording it is
// never sent again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, testDbName, type TestApp } from '../helpers/app.js';
import { newCamera, newStation } from '../helpers/factories.js';
import {
  campaignDevices,
  campaignWhen,
  closeDb,
  db,
  newArtifact,
  SERVICE_PASSWORD,
  TestCamera,
  watchCommands,
  type Command,
} from '../helpers/firmware.js';
import { eventually, uid } from '../helpers/mqtt.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ENV = {
  MQTT_SERVICE_PASSWORD: SERVICE_PASSWORD,
  FIRMWARE_TICK_MS: '200',
  FIRMWARE_STEP_TIMEOUT_S: '30',
};

describe('the firmware engine across a restart', () => {
  const dbName = testDbName();
  let app: TestApp;
  let admin: Record<string, string>;
  let itA: Record<string, string>;
  let itB: Record<string, string>;
  let artifact: string;
  const cameras: TestCamera[] = [];
  /** Every command heard, across both runs of the platform. */
  const heard: Command[] = [];
  let watcher: Awaited<ReturnType<typeof watchCommands>> | null = null;
  const to = (serial: string) => heard.filter((c) => c.device === serial && c.type === 'firmware-update');

  async function listen() {
    watcher = await watchCommands(app, heard);
  }

  beforeAll(async () => {
    app = await startApp({ ...ENV, MONGODB_DB: dbName });
    admin = await app.as('admin');
    itA = await app.as('it');
    itB = await app.as('it');
    artifact = await newArtifact(app, { version: '2.5.0' });
    await listen();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(cameras.map((c) => c.stop()));
    await watcher?.close();
    await closeDb();
    await app?.close();
  });

  async function fleet(n: number) {
    const station = await newStation(app, admin);
    const made: TestCamera[] = [];
    for (let i = 0; i < n; i++) {
      const serial = await newCamera(app, admin, { station, serial: `RS${uid()}${i}` });
      made.push(await new TestCamera(serial, { behaviour: 'manual' }).start(app, admin, true));
    }
    cameras.push(...made);
    const state = app.platform.services.deviceState;
    await eventually(() => made.every((c) => state.reading('camera', c.serial)?.camera));
    return made;
  }

  /** Takes a camera through every step of its command and reboots it into the new version. */
  async function update(cam: TestCamera, from = 0) {
    const cmd = cam.commands[0]!;
    const stages = ['downloading', 'downloaded', 'verifying', 'installing', 'rebooting'];
    for (const stage of stages.slice(from)) await cam.ack(cmd.commandId, { stage });
    await sleep(20);
    await cam.reboot(cmd.version, 50);
  }

  it('resumes mid-wave after a restart and commands no device twice', async () => {
    const cams = await fleet(6);
    const created = await app
      .http()
      .post('/api/v1/firmware/campaigns')
      .set(itA)
      .send({ name: 'restart', artifact, devices: cams.map((c) => c.serial), canarySize: 2, groups: [100] })
      .expect(201);
    const id = created.body.id as string;
    await app.http().post(`/api/v1/firmware/campaigns/${id}/approve`).set(itB).expect(200);

    const waves = await campaignDevices(app, itA, id);
    const canary = cams.filter((c) => waves.get(c.serial)!.wave === 0);
    const rest = cams.filter((c) => waves.get(c.serial)!.wave === 1);
    await eventually(() => canary.every((c) => c.commands.length === 1));
    for (const c of canary) await update(c);
    // Wave 1 starts; two of its devices get as far as downloading, two stay at "sent".
    await eventually(() => rest.every((c) => c.commands.length === 1), 10_000);
    for (const c of rest.slice(0, 2))
      await c.ack(c.commands[0]!.commandId, { stage: 'downloading', progress: 30 });
    await eventually(async () => {
      const d = await campaignDevices(app, itA, id);
      return rest.slice(0, 2).every((c) => d.get(c.serial)!.state === 'downloading');
    });

    // The platform goes away and comes back on the same database.
    await watcher!.close();
    await app.close();
    app = await startApp({ ...ENV, MONGODB_DB: dbName });
    await listen();
    for (const c of cams) await c.connect(app.platform.mqttUrl);
    await sleep(1_500); // several ticks of the new engine
    for (const c of cams) expect(to(c.serial)).toHaveLength(1);
    const after = await campaignDevices(app, itA, id);
    expect(rest.map((c) => after.get(c.serial)!.state).sort()).toEqual([
      'downloading',
      'downloading',
      'sent',
      'sent',
    ]);

    // The devices carry on with the commands they had: their acks still count.
    for (const [i, c] of rest.entries()) await update(c, i < 2 ? 1 : 0);
    const done = await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    expect(done.counts).toEqual({ succeeded: 6 });
    for (const c of cams) {
      expect(to(c.serial)).toHaveLength(1);
      expect(c.commands).toHaveLength(1);
    }
  });

  it('never sends a command whose attempt another process claimed, and follows the device on it', async () => {
    const [cam] = await fleet(1);
    const created = await app
      .http()
      .post('/api/v1/firmware/campaigns')
      .set(itA)
      .send({ name: 'claimed', artifact, devices: [cam!.serial], canarySize: 0, groups: [100] })
      .expect(201);
    const id = created.body.id as string;
    // A process claimed attempt 1 (and perhaps published it), then died before recording it.
    await (
      await db(app)
    )
      .collection<{ _id: string; commandId: string; at: Date }>('firmware_commands')
      .insertOne({ _id: `${id}|camera:${cam!.serial}|1`, commandId: 'c0ffee0000000001', at: new Date() });
    await app.http().post(`/api/v1/firmware/campaigns/${id}/approve`).set(itB).expect(200);
    await eventually(async () => (await campaignDevices(app, itA, id)).get(cam!.serial)!.state === 'sent');
    await sleep(600);
    expect(to(cam!.serial)).toEqual([]);
    // The device had it: its acks are followed to the end.
    for (const stage of ['downloading', 'downloaded', 'verifying', 'installing', 'rebooting'])
      await cam!.ack('c0ffee0000000001', { stage });
    await sleep(20);
    await cam!.reboot('2.5.0', 50);
    await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    expect(to(cam!.serial)).toEqual([]);
  });

  it('sends every device of a campaign whose creation a tick saw half-way', async () => {
    // A campaign of 1,500 devices takes a while to insert; an engine tick in between once held the
    // part it saw in memory for good, and the rest of the campaign was never sent. Here a tick sees
    // a campaign being created with one of its four updates inserted, then the others arrive.
    const cams = await fleet(4);
    const created = await app
      .http()
      .post('/api/v1/firmware/campaigns')
      .set(itA)
      .send({ name: 'template', artifact, devices: cams.map((c) => c.serial), canarySize: 0, groups: [100] })
      .expect(201);
    const template = created.body.id as string;
    const database = await db(app);
    const campaigns = database.collection<Record<string, unknown> & { _id: string }>('firmware_campaigns');
    const updates = database.collection<Record<string, unknown> & { _id: string }>('firmware_updates');
    const doc = (await campaigns.findOne({ _id: template }))!;
    const docs = await updates.find({ campaign: template }).toArray();
    expect(docs).toHaveLength(4);
    // The template gives way (its devices are released), and its copy is "being created".
    await app
      .http()
      .post(`/api/v1/firmware/campaigns/${template}/cancel`)
      .set(itA)
      .send({ reason: 'a template for the test' })
      .expect(200);
    const id = `${template.slice(0, -4)}beef`;
    const copies = docs.map((u) => ({ ...u, _id: u._id.replace(template, id), campaign: id }));
    await campaigns.insertOne({ ...doc, _id: id, id, status: 'creating', open: true, waves: [], total: 0 });
    await updates.insertOne(copies[0]!);
    await sleep(1_000); // several ticks see it while it is being created
    await updates.insertMany(copies.slice(1));
    await campaigns.updateOne(
      { _id: id },
      { $set: { status: 'awaiting-approval', waves: doc.waves, total: doc.total } },
    );
    await app.http().post(`/api/v1/firmware/campaigns/${id}/approve`).set(itB).expect(200);
    await eventually(() => cams.every((c) => to(c.serial).length === 1), 10_000);
    for (const c of cams) await update(c);
    const done = await campaignWhen(app, itA, id, (c) => c.status === 'completed');
    expect(done.counts).toEqual({ succeeded: 4 });
  });
});
