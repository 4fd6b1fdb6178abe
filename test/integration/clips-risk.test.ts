// A clip whose redaction shows signs of risk is flagged for mandatory review, through the running
// platform: a dock offloads a dark clip and a clean one (real photographs, real ffmpeg, the real face
// model in the in-process worker); the API shows the flag and its reasons, lists and filters on it, and
// refuses to approve the flagged clip until the reviewer acknowledges the reasons (audited).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { renderClip, standardClip } from '../helpers/footage.js';
import { credentialsFor, register, uid } from '../helpers/mqtt.js';
import { offload, sha256 } from '../helpers/offload.js';
import { readFile } from 'node:fs/promises';
import { DEFAULT_PARAMS } from '../../src/redaction/redact.js';

const FRAMES = 24;
/** Detection frames of a clip of FRAMES frames with the default settings. */
const observed = Math.ceil(FRAMES / DEFAULT_PARAMS.tracking.every);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies checked by shape
type Json = Record<string, any>;

const run = promisify(execFile);

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('clips flagged for review', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let reviewer: Record<string, string>;
  let inspector: Record<string, string>;
  let clean: Json;
  let dark: Json;
  let doc: Json;

  const get = async (id: string) =>
    (await app.http().get(`/api/v1/clips/${id}`).set(inspector).expect(200)).body as Json;

  beforeAll(async () => {
    app = await startApp({ JOBS_POLL_MS: '300' });
    admin = await app.as('admin');
    reviewer = await app.as('reviewer', `rev-${uid()}`);
    inspector = await app.as('inspector');
    const dock = await credentialsFor(app, admin, 'dock', `D${uid()}`);
    for (const serial of ['CAMRISK1', 'CAMRISK2']) await register(app, 'camera', serial);
    const dir = app.platform.config.DATA_DIR;
    await renderClip(standardClip(640, 360, FRAMES, 30), path.join(dir, 'clean.mp4'));
    // The same scene at night: luma squeezed to an eighth of its range above black.
    await run('ffmpeg', [
      ...['-v', 'error', '-y', '-i', path.join(dir, 'clean.mp4')],
      ...['-vf', 'lutyuv=y=16+(val-16)*0.12', '-c:v', 'libx264', '-preset', 'ultrafast'],
      path.join(dir, 'dark.mp4'),
    ]);
    const ids: string[] = [];
    for (const [name, camera] of [
      ['clean', 'CAMRISK1'],
      ['dark', 'CAMRISK2'],
    ] as const) {
      const bytes = await readFile(path.join(dir, `${name}.mp4`));
      expect((await offload(app.url, dock, bytes, { camera })).status).toBe(201);
      ids.push(sha256(bytes));
    }
    const done = await Promise.all(
      ids.map((id) =>
        waitFor(async () => {
          const c = await get(id);
          return ['redacted', 'failed'].includes(c.status as string) ? c : undefined;
        }),
      ),
    );
    [clean, dark] = [done[0]!, done[1]!];
    doc = (await app.http().get('/api/v1/openapi.json').expect(200)).body as Json;
  }, 120_000);
  afterAll(() => app?.close());

  /** Checks a body against the answer the API reference describes for that route and status. */
  const described = (route: string, method: string, status: string, body: unknown) => {
    const ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      formats: { 'date-time': (s: string) => !Number.isNaN(Date.parse(s)) },
    });
    ajv.addSchema({ ...doc, $id: 'https://bwv.invalid/openapi.json' });
    const check = ajv.compile({
      $ref: `https://bwv.invalid/openapi.json#/paths/${route.replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema`,
    });
    expect({ route, errors: check(body) ? null : check.errors }).toEqual({ route, errors: null });
  };

  it('shows the flag and its reasons on the clip, as the API reference describes', () => {
    expect(dark.status).toBe('redacted');
    expect(dark.risk.reviewRequired).toBe(true);
    expect(dark.risk.reasons).toEqual(
      expect.arrayContaining([
        {
          code: 'too-dark',
          detail: expect.stringMatching(
            new RegExp(`^100% \\(${observed} of ${observed}\\) of detection frames too dark`),
          ),
        },
      ]),
    );
    expect(dark.risk.measures).toMatchObject({ observedFrames: observed, darkShare: 1 });
    expect(clean.risk).toMatchObject({ reviewRequired: false, reasons: [] });
    described('/api/v1/clips/{id}', 'get', '200', dark);
    described('/api/v1/clips/{id}', 'get', '200', clean);
  });

  it('lists clips with their flag and filters on it', async () => {
    const list = async (q: Record<string, string>) => {
      const res = await app.http().get('/api/v1/clips').query(q).set(inspector).expect(200);
      described('/api/v1/clips', 'get', '200', res.body);
      const items = (res.body as Json).items as Json[];
      return items.map((c) => [c.id as string, c.risk?.reviewRequired as boolean]);
    };
    expect(await list({})).toEqual(
      expect.arrayContaining([
        [dark.id, true],
        [clean.id, false],
      ]),
    );
    expect(await list({ reviewRequired: 'true' })).toEqual([[dark.id, true]]);
    expect(await list({ reviewRequired: 'false' })).toEqual([[clean.id, false]]);
    await app.http().get('/api/v1/clips').query({ reviewRequired: 'maybe' }).set(inspector).expect(400);
  });

  it('records the flag with the redaction in the audit trail', async () => {
    const audit = await app
      .http()
      .get('/api/v1/audit')
      .query({ action: 'clip.redaction.produce', limit: 50 })
      .set(admin)
      .expect(200);
    const produced = (audit.body as Json).items.filter((e: Json) => e.target.id === dark.id);
    expect(produced).toHaveLength(1);
    expect(produced[0].changes).toMatchObject({
      reviewRequired: true,
      reasons: expect.arrayContaining(['too-dark']),
    });
  });

  it('approves a flagged clip only once the reviewer acknowledges the reasons', async () => {
    const review = (id: string, body: Json) =>
      app.http().post(`/api/v1/clips/${id}/review`).set(reviewer).send(body);
    for (const body of [
      { decision: 'approved', note: 'Looks fine' },
      { decision: 'approved', note: 'Looks fine', acknowledged: false },
    ]) {
      const refused = await review(dark.id, body).expect(409);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({
        type: expect.stringMatching(/\/problems\/clip-review-unacknowledged$/),
        status: 409,
        detail: expect.stringContaining('too-dark'),
      });
    }
    expect((await get(dark.id)).status).toBe('redacted');

    const approved = await review(dark.id, {
      decision: 'approved',
      note: 'Checked every frame against the original: no face visible in the dark',
      acknowledged: true,
    }).expect(200);
    described('/api/v1/clips/{id}/review', 'post', '200', approved.body);
    expect(approved.body).toMatchObject({
      status: 'approved',
      review: { decision: 'approved', acknowledged: expect.arrayContaining(['too-dark']) },
    });
    // The clean clip needs no acknowledgement.
    await review(clean.id, { decision: 'approved', note: 'All faces covered' }).expect(200);

    const audit = await app
      .http()
      .get('/api/v1/audit')
      .query({ action: 'clip.redaction.approve', limit: 50 })
      .set(admin)
      .expect(200);
    const byClip = new Map<string, Json>(
      (audit.body as Json).items.map((e: Json) => [e.target.id as string, e.changes as Json]),
    );
    expect(byClip.get(dark.id)).toMatchObject({
      reviewRequired: true,
      acknowledged: expect.arrayContaining(['too-dark']),
    });
    expect(byClip.get(clean.id)).toMatchObject({ reviewRequired: false });
    expect(byClip.get(clean.id)).not.toHaveProperty('acknowledged');
  });
});
