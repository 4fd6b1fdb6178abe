// A reviewer's work on a clip, through the running platform with the real model, real ffmpeg and the
// embedded database: the queue's data and the manifest for the player's overlay; a face the detector
// missed (too small for it), marked on one frame, followed across the clip and covered in a new
// revision linked to the previous one; two marks at once making one revision each; two workers
// rendering the same revision making one; the disclosure log, which exports only an approved
// redacted copy, never the original, and audits every export and download.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { AuditRepository, AuditService } from '../../src/audit/index.js';
import { ClipRedactionState, ClipsRepository } from '../../src/clips/index.js';
import { createConnection, openWithRetry, type Connection } from '../../src/db/connection.js';
import { LocalEvidenceStore } from '../../src/evidence/index.js';
import type { Box } from '../../src/redaction/box.js';
import { RevisionWorker } from '../../src/redaction/index.js';
import { decodeFrames, probe } from '../../src/redaction/video/ffmpeg.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newOfficer } from '../helpers/factories.js';
import { renderClip, type ClipSpec } from '../helpers/footage.js';
import { credentialsFor, eventually, register, uid } from '../helpers/mqtt.js';
import { offload, sha256 } from '../helpers/offload.js';
import { detail } from '../helpers/pixels.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies checked by shape
type Json = Record<string, any>;

const run = promisify(execFile);
const W = 480;
const H = 270;
const FRAMES = 30;

/**
 * A still street scene (its player's face is found) and a passer-by walking right whose head is 20 px
 * (the face about 12 px): below what the detector finds (it finds the same head from 22 px), so the
 * automatic redaction leaves it.
 */
const SPEC: ClipSpec = {
  width: W,
  height: H,
  fps: 30,
  frames: FRAMES,
  audio: true,
  scene: { photo: 'match', from: { x: 0, y: 0, w: 548, h: 308 }, to: { x: 0, y: 0, w: 548, h: 308 } },
  people: [
    {
      photo: 'smiling',
      crop: { x: 40, y: 20, w: 250, h: 250 },
      from: { x: 330, y: 150, w: 20, h: 20 },
      to: { x: 370, y: 160, w: 20, h: 20 },
    },
  ],
};

