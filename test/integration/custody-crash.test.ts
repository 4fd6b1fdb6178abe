// Finding 3: a custody change is several writes, and the process may die after any of them. Here
// the "process" is an AssignmentsService whose repository, register and audit trail stop dead after
// the k-th write (every later write fails too, as if the process were gone). Then recovery runs on
// the same database — start-up reconcile (itself interrupted once, then run again), or the client
// retrying with the same Idempotency-Key — and each custody change must be complete exactly once:
// camera status, open assignment, one history event and one audit entry naming camera and officer.
import { systemContext, type ActionContext } from '../../src/shared/index.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { AuditRepository, AuditService } from '../../src/audit/index.js';
import { AssignmentsRepository, AssignmentsService } from '../../src/assignments/index.js';
import { createConnection, type Connection } from '../../src/db/connection.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';

class Crash extends Error {}

const CUSTODY_ACTIONS = ['camera.check-out', 'camera.check-in', 'camera.fault', 'camera.lost'];

/** Methods that write: after the k-th of them completes, it and every later write throw. */
const WRITES = new Set([
  'claim',
  'release',
  'releaseExactly',
  'close',
  'addEvent',
  'openFault',
  'setFaultState',
  'markIssued',
  'setLifecycle',
  'record',
  'recordOnce',
]);

function crashAfter<T extends object>(target: T, state: { writes: number; crashAt: number }): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (!WRITES.has(String(prop))) return fn.bind(t);
      return async (...args: unknown[]) => {
        if (state.writes >= state.crashAt) throw new Crash('process already dead');
        const result = await fn.apply(t, args);
        if (++state.writes >= state.crashAt) throw new Crash(`died after write ${state.writes}`);
        return result;
      };
    },
  });
}

