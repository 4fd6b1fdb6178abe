// Firmware tests' parts: artifact records put straight into the register's collection (the engine's
// tests; the upload and its signature check are tested in firmware-artifacts, the whole path with the
// simulator in firmware-simulator), devices played by
// real MQTT clients that answer `firmware-update` commands as told (step by step, failing, silent,
// back on the old version), and a service client that hears every command sent to any device.
import { createHash, randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { MqttClient } from 'mqtt';
import type { TestApp } from './app.js';
import { cameraTelemetry, connect, credentialsFor, eventually } from './mqtt.js';

export const SERVICE_PASSWORD = `svc-${randomBytes(12).toString('hex')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let mongo: MongoClient | null = null;
export async function db(app: TestApp) {
  mongo ??= await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
  return mongo.db(app.dbName);
}
export async function closeDb() {
  await mongo?.close();
  mongo = null;
}

/** A stored artifact record (what the artifacts capability writes after checking the signature). */
export async function newArtifact(
  app: TestApp,
  fields: { kind?: 'camera' | 'dock'; model?: string; version: string },
): Promise<string> {
  const id = randomBytes(6).toString('hex');
  const bytes = randomBytes(64);
  await (
    await db(app)
  )
    .collection<{ _id: string } & Record<string, unknown>>('firmware_artifacts')
    .insertOne({
      _id: id,
      key: `${fields.kind ?? 'camera'}|${fields.model ?? 'VB400'}|${fields.version}`,
      kind: fields.kind ?? 'camera',
      model: fields.model ?? 'VB400',
      version: fields.version,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      signature: randomBytes(64).toString('base64'),
      keyFingerprint: 'test',
      notes: '',
      uploadedBy: 'test',
      uploadedAt: new Date(),
    });
  return id;
}

export interface Command {
  topic: string;
  device: string;
  commandId: string;
  type: string;
  version?: string;
  url?: string;
  at: number;
}

/** Every command the broker carries to any device, heard by a service client (into `seen`, if given). */
export async function watchCommands(app: TestApp, seen: Command[] = []) {
  const client = await connect(
    app.platform.mqttUrl,
    { username: app.platform.config.MQTT_SERVICE_USERNAME, password: SERVICE_PASSWORD },
    { clientId: `bwv-test-${randomBytes(4).toString('hex')}` },
  );
  client.on('message', (topic, payload) => {
    const body = JSON.parse(payload.toString()) as Omit<Command, 'topic' | 'device' | 'at'>;
    seen.push({ ...body, topic, device: topic.split('/')[3]!, at: Date.now() });
  });
  await client.subscribeAsync('bwv/v1/+/+/commands', { qos: 1 });
  return {
    seen,
    to: (device: string) => seen.filter((c) => c.device === device && c.type === 'firmware-update'),
    close: () => client.endAsync(),
  };
}

/** How a device answers a `firmware-update`. */
export type Behaviour =
  | 'ok'
  /** ok:false while downloading, this many times, then ok. */
  | { failDownloads: number }
  | 'fail-install'
  /** Never answers. */
  | 'silent'
  /** Goes through every step, then reboots into the version it had. */
  | 'old-version'
  /** Records the command; the test sends the acks. */
  | 'manual';

export interface DeviceOptions {
  firmware?: string;
  battery?: number;
  docked?: boolean;
  recording?: boolean;
  behaviour?: Behaviour;
  /** How long the reboot keeps it away. */
  rebootMs?: number;
}

/** A camera on the bus, docked and healthy unless told otherwise, that updates itself when commanded. */
export class TestCamera {
  client!: MqttClient;
  readonly commands: Array<Record<string, unknown> & { commandId: string; version: string }> = [];
  firmware: string;
  behaviour: Behaviour;
  private failuresLeft = 0;
  private creds!: { username: string; password: string };
  private readonly fields: Record<string, unknown>;
  private url!: string;

  constructor(
    readonly serial: string,
    private readonly opts: DeviceOptions = {},
  ) {
    this.firmware = opts.firmware ?? '2.4.1';
    this.behaviour = opts.behaviour ?? 'ok';
    if (typeof this.behaviour === 'object') this.failuresLeft = this.behaviour.failDownloads;
    this.fields = {
      battery: opts.battery ?? 80,
      recording: opts.recording ?? false,
      dock: opts.docked === false ? null : { id: 'DOCKT', slot: 1 },
    };
  }

  /** Registers (unless `registered`), gets credentials, connects and reports. */
  async start(app: TestApp, headers: Record<string, string>, registered = false) {
    this.creds = await credentialsFor(app, headers, 'camera', this.serial, { registered });
    await this.connect(app.platform.mqttUrl);
    return this;
  }

  /** Connects (again) to a broker, e.g. after the platform restarted. */
  async connect(url: string) {
    this.url = url;
    this.client = await connect(url, this.creds, {
      will: { topic: this.topic('status'), payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    });
    this.client.on(
      'message',
      (_t, p) => void this.onCommand(JSON.parse(p.toString()) as Record<string, unknown>),
    );
    await this.client.subscribeAsync(this.topic('commands'), { qos: 1 });
    await this.client.publishAsync(this.topic('status'), '{"online":true}', { qos: 1, retain: true });
    await this.report();
  }

  topic(channel: string) {
    return `bwv/v1/cameras/${this.serial}/${channel}`;
  }

  async report(fields: Record<string, unknown> = {}) {
    Object.assign(this.fields, fields);
    await this.client.publishAsync(
      this.topic('telemetry'),
      JSON.stringify(
        cameraTelemetry({ ...this.fields, firmware: this.firmware, ts: new Date().toISOString() }),
      ),
      { qos: 1 },
    );
  }

  async ack(commandId: string, ack: { ok?: boolean; stage?: string; progress?: number; detail?: string }) {
    await this.client.publishAsync(
      this.topic('acks'),
      JSON.stringify({ ts: new Date().toISOString(), commandId, ok: ack.ok ?? true, ...ack }),
      { qos: 1 },
    );
  }

  /** Reboots into `version`: offline, away for a while, back with telemetry. */
  async reboot(version: string, awayMs = this.opts.rebootMs ?? 150) {
    await this.client.publishAsync(this.topic('status'), '{"online":false}', { qos: 1, retain: true });
    await this.client.endAsync();
    await sleep(awayMs);
    this.firmware = version;
    await this.connect(this.url);
  }

  async stop() {
    await this.client?.endAsync(true).catch(() => undefined);
  }

  private async onCommand(cmd: Record<string, unknown>) {
    if (cmd.type !== 'firmware-update') return;
    const c = cmd as Record<string, unknown> & { commandId: string; version: string };
    // The same command again (a redelivery) starts nothing new.
    if (this.commands.some((x) => x.commandId === c.commandId)) return;
    this.commands.push(c);
    const b = this.behaviour;
    if (b === 'manual' || b === 'silent') return;
    try {
      await this.ack(c.commandId, { stage: 'downloading', progress: 0 });
      if (this.failuresLeft > 0) {
        this.failuresLeft--;
        await this.ack(c.commandId, { ok: false, stage: 'downloading', detail: 'connection reset' });
        return;
      }
      await sleep(10);
      await this.ack(c.commandId, { stage: 'downloading', progress: 100 });
      await this.ack(c.commandId, { stage: 'downloaded' });
      await this.ack(c.commandId, { stage: 'verifying' });
      await sleep(10);
      if (b === 'fail-install') {
        await this.ack(c.commandId, { ok: false, stage: 'installing', detail: 'flash write error' });
        return;
      }
      await this.ack(c.commandId, { stage: 'installing' });
      await sleep(10);
      await this.ack(c.commandId, { stage: 'rebooting' });
      await sleep(10);
      await this.reboot(b === 'old-version' ? this.firmware : c.version);
    } catch {
      // The test ended (or the platform went away) mid-update.
    }
  }
}

/** Waits until the campaign's page satisfies `check`. */
export async function campaignWhen(
  app: TestApp,
  headers: Record<string, string>,
  id: string,
  check: (c: CampaignBody) => boolean,
  ms = 15_000,
): Promise<CampaignBody> {
  return eventually(async () => {
    const res = await app.http().get(`/api/v1/firmware/campaigns/${id}`).set(headers);
    const body = res.body as CampaignBody;
    return res.status === 200 && check(body) ? body : null;
  }, ms).catch(async (err: unknown) => {
    const res = await app.http().get(`/api/v1/firmware/campaigns/${id}`).set(headers);
    throw new Error(`campaign never got there: ${JSON.stringify(res.body)}`, { cause: err });
  });
}

export interface CampaignBody {
  id: string;
  status: string;
  pausedReason: string | null;
  currentWave: number | null;
  total: number;
  counts: Record<string, number>;
  waves: Array<{ index: number; size: number; status: string; counts: Record<string, number> }>;
  waiting: Array<{ reason: string; count: number }>;
  failures: Array<{ device: string; reason: string }>;
}

/** The devices of a campaign (all pages), by id. */
export async function campaignDevices(app: TestApp, headers: Record<string, string>, id: string) {
  const res = await app
    .http()
    .get(`/api/v1/firmware/campaigns/${id}/devices?limit=500`)
    .set(headers)
    .expect(200);
  const items = (
    res.body as {
      items: Array<{ device: string; state: string; reason: string | null; attempt: number; wave: number }>;
    }
  ).items;
  return new Map(items.map((d) => [d.device, d]));
}