async function rgbFrames(file: string): Promise<Uint8Array[]> {
  const info = await probe(file);
  const out: Uint8Array[] = [];
  for await (const [, f] of decodeFrames(file, info)) out.push(f.slice());
  return out;
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

/**
 * Fine detail of a face inside a pixelated box: the mean luma step between neighbouring pixels that
 * lie in the same pixelation block (so the steps between blocks' means, which are what pixelation
 * leaves on purpose, do not count). Blocks as src/redaction/pixelate.ts lays them out on yuv420p.
 */
function blockDetail(rgb: Uint8Array, face: Box, box: Box): number {
  const size = Math.max(8, Math.ceil(Math.max(box.w, box.h) / 6));
  const block = size + (size & 1);
  const bx = box.x & ~1;
  const by = box.y & ~1;
  const luma = (x: number, y: number) => {
    const o = (y * W + x) * 3;
    return 0.299 * rgb[o]! + 0.587 * rgb[o + 1]! + 0.114 * rgb[o + 2]!;
  };
  const sameBlock = (a: number, b: number, origin: number) =>
    Math.floor((a - origin) / block) === Math.floor((b - origin) / block);
  let sum = 0;
  let n = 0;
  for (let y = Math.ceil(face.y); y < Math.floor(face.y + face.h) - 1; y++)
    for (let x = Math.ceil(face.x); x < Math.floor(face.x + face.w) - 1; x++) {
      if (sameBlock(x, x + 1, bx)) {
        sum += Math.abs(luma(x, y) - luma(x + 1, y));
        n++;
      }
      if (sameBlock(y, y + 1, by)) {
        sum += Math.abs(luma(x, y) - luma(x, y + 1));
        n++;
      }
    }
  return n ? sum / n : 0;
}

function binary(res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('reviewing a redaction: missed faces and disclosures', () => {
  let app: TestApp;
  let conn: Connection;
  let admin: Record<string, string>;
  let reviewer: Record<string, string>;
  let inspector: Record<string, string>;
  let auditor: Record<string, string>;
  let evidenceDir: string;
  let id: string;
  let officer: string;
  let truth: Box[][];
  let original: Uint8Array[];
  let clipFile: string;
  let dock: { username: string; password: string };
  let camera: string;
  /** A clip that is not a video: stored, never redacted. */
  let junkId: string;

  const get = (url: string, who = reviewer) => app.http().get(`/api/v1${url}`).set(who);
  const post = (url: string, body: object, who = reviewer) =>
    app.http().post(`/api/v1${url}`).set(who).send(body);
  const clip = async () => (await get(`/clips/${id}`).expect(200)).body as Json;
  const showing = (revision: number) =>
    eventually<Json>(async () => {
      const c = await clip();
      return c.status === 'redacted' && c.derivative?.revision === revision && c;
    }, 60_000);
  const download = async (url: string, who = reviewer) =>
    (await app
      .http()
      .get(url)
      .set(who)
      .buffer(true)
      .parse(binary as never)
      .expect(200)) as unknown as {
      body: Buffer;
      headers: Record<string, string>;
    };
  const auditOf = async (action: string) => {
    const r = await get('/audit', admin).query({ action, targetId: id, limit: 100 }).expect(200);
    return r.body.items as Json[];
  };
  /** The tiny face's box on frame f, in whole pixels. */
  const tinyFace = (f: number) => {
    const b = truth[f]![1]!;
    return { x: Math.round(b.x), y: Math.round(b.y), w: Math.round(b.w), h: Math.round(b.h) };
  };

  beforeAll(async () => {
    app = await startApp({ JOBS_POLL_MS: '300' });
    conn = createConnection();
    await openWithRetry(
      conn,
      process.env.BWV_TEST_MONGODB_URI!,
      app.dbName,
      pino({ level: 'silent' }),
      new AbortController().signal,
    );
    admin = await app.as('admin');
    reviewer = await app.as('reviewer');
    inspector = await app.as('inspector');
    auditor = await app.as('auditor');
    evidenceDir = path.join(app.platform.config.DATA_DIR, 'evidence');
    dock = await credentialsFor(app, admin, 'dock', `D${uid()}`);
    camera = `CR${uid()}`;
    const station = await register(app, 'camera', camera);
    // The camera is issued to an officer before the recording: the clip's holder at recording.
    officer = await newOfficer(app, admin, { station });
    await post('/checkouts', { camera, officer, mode: 'pool' }, admin).expect(201);
    clipFile = path.join(app.platform.config.DATA_DIR, 'tiny-face.mp4');
    truth = await renderClip(SPEC, clipFile);
    original = await rgbFrames(clipFile);
    const now = Date.now();
    const res = await offload(app.url, dock, clipFile, {
      camera,
      recordedFrom: new Date(now + 1000),
      recordedTo: new Date(now + 2000),
    });
    expect(res.status).toBe(201);
    id = String(res.body.id);
    await showing(1);
  }, 120_000);
  afterAll(async () => {
    await conn?.close();
    await app?.close();
  });

  it('gives the queue what a reviewer sees, and the manifest for the overlay', async () => {
    const list = await get('/clips', auditor).query({ status: 'redacted' }).expect(200);
    const item = (list.body.items as Json[]).find((c) => c.id === id)!;
    expect(item).toMatchObject({
      status: 'redacted',
      holder: officer,
      station: expect.any(String),
      recordedFrom: expect.any(String),
      recordedTo: expect.any(String),
      derivative: { revision: 1, previous: null },
      manifestSummary: { frames: FRAMES, revision: 1, manualAdditions: 0 },
    });
    const manifest = (await get(`/clips/${id}/manifest`, inspector).expect(200)).body as Json;
    expect(manifest.input).toMatchObject({ width: W, height: H, frames: FRAMES, hasAudio: true });
    expect(manifest.frames).toHaveLength(FRAMES); // the player's face is boxed on every frame
    // The passer-by's face was missed: its detail is still there on every frame (what the mark fixes).
    const first = await rgbFrames(blobPath(item.derivative.sha256 as string));
    for (let f = 0; f < FRAMES; f++) {
      const face = truth[f]![1]!;
      expect(detail(first[f]!, W, H, face) / detail(original[f]!, W, H, face)).toBeGreaterThan(0.6);
    }
  });

  it('lets only reviewers mark a missed face, and only on a frame and box of the clip', async () => {
    const body = { frame: 15, box: tinyFace(15) };
    for (const who of [inspector, auditor, admin]) {
      const r = await post(`/clips/${id}/missed-faces`, body, who).expect(403);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
    }
    const late = await post(`/clips/${id}/missed-faces`, { ...body, frame: FRAMES }).expect(422);
    expect(late.body).toMatchObject({ type: '/problems/missed-face-outside-clip' });
    await post(`/clips/${id}/missed-faces`, { frame: 1, box: { x: W - 5, y: 0, w: 10, h: 10 } }).expect(422);
    await post(`/clips/${id}/missed-faces`, { frame: 1, box: { x: 0, y: 0, w: 2, h: 10 } }).expect(400);
    // A clip without a redacted copy (here one that never will have one) has nothing to mark on.
    const junk = await offload(app.url, dock, Buffer.from(`not a video ${uid()} `.repeat(300)), { camera });
    expect(junk.status).toBe(201);
    junkId = String(junk.body.id);
    const refused = await post(`/clips/${junkId}/missed-faces`, body).expect(409);
    expect(refused.body).toMatchObject({ type: '/problems/clip-not-markable' });
    expect(await auditOf('clip.redaction.missed-face')).toEqual([]);
  });

  it('refuses a disclosure before approval, and to roles that may not disclose', async () => {
    const body = { recipient: 'Crown Prosecution Service', reason: 'Case 2026/4411: evidence bundle' };
    const early = await post(`/clips/${id}/disclosures`, body).expect(409);
    expect(early.body).toMatchObject({ type: '/problems/clip-not-approved' });
    for (const who of [inspector, auditor]) await post(`/clips/${id}/disclosures`, body, who).expect(403);
    expect((await get(`/clips/${id}/disclosures`, auditor).expect(200)).body.total).toBe(0);
  });

  it('covers a marked face on the frames it is followed to, in a new revision linked to the last', async () => {
    const before = await clip();
    const marked = await post(`/clips/${id}/missed-faces`, {
      frame: 15,
      box: tinyFace(15),
      note: 'passer-by, right of the player',
    }).expect(202);
    expect(marked.body).toMatchObject({ mark: 1, revision: 2, frame: 15, derivative: null });
    // Until the revision is rendered, the clip is not reviewable.
    const during = await clip();
    if (during.status === 'processing') {
      await post(`/clips/${id}/review`, { decision: 'approved', note: 'ok' }).expect(409);
    }
    const after = await showing(2);
    expect(after.derivative).toMatchObject({ revision: 2, previous: before.derivative.sha256 });
    expect(after.derivative.sha256).not.toBe(before.derivative.sha256);
    expect(after.manifestSummary).toMatchObject({ revision: 2, manualAdditions: 1 });

    const manifest = (await get(`/clips/${id}/manifest`, inspector).expect(200)).body as Json;
    expect(manifest).toMatchObject({ revision: 2, previous: before.derivative.sha256 });
    const [addition] = manifest.manual as Json[];
    expect(addition).toMatchObject({ mark: 1, frame: 15, note: 'passer-by, right of the player' });
    expect(addition!.by).toMatch(/^reviewer-/);
    // The face walks across the whole clip: followed back to the first frame and on to the last.
    expect(addition!.span).toEqual({ from: 0, to: FRAMES - 1 });

    const revised = await rgbFrames(blobPath(after.derivative.sha256 as string));
    const firstBoxes = new Map<number, number[][]>(
      (await readJson(before.derivative.manifestSha256 as string)).frames as Array<[number, number[][]]>,
    );
    for (let f = 0; f < FRAMES; f++) {
      const face = truth[f]![1]!;
      const track = (addition!.track as Array<[number, number[]]>).find(([n]) => n === f)![1];
      const [x, y, w, h] = track as [number, number, number, number];
      // The padded box holds the face, and its detail is gone.
      expect({
        f,
        inside: x <= face.x && y <= face.y && x + w >= face.x + face.w && y + h >= face.y + face.h,
      }).toEqual({
        f,
        inside: true,
      });
      const ratio =
        blockDetail(revised[f]!, face, { x, y, w, h }) / blockDetail(original[f]!, face, { x, y, w, h });
      expect({ f, detailLeft: ratio < 0.25 }).toEqual({ f, detailLeft: true });
      // The previous revision's boxes are all still there.
      const boxes = (manifest.frames as Array<[number, number[][]]>).find(([n]) => n === f)![1];
      expect(boxes).toEqual(expect.arrayContaining(firstBoxes.get(f) ?? []));
    }
    // The previous revision remains, listed and stored; audio is kept.
    const revisions = (await get(`/clips/${id}/derivatives`, auditor).expect(200)).body.items as Json[];
    expect(revisions.map((d): unknown[] => [d.revision, d.sha256])).toEqual([
      [2, after.derivative.sha256],
      [1, before.derivative.sha256],
    ]);
    await readFile(blobPath(before.derivative.sha256 as string));
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_streams',
      '-of',
      'json',
      blobPath(after.derivative.sha256 as string),
    ]);
    expect((JSON.parse(stdout) as { streams: Json[] }).streams.map((s): unknown => s.codec_type)).toContain(
      'audio',
    );

    const marks = (await get(`/clips/${id}/missed-faces`, auditor).expect(200)).body.items as Json[];
    expect(marks).toMatchObject([{ mark: 1, revision: 2, derivative: after.derivative.sha256 }]);
    expect(await auditOf('clip.redaction.missed-face')).toHaveLength(1);
    const produced = await auditOf('clip.redaction.produce');
    expect(produced.map((e): unknown => e.changes.revision ?? 1).sort()).toEqual([1, 2]);
  }, 90_000);

  it('discloses an approved redacted copy only, records its hash, serves exactly it and audits it', async () => {
    const current = await clip();
    await post(`/clips/${id}/review`, { decision: 'approved', note: 'All faces covered' }).expect(200);
    const body = { recipient: 'Crown Prosecution Service', reason: 'Case 2026/4411: evidence bundle' };
    const made = await post(`/clips/${id}/disclosures`, body).expect(201);
    const d = made.body as Json;
    expect(d).toMatchObject({
      clip: id,
      revision: 2,
      sha256: current.derivative.sha256,
      size: current.derivative.size,
      ...body,
      download: `/api/v1/clips/${id}/disclosures/${String(d.id)}/file`,
    });
    expect(d.by).toMatch(/^reviewer-/);
    expect(d.sha256).not.toBe(id);

    const file = await download(d.download as string);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename=".*redacted\.mp4"$/);
    expect(sha256(file.body)).toBe(d.sha256);
    expect(file.body.length).toBe(d.size);
    expect(file.body.equals(await readFile(clipFile))).toBe(false); // never the original
    await download(d.download as string, admin);
    await app.http().get(String(d.download)).set(auditor).expect(403);
    await get(`/clips/${id}/disclosures/${randomUUID()}/file`).expect(404);

    // The log: per clip, and force-wide filtered by date.
    const perClip = (await get(`/clips/${id}/disclosures`, auditor).expect(200)).body as Json;
    expect(perClip.items).toMatchObject([{ id: d.id, recipient: body.recipient, sha256: d.sha256 }]);
    const today = (
      await get('/disclosures', auditor)
        .query({ from: new Date(Date.now() - 60_000).toISOString() })
        .expect(200)
    ).body as Json;
    expect((today.items as Json[]).map((x): unknown => x.id)).toContain(d.id);
    const earlier = (await get('/disclosures', admin).query({ to: '2026-01-01' }).expect(200)).body as Json;
    expect(earlier.total).toBe(0);
    await get('/disclosures', inspector).expect(403);

    const [exported] = await auditOf('clip.disclosure');
    expect(exported).toMatchObject({
      changes: { disclosure: d.id, recipient: body.recipient, reason: body.reason, sha256: d.sha256 },
    });
    const downloads = await auditOf('clip.disclosure.download');
    expect(downloads).toHaveLength(2);
    expect(downloads.every((e) => e.changes.sha256 === d.sha256)).toBe(true);
  });

  it('makes one revision for each of two marks made at once; approval is needed again', async () => {
    const [a, b] = await Promise.all([
      post(`/clips/${id}/missed-faces`, { frame: 5, box: tinyFace(5) }),
      post(`/clips/${id}/missed-faces`, { frame: 25, box: tinyFace(25) }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect([a.body.mark, b.body.mark].sort()).toEqual([2, 3]);
    const done = await showing(4);
    const revisions = (await get(`/clips/${id}/derivatives`).expect(200)).body.items as Json[];
    expect(revisions.map((r): unknown => r.revision)).toEqual([4, 3, 2, 1]);
    for (let i = 0; i < 3; i++) expect(revisions[i]!.previous).toBe(revisions[i + 1]!.sha256);
    const manifest = (await get(`/clips/${id}/manifest`).expect(200)).body as Json;
    expect((manifest.manual as Json[]).map((m): unknown => m.mark)).toEqual([1, 2, 3]);
    expect(done.review).toBeNull();
    // The approval was of revision 2: revision 4 awaits review before it may leave.
    await post(`/clips/${id}/disclosures`, { recipient: 'Solicitor', reason: 'Subject access' }).expect(409);
    const produced = await auditOf('clip.redaction.produce');
    expect(produced.map((e): unknown => e.changes.revision ?? 1).sort()).toEqual([1, 2, 3, 4]);
  }, 90_000);

  it('makes exactly one revision when workers race to render it, leaving no stray files', async () => {
    const store = await new LocalEvidenceStore(evidenceDir).init();
    const repo = new ClipsRepository(conn);
    const worker = (n: number) =>
      new RevisionWorker(
        new ClipRedactionState(repo),
        store,
        new AuditService(new AuditRepository(conn)),
        () => undefined,
        pino({ level: 'silent' }),
        `race-${n}`,
      );
    const marked = await post(`/clips/${id}/missed-faces`, { frame: 10, box: tinyFace(10) }).expect(202);
    expect(marked.body).toMatchObject({ mark: 4, revision: 5 });
    // Two more workers on the same revision as the platform's own job.
    await Promise.all([1, 2].map((n) => worker(n).process(id, 5, () => Promise.resolve())));
    const done = await showing(5);
    const revisions = (await get(`/clips/${id}/derivatives`).expect(200)).body.items as Json[];
    expect(revisions.map((r): unknown => r.revision)).toEqual([5, 4, 3, 2, 1]);
    await eventually(async () => (await auditOf('clip.redaction.produce')).length === 5);
    // Once the platform's job is done too: the originals, each revision's copy and manifest, no more.
    const jobs = conn.db!.collection('agenda_jobs');
    await eventually(async () => {
      const job = await jobs.findOne({ name: 'redaction.render-revision', key: `${id}:5` });
      return Boolean(job?.lastFinishedAt);
    }, 60_000);
    const stored = (await files(path.join(evidenceDir, 'sha256'))).map((f) => path.basename(f)).sort();
    const expected = [
      id,
      junkId,
      ...revisions.flatMap((r) => [r.sha256 as string, r.manifestSha256 as string]),
    ];
    expect(stored).toEqual([...new Set(expected)].sort());
    expect(done.derivative.revision).toBe(5);
  }, 90_000);

  function blobPath(hash: string) {
    return path.join(evidenceDir, 'sha256', hash.slice(0, 2), hash.slice(2, 4), hash);
  }
  async function readJson(hash: string): Promise<Json> {
    return JSON.parse(await readFile(blobPath(hash), 'utf8')) as Json;
  }
});