describe('custody survives a crash after any write', () => {
  let app: TestApp;
  let stores: Record<string, string>;
  let conn: Connection;
  let mongo: MongoClient;
  const ctx: ActionContext = { actor: { type: 'user', id: 'clerk-7' }, requestId: 'req-crash' };
  /** The camera and officer of the operation under test. */
  let current: { camera: string; officer: string } | undefined;

  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
    conn = createConnection();
    await conn.openUri(process.env.BWV_TEST_MONGODB_URI!, { dbName: app.dbName });
    mongo = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
  });
  afterAll(async () => {
    await mongo.close();
    await conn.close();
    await app.close();
  });

  /** An assignments service of a "process" that dies after its crashAt-th write. */
  function dyingProcess(crashAt: number) {
    const state = { writes: 0, crashAt };
    const { fleet, people } = app.platform.services;
    const service = new AssignmentsService(
      crashAfter(new AssignmentsRepository(conn), state),
      crashAfter(fleet, state),
      people,
      crashAfter(new AuditService(new AuditRepository(conn)), state),
      app.platform.events,
    );
    return { service, state };
  }

  let station: string;
  async function pair() {
    station ??= await newStation(app, stores);
    return {
      camera: await newCamera(app, stores, { station }),
      officer: await newOfficer(app, stores, { station }),
    };
  }

  const db = () => mongo.db(app.dbName);
  async function custody(camera: string) {
    const [cam, open, closed, events, audit] = await Promise.all([
      db()
        .collection('cameras')
        .findOne({ _id: camera as never }),
      db().collection('open_assignments').find({ camera }).toArray(),
      db().collection('closed_assignments').find({ camera }).toArray(),
      db().collection('camera_events').find({ camera }).toArray(),
      db()
        .collection('audit')
        .find({ 'target.id': camera, action: { $in: CUSTODY_ACTIONS } })
        .toArray(),
    ]);
    const faults = await db().collection('faults').find({ camera }).toArray();
    return {
      status: cam?.status as string,
      holder: cam?.holder as string | null,
      open: open.length,
      closed: closed.length,
      events: events.map((e) => `${String(e.type)}:${String(e.officer)}`).sort(),
      audit: audit.map((a) => `${String(a.action)}:${String(a.actor.id)}`).sort(),
      summaries: audit.map((a) => String(a.summary)),
      faults: faults.length,
    };
  }

  async function chainVerifies() {
    expect(await app.platform.services.audit.verify()).toMatchObject({ ok: true });
  }

  /** Recovery, itself dying after its j-th write, then run again to the end. */
  async function recoverInterrupted(j: number) {
    const { service } = dyingProcess(j);
    await service.reconcile(systemContext).catch((err: unknown) => {
      if (!(err instanceof Crash)) throw err;
    });
    await app.platform.services.assignments.reconcile(systemContext);
  }

  /** Runs `op` in a process dying after write k, for k = 0, 1, … until it completes uncrashed. */
  async function eachCrashPoint(
    op: (s: AssignmentsService) => Promise<unknown>,
    check: (k: number, completed: boolean) => Promise<void>,
  ) {
    for (let k = 0; ; k++) {
      const { service, state } = dyingProcess(k);
      let crashed = false;
      await op(service).catch((err: unknown) => {
        if (!(err instanceof Crash)) throw err;
        crashed = true;
      });
      await check(k, state.writes > 0);
      if (!crashed) return k;
    }
  }

  it('finishes an interrupted check-out at start-up, even when that recovery is interrupted too', async () => {
    const steps = await eachCrashPoint(
      async (s) => {
        const p = await pair();
        current = p;
        return s.checkOut({ ...p, mode: 'personal' }, ctx);
      },
      async (k, started) => {
        const { camera, officer } = current!;
        await recoverInterrupted(k % 3); // recovery dies after its 0th, 1st or 2nd write
        const c = await custody(camera);
        if (!started) {
          expect(c).toMatchObject({ status: 'in_stock', open: 0, events: [], audit: [] });
          return;
        }
        expect(c).toMatchObject({
          status: 'issued',
          holder: officer,
          open: 1,
          events: [`check-out:${officer}`],
          audit: ['camera.check-out:clerk-7'],
        });
        expect(c.summaries[0]).toContain(camera);
        expect(c.summaries[0]).toContain(officer);
      },
    );
    expect(steps).toBeGreaterThanOrEqual(4); // claim, status, audit entry, history event
    await chainVerifies();
  });
  it.each(['ok', 'damaged'] as const)(
    'finishes an interrupted check-in (%s) at start-up, even when that recovery is interrupted too',
    async (condition) => {
      const steps = await eachCrashPoint(
        async (s) => {
          const p = await pair();
          current = p;
          await app.platform.services.assignments.checkOut({ ...p, mode: 'pool' }, ctx);
          return s.checkIn({ camera: p.camera, condition, notes: 'dropped' }, ctx);
        },
        async (k, started) => {
          const { camera, officer } = current!;
          await recoverInterrupted(k % 4);
          const c = await custody(camera);
          if (!started) {
            expect(c).toMatchObject({ status: 'issued', holder: officer, open: 1, closed: 0 });
            expect(c.events).toEqual([`check-out:${officer}`]);
            return;
          }
          expect(c).toMatchObject({
            status: condition === 'ok' ? 'in_stock' : 'faulty',
            holder: null,
            open: 0,
            closed: 1,
            events: [`check-in:${officer}`, `check-out:${officer}`],
            audit:
              condition === 'ok'
                ? ['camera.check-in:clerk-7', 'camera.check-out:clerk-7']
                : ['camera.check-in:clerk-7', 'camera.check-out:clerk-7', 'camera.fault:clerk-7'],
            faults: condition === 'ok' ? 0 : 1,
          });
          expect(c.summaries.find((s) => s.includes('returned'))).toContain(officer);
        },
      );
      expect(steps).toBeGreaterThanOrEqual(condition === 'ok' ? 5 : 7);
      await chainVerifies();
    },
  );

  it('lets a retry with the same Idempotency-Key finish its own interrupted check-out and check-in', async () => {
    await eachCrashPoint(
      async (s) => {
        const p = await pair();
        current = p;
        return s.checkOut({ ...p, mode: 'pool' }, ctx, `stores\n${p.camera}`);
      },
      async (k, started) => {
        const { camera, officer } = current!;
        const out = await app.platform.services.assignments.checkOut(
          { camera, officer, mode: 'pool' },
          ctx,
          `stores\n${camera}`,
        );
        expect(out).toMatchObject({ camera, officer });
        const again = await app.platform.services.assignments.checkOut(
          { camera, officer, mode: 'pool' },
          ctx,
          `stores\n${camera}`,
        );
        expect(again.id).toBe(out.id);
        const c = await custody(camera);
        expect(c).toMatchObject({
          status: 'issued',
          holder: officer,
          open: 1,
          events: [`check-out:${officer}`],
          audit: ['camera.check-out:clerk-7'],
        });
        expect(started || k === 0).toBe(true);
      },
    );
    await eachCrashPoint(
      async (s) => {
        const p = await pair();
        current = p;
        await app.platform.services.assignments.checkOut({ ...p, mode: 'pool' }, ctx);
        return s.checkIn({ camera: p.camera, condition: 'ok' }, ctx, `stores\nin-${p.camera}`);
      },
      async () => {
        const { camera, officer } = current!;
        const back = await app.platform.services.assignments.checkIn(
          { camera, condition: 'ok' },
          ctx,
          `stores\nin-${camera}`,
        );
        expect(back.assignment).toMatchObject({ camera, officer, condition: 'ok' });
        expect(back.camera).toMatchObject({ status: 'in_stock' });
        const c = await custody(camera);
        expect(c).toMatchObject({
          status: 'in_stock',
          open: 0,
          closed: 1,
          events: [`check-in:${officer}`, `check-out:${officer}`],
          audit: ['camera.check-in:clerk-7', 'camera.check-out:clerk-7'],
        });
      },
    );
    await chainVerifies();
  });

  it('a periodic sweep finishes what a process that never restarts left behind', async () => {
    const p = await pair();
    const { service } = dyingProcess(1); // dies right after claiming
    await expect(service.checkOut({ ...p, mode: 'pool' }, ctx)).rejects.toBeInstanceOf(Crash);
    const errors: unknown[] = [];
    const sweep = app.platform.services.assignments.startSweep(50, (err) => errors.push(err), 200);
    try {
      for (let i = 0; i < 100 && (await custody(p.camera)).audit.length === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      sweep.stop();
    }
    expect(await custody(p.camera)).toMatchObject({
      status: 'issued',
      holder: p.officer,
      events: [`check-out:${p.officer}`],
      audit: ['camera.check-out:clerk-7'],
    });
    expect(errors).toEqual([]);
  });
});
