// Issue 14's crash suite (findings 3 and 4): real platform processes under check-out and check-in
// load from concurrent HTTP clients with Idempotency-Keys; `kill -9` of the FerretDB child, and of
// the platform itself (restarted on the same data). Afterwards, read from the database: every
// acknowledged change survived, retries never issued twice, every custody change has exactly one
// history event and one audit entry naming camera and officer, and the audit chain verifies.
// Kill points are random from a seed printed at the start: CRASH_SEED=<seed> replays a run.
import { rng } from '../../firmware-sim/random.js';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { verifyChain } from '../../src/audit/chain.js';
import type { AuditEntryDoc } from '../../src/audit/audit.model.js';
import { startEmbeddedDb } from '../../src/db/ferretdb.js';
import type { TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';
import {
  descendantRunning,
  killLeftoverPlatforms,
  runPlatform,
  type PlatformProcess,
} from '../helpers/process.js';

const ADMIN_PASSWORD = 'crash-test-admin-password';
const CLIENTS = 6;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(dataDir: string): Promise<{ p: PlatformProcess; url: string }> {
  const p = runPlatform({
    DATA_DIR: dataDir,
    BWV_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CUSTODY_SWEEP_S: '1',
    REDACTION_WORKER: 'off',
  });
  await p.waitForLog((l) => l.msg === 'API ready', 120_000);
  return { p, url: await p.url };
}

async function adminToken(url: string) {
  const agent = request.agent(url);
  const login = await agent
    .post('/api/v1/auth/login')
    .send({ username: 'admin', password: ADMIN_PASSWORD })
    .expect(200);
  const res = await agent
    .post('/api/v1/auth/tokens')
    .set('X-CSRF-Token', (login.body as { csrfToken: string }).csrfToken)
    .send({ name: 'crash' })
    .expect(201);
  return { Authorization: `Bearer ${(res.body as { token: string }).token}` };
}

interface Acked {
  op: 'check-out' | 'check-in';
  camera: string;
  officer: string;
  assignment: string;
}

/**
 * Clients each owning one camera and one officer, alternating check-out and check-in, each request
 * with a fresh Idempotency-Key and retried with the same key until it is answered 2xx (after a
 * kill: network errors, 500s, 503s, 409 "still running"). Any other refusal is a failure: a retry
 * must get the first attempt's answer.
 */
function load(base: { url: string }, auth: Record<string, string>, pairs: Array<[string, string]>) {
  const acked: Acked[] = [];
  const refusals: string[] = [];
  /** Requests that failed (network error, 5xx) and were retried: the kill landed mid-request. */
  const interrupted = { count: 0 };
  let stopping = false;
  let aborted = false;
  let n = 0;
  const send = async (op: Acked['op'], camera: string, officer: string) => {
    const key = `k-${camera}-${n++}`;
    const body = op === 'check-out' ? { camera, officer, mode: 'pool' } : { camera, condition: 'ok' };
    while (!aborted) {
      let res: Response;
      try {
        res = await fetch(`${base.url}/api/v1/${op === 'check-out' ? 'checkouts' : 'checkins'}`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
      } catch {
        interrupted.count++;
        await sleep(100);
        continue; // the platform is down: retry the same key
      }
      const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
      if (res.ok) {
        const assignment = op === 'check-out' ? json?.id : (json?.assignment as { id?: string })?.id;
        acked.push({ op, camera, officer, assignment: String(assignment) });
        return;
      }
      if (res.status >= 500 || json?.type === '/problems/idempotency-request-in-progress') {
        if (res.status >= 500) interrupted.count++;
        await sleep(100);
        continue;
      }
      refusals.push(`${op} ${camera} ${officer} key ${key}: ${res.status} ${JSON.stringify(json)}`);
      return;
    }
  };
  const clients = pairs.map(async ([camera, officer]) => {
    while (!stopping) {
      await send('check-out', camera, officer);
      await send('check-in', camera, officer);
    }
  });
  return {
    acked,
    refusals,
    interrupted,
    /** Lets every client finish the operation it is in (retrying until answered), then stops. */
    async stop() {
      stopping = true;
      await Promise.all(clients);
    },
    /** Gives up at once (a failed test): no client waits for an answer any more. */
    abort() {
      stopping = true;
      aborted = true;
    },
    async until(count: number, ms = 120_000) {
      const deadline = Date.now() + ms;
      while (acked.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${acked.length} of ${count} operations answered`);
        await sleep(20);
      }
    },
  };
}

/** Reads the stopped platform's database with a FerretDB of our own on its data directory. */
async function assertInvariants(dataDir: string, acked: Acked[], pairs: Array<[string, string]>) {
  const db = await startEmbeddedDb(path.join(dataDir, 'db'));
  const mongo = await MongoClient.connect(db.uri);
  try {
    const d = mongo.db('bwv');
    const open = await d.collection('open_assignments').find().toArray();
    const closed = await d.collection('closed_assignments').find().toArray();
    const events = await d.collection('camera_events').find().toArray();
    const audit = (await d
      .collection('audit')
      .find({}, { projection: { _id: 0 } })
      .sort({ _id: 1 })
      .toArray()) as unknown as AuditEntryDoc[];

    // Every acknowledged check-out and check-in is there; nothing more (no double issue on retry).
    const checkOuts = acked.filter((a) => a.op === 'check-out').map((a) => a.assignment);
    const checkIns = acked.filter((a) => a.op === 'check-in').map((a) => a.assignment);
    const assignments = [...open, ...closed].map((a) => String(a.id));
    expect([...assignments].sort()).toEqual([...checkOuts].sort());
    expect(closed.map((c) => String(c.id)).sort()).toEqual([...checkIns].sort());

    // The register agrees with the last acknowledged operation of each camera's client.
    for (const [camera, officer] of pairs) {
      const last = acked.filter((a) => a.camera === camera).at(-1);
      const cam = await d.collection('cameras').findOne({ _id: camera as never });
      expect({ camera, status: cam?.status, holder: cam?.holder ?? null }).toEqual(
        last?.op === 'check-out'
          ? { camera, status: 'issued', holder: officer }
          : { camera, status: 'in_stock', holder: null },
      );
      expect(open.filter((o) => o.camera === camera).length).toBe(last?.op === 'check-out' ? 1 : 0);
    }

    // One history event and one audit entry per custody change, naming camera and officer.
    const count = (xs: string[]) =>
      xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
    const eventsBy = count(events.map((e) => `${String(e.type)}:${String(e.details?.assignment)}`));
    const auditBy = count(audit.filter((a) => a.key).map((a) => a.key!));
    for (const a of acked) {
      const key = `${a.op}:${a.assignment}`;
      expect({ key, events: eventsBy.get(key), audit: auditBy.get(key) }).toEqual({
        key,
        events: 1,
        audit: 1,
      });
      const entry = audit.find((e) => e.key === key)!;
      expect(entry.summary).toContain(a.camera);
      expect(entry.summary).toContain(a.officer);
    }
    expect(events.length).toBe(acked.length);

    const chain = d
      .collection('audit')
      .find({}, { projection: { _id: 0 } })
      .sort({ _id: 1 });
    expect(await verifyChain(chain as unknown as AsyncIterable<AuditEntryDoc>)).toMatchObject({ ok: true });
  } finally {
    await mongo.close();
    await db.stop();
  }
}

async function setUp(url: string) {
  const auth = await adminToken(url);
  const app = { http: () => request(url) } as unknown as TestApp;
  const station = await newStation(app, auth);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < CLIENTS; i++)
    pairs.push([await newCamera(app, auth, { station }), await newOfficer(app, auth, { station })]);
  return { auth, pairs };
}

describe('crash under check-out load', () => {
  const loads: Array<{ abort(): void }> = [];
  const dirs: string[] = [];
  afterEach(async () => {
    loads.splice(0).forEach((l) => l.abort());
    await killLeftoverPlatforms();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('survives kill -9 of the FerretDB child: restarted, /readyz back on its own, nothing acknowledged lost', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const random = rng(seed);
    console.log(`crash test (FerretDB kill) seed ${seed}`); // replay with CRASH_SEED
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bwv-crash-db-'));
    dirs.push(dataDir);
    const { p, url } = await start(dataDir);
    const { auth, pairs } = await setUp(url);
    const base = { url };
    const traffic = load(base, auth, pairs);
    loads.push(traffic);

    for (let kill = 0; kill < 2; kill++) {
      await traffic.until(traffic.acked.length + 20 + Math.floor(random() * 60));
      const ferret = descendantRunning(p.child.pid!, 'ferretdb');
      expect(ferret).toBeDefined();
      process.kill(ferret!, 'SIGKILL');
      const killedAt = Date.now();
      // Ready again by itself (restart after 0.5 s, then 1 s: backoff), with a new child.
      let status = 0;
      while (Date.now() - killedAt < 30_000) {
        status = (await request(url).get('/readyz')).status;
        if (status === 200 && descendantRunning(p.child.pid!, 'ferretdb') !== ferret) break;
        await sleep(100);
      }
      expect(status).toBe(200);
    }
    await traffic.until(traffic.acked.length + 60);
    await traffic.stop();
    expect(traffic.refusals).toEqual([]);
    expect(traffic.interrupted.count).toBeGreaterThan(0);

    const restarts = p.logs.filter((l) => l.msg === 'embedded FerretDB exited unexpectedly; restarting');
    expect(restarts.map((l) => l.level)).toEqual([50, 50]); // error, once per restart
    expect(p.logs.filter((l) => Number(l.level) >= 60)).toEqual([]); // nothing fatal
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
    await assertInvariants(dataDir, traffic.acked, pairs);
  }, 240_000);

  it('survives kill -9 of the platform: restarted on the same data, it finishes what was cut off', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const random = rng(seed);
    console.log(`crash test (platform kill) seed ${seed}`); // replay with CRASH_SEED
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bwv-crash-api-'));
    dirs.push(dataDir);
    let { p, url } = await start(dataDir);
    const { auth, pairs } = await setUp(url);
    const base = { url };
    const traffic = load(base, auth, pairs);
    loads.push(traffic);

    await traffic.until(20 + Math.floor(random() * 80));
    // The platform's node process (tsx runs it as a child), not the tsx wrapper: a real kill -9.
    const platform = descendantRunning(p.child.pid!, 'src/main.ts') ?? p.child.pid!;
    process.kill(platform, 'SIGKILL');
    await p.exit;
    ({ p, url } = await start(dataDir));
    base.url = url;
    await traffic.until(traffic.acked.length + 60);
    await traffic.stop();
    expect(traffic.refusals).toEqual([]);
    expect(traffic.interrupted.count).toBeGreaterThan(0);
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
    await assertInvariants(dataDir, traffic.acked, pairs);
  }, 240_000);
});
