// A separate `--role redaction` worker process killed with SIGKILL in the middle of a clip: the
// durable job is picked up by another worker once its lock lapses, and the clip ends with exactly one
// derivative. The API platform runs with REDACTION_WORKER=off, so only the worker processes redact.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { renderClip, standardClip } from '../helpers/footage.js';
import { credentialsFor, uid } from '../helpers/mqtt.js';
import { offload } from '../helpers/offload.js';
import { runPlatform, type PlatformProcess } from '../helpers/process.js';

async function blobs(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (e.isFile()) n++;
  return n;
}

describe('redaction worker process', () => {
  let app: TestApp;
  const workers: PlatformProcess[] = [];

  beforeAll(async () => {
    app = await startApp({ REDACTION_WORKER: 'off' });
  });
  afterAll(async () => {
    // SIGTERM: tsx passes it on to the worker it runs, which stops cleanly.
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exit));
    await app?.close();
  });

  const startWorker = () => {
    const w = runPlatform(
      {
        MONGODB_URI: process.env.BWV_TEST_MONGODB_URI!,
        MONGODB_DB: app.dbName,
        DATA_DIR: app.platform.config.DATA_DIR,
        REDACTION_LOCK_LIFETIME_MS: '3000',
        REDACTION_POLL_MS: '300',
      },
      ['--role', 'redaction'],
    );
    workers.push(w);
    return w;
  };

  it('finishes a clip once, with one derivative, after its worker is killed mid-job', async () => {
    const admin = await app.as('admin');
    const dock = await credentialsFor(app, admin, 'dock', `D${uid()}`);
    const file = path.join(app.platform.config.DATA_DIR, 'long.mp4');
    await renderClip(standardClip(320, 180, 90, 30), file); // 3 s of video: long enough to be killed mid-way
    const res = await offload(app.url, dock, file);
    expect(res.status).toBe(201);
    const id = String(res.body.id);

    const first = startWorker();
    const started = await first.waitForLog((l) => l.msg === 'redaction started' && l.clipId === id, 120_000);
    await new Promise((r) => setTimeout(r, 300));
    // The worker itself (tsx runs it as a child of its own), killed without a chance to clean up.
    process.kill(Number(started.pid), 'SIGKILL');
    await first.exit;
    const viewer = await app.as('auditor');
    const mid = await app.http().get(`/api/v1/clips/${id}`).set(viewer).expect(200);
    expect(mid.body.status).toBe('processing');

    const second = startWorker();
    await second.waitForLog((l) => l.msg === 'redaction finished' && l.clipId === id, 150_000);
    const done = await app.http().get(`/api/v1/clips/${id}`).set(viewer).expect(200);
    expect(done.body).toMatchObject({ status: 'redacted', failure: null });
    expect(done.body.derivative.producedBy).not.toMatch(new RegExp(`:${String(started.pid)}$`));

    // One derivative: the original, one redacted copy and its manifest are all that is stored.
    expect(await blobs(path.join(app.platform.config.DATA_DIR, 'evidence', 'sha256'))).toBe(3);
    const audit = await app.http().get('/api/v1/audit').query({ limit: 200 }).set(admin).expect(200);
    const produced = (audit.body.items as Array<{ action: string; target: { id: string } }>).filter(
      (e) => e.action === 'clip.redaction.produce' && e.target.id === id,
    );
    expect(produced).toHaveLength(1);
  }, 240_000);
});
