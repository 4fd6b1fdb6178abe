// Separate `--role redaction` worker processes on the real aedes bus. The API platform runs with
// REDACTION_WORKER=off, so only the workers redact: they hear offloads through the event spine on the
// bus (`bwv/v1/internal/events/clip.offloaded`), queue one durable
// job per clip (however many of them hear it, however often), sweep up clips offloaded while none
// ran, and a worker killed mid-job (SIGKILL) leaves its clip to another, which finishes it once.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient, type Collection } from 'mongodb';
import { startApp, type TestApp } from '../helpers/app.js';
import { renderClip, standardClip } from '../helpers/footage.js';
import { connect, credentialsFor, eventually, register, uid } from '../helpers/mqtt.js';
import { offload } from '../helpers/offload.js';
import { runPlatform, type PlatformProcess } from '../helpers/process.js';

const SERVICE_PASSWORD = 'service-password-for-worker-tests';

async function blobs(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (e.isFile()) n++;
  return n;
}

describe('redaction worker processes', () => {
  let app: TestApp;
  let mongo: MongoClient;
  let jobs: Collection;
  let admin: Record<string, string>;
  let viewer: Record<string, string>;
  let dock: { username: string; password: string };
  const workers: PlatformProcess[] = [];

  beforeAll(async () => {
    app = await startApp({ REDACTION_WORKER: 'off', MQTT_SERVICE_PASSWORD: SERVICE_PASSWORD });
    mongo = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
    jobs = mongo.db(app.dbName).collection('agenda_jobs');
    admin = await app.as('admin');
    viewer = await app.as('auditor');
    dock = await credentialsFor(app, admin, 'dock', `D${uid()}`);
    // The clips' cameras, at the dock's station (a dock offloads only those it can hold).
    for (const serial of ['CAM001', 'CAMEARLY', 'CAMLATER']) await register(app, 'camera', serial);
  }, 60_000);
  afterAll(async () => {
    // SIGTERM: tsx passes it on to the worker it runs, which stops cleanly.
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exit));
    await mongo?.close();
    await app?.close();
  });

  const startWorker = () => {
    const w = runPlatform(
      {
        MONGODB_URI: process.env.BWV_TEST_MONGODB_URI!,
        MONGODB_DB: app.dbName,
        DATA_DIR: app.platform.config.DATA_DIR,
        MQTT_URL: app.platform.mqttUrl,
        MQTT_SERVICE_PASSWORD: SERVICE_PASSWORD,
        REDACTION_LOCK_LIFETIME_MS: '3000',
        JOBS_POLL_MS: '300',
        // Only the start-up sweep: a clip offloaded while workers run must reach them over the bus.
        REDACTION_SWEEP_S: '3600',
      },
      ['--role', 'redaction'],
    );
    workers.push(w);
    return w;
  };
  const clipStatus = async (id: string) =>
    String((await app.http().get(`/api/v1/clips/${id}`).set(viewer).expect(200)).body.status);
  const jobsFor = (id: string) => jobs.countDocuments({ 'data.clipId': id });
  const logged = (msg: string, clipId: string) =>
    workers.flatMap((w) => w.logs).filter((l) => l.msg === msg && l.clipId === clipId).length;

  it('queues one job per clip: from the start-up sweep, and from offloads heard on the bus', async () => {
    const file = path.join(app.platform.config.DATA_DIR, 'short.mp4');
    await renderClip(standardClip(320, 180, 20, 30), file);
    // Offloaded while no worker runs: the message is published to nobody.
    const early = await offload(app.url, dock, file, { camera: 'CAMEARLY' });
    expect(early.status).toBe(201);
    const a = String(early.body.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(await clipStatus(a)).toBe('queued');
    expect(await jobsFor(a)).toBe(0);

    const first = startWorker();
    const listening = await first.waitForLog((l) => l.msg === 'listening for offloaded clips', 120_000);
    expect(listening.shared).toBe(false); // aedes has no shared subscriptions: every worker hears all
    await first.waitForLog((l) => l.msg === 'redaction finished' && l.clipId === a, 120_000);
    expect(await jobsFor(a)).toBe(1);

    const second = startWorker();
    await second.waitForLog((l) => l.msg === 'redaction worker ready', 120_000);
    const clip = Buffer.concat([await readFile(file), Buffer.from('b')]); // another clip: another hash
    const later = await offload(app.url, dock, clip, { camera: 'CAMLATER' });
    expect(later.status).toBe(201);
    const b = String(later.body.id);
    // Both workers heard it; one job, one derivative.
    await eventually(async () => (await clipStatus(b)) === 'redacted', 120_000);
    // A repeated message (QoS 1 redelivery, a replay) queues nothing new and redacts nothing again.
    const bus = await connect(app.platform.mqttUrl, {
      username: 'service:platform',
      password: SERVICE_PASSWORD,
    });
    try {
      // The same event again, as the spine carries it between processes.
      const replay = JSON.stringify({
        id: `replay-${b}`,
        type: 'clip.offloaded',
        version: 1,
        occurredAt: new Date().toISOString(),
        source: 'another-platform:1',
        data: {
          clipId: b,
          camera: 'CAMLATER',
          dock: dock.username.slice('dock:'.length),
          station: null,
          size: 1,
        },
      });
      for (let i = 0; i < 3; i++) {
        await bus.publishAsync('bwv/v1/internal/events/clip.offloaded', replay, { qos: 1 });
      }
      await bus.publishAsync('bwv/v1/internal/events/clip.offloaded', 'not json', { qos: 1 });
    } finally {
      await bus.endAsync();
    }
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await jobsFor(b)).toBe(1);
    expect(logged('redaction job queued', b)).toBe(1);
    expect(logged('redaction finished', b)).toBe(1);
    const audit = await app.http().get('/api/v1/audit').query({ limit: 200 }).set(admin).expect(200);
    const produced = (audit.body.items as Array<{ action: string; target: { id: string } }>).filter(
      (e) => e.action === 'clip.redaction.produce' && [a, b].includes(e.target.id),
    );
    expect(produced).toHaveLength(2);
    expect(await clipStatus(a)).toBe('redacted');
  }, 300_000);

  it('finishes a clip once, with one derivative, after its worker is killed mid-job', async () => {
    const evidence = path.join(app.platform.config.DATA_DIR, 'evidence', 'sha256');
    const before = await blobs(evidence);
    const file = path.join(app.platform.config.DATA_DIR, 'long.mp4');
    await renderClip(standardClip(320, 180, 90, 30), file); // 3 s of video: long enough to be killed mid-way
    const res = await offload(app.url, dock, file);
    expect(res.status).toBe(201);
    const id = String(res.body.id);

    // Whichever worker took the job is killed without a chance to clean up.
    const started = await Promise.any(
      workers.map((w) => w.waitForLog((l) => l.msg === 'redaction started' && l.clipId === id, 120_000)),
    );
    await new Promise((r) => setTimeout(r, 300));
    process.kill(Number(started.pid), 'SIGKILL');
    expect(await clipStatus(id)).toBe('processing');

    await eventually(async () => (await clipStatus(id)) === 'redacted', 150_000);
    const done = await app.http().get(`/api/v1/clips/${id}`).set(viewer).expect(200);
    expect(done.body).toMatchObject({ status: 'redacted', failure: null });
    expect(done.body.derivative.producedBy).not.toMatch(new RegExp(`:${String(started.pid)}$`));

    // One derivative: the original, one redacted copy and its manifest are all that was added.
    expect(await blobs(evidence)).toBe(before + 3);
    const audit = await app.http().get('/api/v1/audit').query({ limit: 200 }).set(admin).expect(200);
    const produced = (audit.body.items as Array<{ action: string; target: { id: string } }>).filter(
      (e) => e.action === 'clip.redaction.produce' && e.target.id === id,
    );
    expect(produced).toHaveLength(1);
  }, 300_000);
});
