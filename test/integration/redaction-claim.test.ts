// Two workers redacting the same clip at once (agenda's locks are not atomic on FerretDB v1): one wins
// the claim on the clip's one derivative; the loser's redacted copy and manifest do not stay behind
// in evidence storage with nothing referring to them. Nor do the outputs of a worker that died
// between writing them and claiming: the sweep removes them.
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { AuditRepository, AuditService } from '../../src/audit/index.js';
import { ClipRedactionState, ClipsRepository } from '../../src/clips/index.js';
import { createConnection, openWithRetry, type Connection } from '../../src/db/connection.js';
import { LocalEvidenceStore } from '../../src/evidence/index.js';
import { RedactionWorker } from '../../src/redaction/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { renderClip, standardClip } from '../helpers/footage.js';
import { credentialsFor, register, uid } from '../helpers/mqtt.js';
import { offload } from '../helpers/offload.js';

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

describe('the derivative claim', () => {
  let app: TestApp;
  let conn: Connection;

  beforeAll(async () => {
    app = await startApp({ REDACTION_WORKER: 'off' });
    conn = createConnection();
    await openWithRetry(
      conn,
      process.env.BWV_TEST_MONGODB_URI!,
      app.dbName,
      pino({ level: 'silent' }),
      new AbortController().signal,
    );
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    await app?.close();
  });

  it('leaves only the winner’s derivative in evidence storage when two workers finish one clip', async () => {
    const admin = await app.as('admin');
    const dock = await credentialsFor(app, admin, 'dock', `D${uid()}`);
    await register(app, 'camera', 'CAM001'); // the clip's camera, at the dock's station
    const file = path.join(app.platform.config.DATA_DIR, 'race.mp4');
    await renderClip(standardClip(320, 180, 15, 30), file);
    const res = await offload(app.url, dock, file);
    expect(res.status).toBe(201);
    const id = String(res.body.id);

    const evidenceDir = path.join(app.platform.config.DATA_DIR, 'evidence');
    const store = await new LocalEvidenceStore(evidenceDir).init();
    const repo = new ClipsRepository(conn);
    const warnings: string[] = [];
    const log = pino(
      { level: 'warn' },
      new Writable({
        write(line: Buffer, _enc, done) {
          warnings.push(String((JSON.parse(line.toString()) as { msg: string }).msg));
          done();
        },
      }),
    );
    const worker = (n: number) =>
      new RedactionWorker(
        new ClipRedactionState(repo),
        store,
        new AuditService(new AuditRepository(conn)),
        () => undefined,
        log,
        `race-${n}`,
      );
    await Promise.all([
      worker(1).process(id, () => Promise.resolve()),
      worker(2).process(id, () => Promise.resolve()),
    ]);

    expect(warnings.filter((m) => /derivative first; ours is discarded/.test(m))).toHaveLength(1);
    const viewer = await app.as('auditor');
    const clip = (await app.http().get(`/api/v1/clips/${id}`).set(viewer).expect(200)).body as {
      status: string;
      derivative: { sha256: string; manifestSha256: string };
    };
    expect(clip.status).toBe('redacted');
    // Exactly the original, the winning redacted copy and its manifest; no work files left over.
    const stored = (await files(path.join(evidenceDir, 'sha256'))).map((f) => path.basename(f)).sort();
    expect(stored).toEqual([id, clip.derivative.sha256, clip.derivative.manifestSha256].sort());
    expect(await files(path.join(evidenceDir, 'tmp'))).toEqual([]);
    const redacted = await app.http().get(`/api/v1/clips/${id}/redacted`).set(viewer);
    expect(redacted.status).toBe(200);

    // A worker that died after writing its outputs and before claiming: they were noted first, so
    // the sweep's housekeeping removes them once abandoned — but never a file something refers to.
    const scratch = path.join(store.scratchDir(), 'dead-worker-output.mp4');
    await writeFile(scratch, 'bytes of a redacted copy nobody claimed');
    const orphan = await store.digest(scratch);
    await repo.notePending(id, [orphan, clip.derivative.sha256]);
    await store.putFile(scratch);
    expect(await store.has(orphan)).toBe(true);
    const janitor = worker(3);
    expect(await janitor.discardAbandonedOutputs(60_000)).toBe(0); // too recent: maybe still at work
    await new Promise((r) => setTimeout(r, 50));
    expect(await janitor.discardAbandonedOutputs(10)).toBe(1);
    expect(await store.has(orphan)).toBe(false);
    expect(await store.has(clip.derivative.sha256)).toBe(true);
    expect(await repo.stalePending(new Date(Date.now() + 1000))).toEqual([]);
  }, 180_000);
});
