// The simulator's docks offload synthetic clips (firmware-sim/offload.ts, run as the README runs it)
// with their own device credentials; each clip is redacted by the platform's worker and reviewed.
import { execFile } from 'node:child_process';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { credentialsFor, eventually, uid } from '../helpers/mqtt.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

describe('simulated dock offload', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ JOBS_POLL_MS: '300' });
  }, 60_000);
  afterAll(() => app?.close());

  it('offloads a clip per dock that ends redacted, with the face blurred on every frame, and reviewable', async () => {
    const admin = await app.as('admin');
    const dock = `SD${uid()}`;
    const camera = `SC${uid()}`;
    // The credentials file the simulator writes with --credentials.
    const creds = [
      { kind: 'dock', id: dock, ...(await credentialsFor(app, admin, 'dock', dock)) },
      { kind: 'camera', id: camera, ...(await credentialsFor(app, admin, 'camera', camera)) },
    ];
    const dir = path.join(app.platform.config.DATA_DIR, 'sim');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'fleet.json');
    await writeFile(file, JSON.stringify(creds));

    const { stdout } = await run(
      path.join(root, 'node_modules/.bin/tsx'),
      ['firmware-sim/offload.ts', '--api', app.url, '--credentials', file, '--clips', '1'],
      { cwd: root },
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { dock: string; camera: string; status: number; clip: string });
    expect(lines).toEqual([{ dock, camera, status: 201, clip: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const id = lines[0]!.clip;

    const reviewer = await app.as('reviewer');
    const done = await eventually(async () => {
      const r = await app.http().get(`/api/v1/clips/${id}`).set(reviewer).expect(200);
      const body = r.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      return ['redacted', 'failed'].includes(body.status as string) ? body : undefined;
    }, 120_000);
    expect(done).toMatchObject({ status: 'redacted', camera, dock, failure: null });
    // The portrait is in view for the whole clip: one face, blurred on every frame.
    expect(done.manifestSummary.tracks).toBeGreaterThanOrEqual(1);
    expect(done.manifestSummary.framesWithBoxes).toBe(done.manifestSummary.frames);

    await app
      .http()
      .post(`/api/v1/clips/${id}/review`)
      .set(reviewer)
      .send({ decision: 'approved', note: 'Face covered throughout' })
      .expect(200);
  }, 180_000);
});
