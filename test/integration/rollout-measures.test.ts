// The rollout's measures on the running platform: readiness boards that count in-scope officers,
// readiness samples and desk records that are never double counted (two "processes": two
// connections, two histories, two flows on the same events), the evidential mark on clips, and a
// phase's metrics and the report's data from real check-outs, returns, losses and clips.
// The rollout's ports (scope, phases, budget, concerns) are plain data here: a phase directory over
// an array of phases, a scope computed from it with the shared eligibility rule, a budget object.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createConnection, type Connection } from '../../src/db/connection.js';
import { rolloutMeasures } from '../../src/flows/rollout-measures.flow.js';
import {
  buildRolloutMeasures,
  isEligible,
  readinessScope,
  type Budget,
  type Phase,
  type PhaseDirectory,
  type RolloutMeasures,
  type RolloutScope,
} from '../../src/rollout/index.js';
import { MetricsRepository } from '../../src/rollout/metrics.repository.js';
import { dayKey, minuteKey } from '../../src/rollout/metrics.maths.js';
import type { ReadinessBoard } from '../../src/realtime/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newDock, newOfficer, newShiftNow, newStation } from '../helpers/factories.js';
import { connect, sessionFor, type LiveClient } from '../helpers/live.js';
import { credentialsFor, eventually } from '../helpers/mqtt.js';
import { offload, sha256 } from '../helpers/offload.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies checked by shape
type Json = Record<string, any>;

const HOUR = 3_600_000;

describe('rollout measures', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let inspector: Record<string, string>;
  const conns: Connection[] = [];
  const stops: Array<() => unknown> = [];
  const sockets: LiveClient[] = [];
  /** Two processes' worth of measures over the same database. */
  let a: RolloutMeasures;
  let b: RolloutMeasures;
  const phases: Phase[] = [];
  const budget: Budget = {
    businessCase: { total: 1_400_000, years: 3, currency: 'GBP', note: 'test' },
    costLines: [],
    tranches: [],
    savings: { total: 0, entries: [] },
    released: 0,
    committed: 0,
    spent: 0,
    headroom: 0,
    forecastToCompletion: 0,
    phases: [],
  };

  const directory: PhaseDirectory = {
    list: () => Promise.resolve(phases.map((p) => ({ ...p }))),
    get: (id) => Promise.resolve(phases.find((p) => p.id === id) ?? null),
  };
  const started = () => phases.filter((p) => ['active', 'in-review', 'complete'].includes(p.status));
  const scope: RolloutScope = {
    active: () => Promise.resolve(started().length > 0),
    inScope: (o) => Promise.resolve(started().some((p) => isEligible(o, p.rule))),
  };

  const phase = (over: Partial<Phase> & Pick<Phase, 'id' | 'rule'>): Phase => {
    const now = new Date().toISOString();
    return {
      order: phases.length + 1,
      name: `Phase ${over.id}`,
      description: '',
      targetHeadcount: 4,
      plannedStart: new Date(Date.now() - 2 * HOUR).toISOString(),
      plannedEnd: new Date(Date.now() + 30 * 24 * HOUR).toISOString(),
      issueMode: 'pool',
      sparePercent: 10,
      status: 'planned',
      committed: null,
      approval: null,
      activatedAt: null,
      completedAt: null,
      gateReviews: [],
      createdBy: 'lead',
      createdAt: now,
      updatedAt: now,
      ...over,
    };
  };

  const measures = async () => {
    const conn = createConnection();
    await conn.openUri(process.env.BWV_TEST_MONGODB_URI!, { dbName: app.dbName });
    conns.push(conn);
    const s = app.platform.services;
    return buildRolloutMeasures({
      conn,
      people: s.people,
      assignments: s.assignments,
      fleet: s.fleet,
      clips: s.clips,
      phases: directory,
      budget: { summary: () => Promise.resolve(budget) },
      concerns: { counts: () => Promise.resolve([{ category: 'privacy', outcome: 'open', count: 2 }]) },
      log: app.platform.log,
    });
  };

  beforeAll(async () => {
    app = await startApp({ READINESS_REFRESH_S: '1', REDACTION_WORKER: 'off' });
    admin = await app.as('admin');
    inspector = await app.as('inspector');
    a = await measures();
    b = await measures();
    const s = app.platform.services;
    s.readiness.useScope(readinessScope(scope, s.people));
    for (const m of [a, b]) {
      stops.push(
        rolloutMeasures({
          events: app.platform.events,
          history: m.history,
          readiness: s.readiness,
          stations: async () => (await s.people.listStations()).map((x) => x.code),
          inStock: async (station) => (await s.fleet.stock(station)).byStatus.in_stock,
          dockStation: (dock) =>
            s.fleet.dock(dock).then(
              (d) => d.station,
              () => null,
            ),
          sampleEveryMs: 2_000,
          foldEveryMs: HOUR,
          log: app.platform.log,
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    sockets.forEach((x) => x.close());
    stops.forEach((stop) => stop());
    await app?.close(); // first: its readiness refreshes still hand boards to the histories
    await Promise.all(conns.map((c) => c.close()));
  });

  const checkOut = (camera: string, officer: string) =>
    app.http().post('/api/v1/checkouts').set(admin).send({ camera, officer, mode: 'pool' });
  const board = async (station: string) =>
    (await app.http().get(`/api/v1/stations/${station}/readiness`).set(inspector).expect(200))
      .body as ReadinessBoard;

  it('counts in-scope officers, shows the others apart, and counts everyone while no phase has started', async () => {
    const station = await newStation(app, admin);
    const [afo1, afo2, plain] = await Promise.all([
      newOfficer(app, admin, { station, qualifications: ['AFO'] }),
      newOfficer(app, admin, { station, qualifications: ['AFO', 'TASER'] }),
      newOfficer(app, admin, { station }),
    ]);
    await newShiftNow(app, admin, station, [afo1, afo2, plain]);
    const camera = await newCamera(app, admin, { station });
    await checkOut(camera, afo1).expect(201);

    // A phase planned (not started): today's behaviour, every officer counts.
    const afo = phase({
      id: `afo-${station}`,
      rule: { qualifications: ['AFO'], teams: [], stations: [station] },
    });
    phases.push(afo);
    const before = await board(station);
    expect(before).toMatchObject({ scoped: false, onDuty: 3, outOfScope: [] });
    expect(before.officers.map((o) => o.inScope)).toEqual([true, true, true]);

    // Activated: the AFO officers count; the other is listed apart and not counted.
    afo.status = 'active';
    afo.activatedAt = new Date(Date.now() - HOUR).toISOString();
    const after = await board(station);
    expect(after.scoped).toBe(true);
    expect(after.onDuty).toBe(2);
    expect(after.officers.map((o) => o.officer).sort()).toEqual([afo1, afo2].sort());
    expect(after.officers.every((o) => o.inScope)).toBe(true);
    expect(after.outOfScope).toEqual([
      expect.objectContaining({ officer: plain, inScope: false, rag: 'red', reasons: ['no camera issued'] }),
    ]);
    // In scope, on shift, no camera: red as before.
    expect(after.officers.find((o) => o.officer === afo2)).toMatchObject({ rag: 'red', camera: null });
    expect(after.working).toBe(after.officers.filter((o) => o.rag === 'green').length);

    // The live feed sends the same board.
    const session = await sessionFor(app, 'inspector', station);
    const sock = connect(app, session.cookie);
    sockets.push(sock);
    await new Promise((r) => sock.once('connect', () => r(undefined)));
    const reply = await sock.emitWithAck('readiness:watch', station);
    expect(reply.ok && reply.data).toMatchObject({
      scoped: true,
      onDuty: 2,
      outOfScope: [expect.objectContaining({ officer: plain, inScope: false })],
    });
  });

  it('keeps one readiness sample per station and minute, however many processes record it', async () => {
    const station = await newStation(app, admin);
    const officers = await Promise.all(
      [1, 2, 3].map(() => newOfficer(app, admin, { station, qualifications: ['TASER'] })),
    );
    await newShiftNow(app, admin, station, officers);
    phases.push(
      phase({
        id: `taser-${station}`,
        status: 'active',
        activatedAt: new Date(Date.now() - HOUR).toISOString(),
        rule: { qualifications: ['TASER'], teams: [], stations: [station] },
      }),
    );
    // Ten minutes ago (the shift started an hour ago): a minute the flows' sweeps never sample.
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000 + 30_000);
    const boards = await Promise.all(
      Array.from({ length: 6 }, () => app.platform.services.readiness.board(station, minute)),
    );
    // Each board computed is recorded as its minute's sample (readiness's sink): six boards of one
    // minute raced, and the one kept leaves nothing for another writer of that minute.
    await eventually(async () => {
      const kept = await new MetricsRepository(conns[0]!).rawSamples(dayKey(minute), dayKey(minute), [
        station,
      ]);
      return kept.some((k) => k._id === `${station}|${minuteKey(minute)}`);
    });
    const late = await Promise.all([a.history.recordSample(boards[0]!), b.history.recordSample(boards[1]!)]);
    expect(late).toEqual([false, false]);
    // The next minute's board, written by twenty writers at once from two processes: one wins.
    const next = { ...boards[0]!, at: new Date(minute.getTime() + 60_000).toISOString() };
    const wins = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).history.recordSample(next)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const day = (m: RolloutMeasures) =>
      m.history.readinessDays({ from: minute, to: minute, stations: [station] });
    const [raw] = await day(a);
    // The sweeps (every 2 s in both flows) may have added this minute's and later minutes' samples:
    // each minute once, three officers on shift without a camera each time.
    expect(raw).toMatchObject({ station, working: 0, noCamera: [...officers].sort() });
    expect(raw!.onShift).toBe(3 * raw!.samples);
    expect(raw!.samples).toBeLessThanOrEqual(Math.ceil((Date.now() - minute.getTime()) / 60_000) + 1);

    // Folding the day (as if it had closed), by both processes at once: one day record, same sums.
    const later = new Date(minute.getTime() + 2 * 24 * HOUR);
    for (const stop of stops) stop(); // no more sweeps: the day is closed
    stops.length = 0;
    await Promise.all([a.history.fold(later), b.history.fold(later), a.history.fold(later)]);
    const [folded] = await day(b);
    // The platform's own readiness refresh keeps sampling the current minute until the fold: a new
    // minute may have begun since `raw` was read, adding its one sample, never more.
    expect(folded).toEqual({
      ...raw,
      noCamera: [...officers].sort(),
      samples: expect.any(Number),
      onShift: 3 * folded!.samples,
    });
    expect(folded!.samples - raw!.samples).toBeGreaterThanOrEqual(0);
    expect(folded!.samples - raw!.samples).toBeLessThanOrEqual(1);
    const repo = new MetricsRepository(conns[0]!);
    expect(await repo.rawSamples(dayKey(minute), dayKey(minute), [station])).toEqual([]);
    expect(await repo.readinessDaysIn(dayKey(minute), dayKey(minute), [station])).toHaveLength(1);
  });

  it('counts desk issues and times the desk had no camera from real check-outs, once across processes', async () => {
    // The flows were stopped by the test before: two fresh ones, as two processes would run them.
    const s = app.platform.services;
    for (const m of [a, b]) {
      stops.push(
        rolloutMeasures({
          events: app.platform.events,
          history: m.history,
          readiness: s.readiness,
          stations: () => Promise.resolve([]),
          inStock: async (station) => (await s.fleet.stock(station)).byStatus.in_stock,
          dockStation: (dock) =>
            s.fleet.dock(dock).then(
              (d) => d.station,
              () => null,
            ),
          sampleEveryMs: HOUR,
          foldEveryMs: HOUR,
          log: app.platform.log,
        }),
      );
    }
    const station = await newStation(app, admin);
    const officers = await Promise.all(Array.from({ length: 9 }, () => newOfficer(app, admin, { station })));
    const cameras = await Promise.all(Array.from({ length: 8 }, () => newCamera(app, admin, { station })));
    // Shift change: eight check-outs at once.
    const issued = await Promise.all(cameras.map((c, i) => checkOut(c, officers[i]!)));
    expect(issued.map((r) => r.status)).toEqual(cameras.map(() => 201));
    // The ninth officer: the shelf is empty, the desk tries a camera that is out.
    const refused = await checkOut(cameras[0]!, officers[8]!).expect(409);
    expect((refused.body as Json).type).toMatch(/camera-already-issued$/);

    // Another station with a camera still on the shelf: a refusal there is not "no camera".
    const other = await newStation(app, admin);
    const [o1, o2] = await Promise.all([
      newOfficer(app, admin, { station: other }),
      newOfficer(app, admin, { station: other }),
    ]);
    const [c1] = await Promise.all([
      newCamera(app, admin, { station: other }),
      newCamera(app, admin, { station: other }),
    ]);
    await checkOut(c1, o1).expect(201);
    await checkOut(c1, o2).expect(409);

    const now = new Date();
    const week = await eventually(async () => {
      const weeks = await b.metrics.weekly({ stations: [station, other], from: now, to: now });
      const mine = weeks.find((w) => w.station === station);
      return mine?.deskIssues === 8 && mine.deskNoCamera === 1 && weeks;
    });
    expect(week.find((w) => w.station === station)).toMatchObject({ deskIssues: 8, deskNoCamera: 1 });
    expect(week.find((w) => w.station === other)).toMatchObject({ deskIssues: 1, deskNoCamera: 0 });
    // Still so a moment later (no late duplicates from the second process).
    await new Promise((r) => setTimeout(r, 500));
    const again = await a.metrics.weekly({ stations: [station], from: now, to: now });
    expect(again).toEqual([expect.objectContaining({ station, deskIssues: 8, deskNoCamera: 1 })]);
  });

  it('lets a reviewer mark a clip evidential, audited, and nobody else', async () => {
    const station = await newStation(app, admin);
    const officer = await newOfficer(app, admin, { station });
    const camera = await newCamera(app, admin, { station });
    const dock = await newDock(app, admin, { station });
    await checkOut(camera, officer).expect(201);
    const creds = await credentialsFor(app, admin, 'dock', dock, { registered: true });
    const bytes = randomBytes(4096);
    const up = await offload(app.url, creds, bytes, {
      camera,
      recordedFrom: new Date(Date.now() - 120_000),
      recordedTo: new Date(Date.now() - 60_000),
    });
    expect(up.status).toBe(201);
    const id = sha256(bytes);
    const events: Json[] = [];
    stops.push(app.platform.events.on('clip.evidential-changed', ({ data }) => events.push(data)));

    const reviewer = await app.as('reviewer');
    for (const role of ['inspector', 'auditor', 'stores'] as const) {
      await app
        .http()
        .put(`/api/v1/clips/${id}/evidential`)
        .set(await app.as(role))
        .send({ evidential: true, reason: 'not mine to say' })
        .expect(403);
    }
    await app
      .http()
      .put(`/api/v1/clips/${id}/evidential`)
      .set(reviewer)
      .send({ evidential: true })
      .expect(400);
    const res = await app
      .http()
      .put(`/api/v1/clips/${id}/evidential`)
      .set(reviewer)
      .send({ evidential: true, reason: 'Shows the arrest; case 4411' })
      .expect(200);
    expect(res.body).toMatchObject({
      id,
      evidential: true,
      evidentialMark: { evidential: true, reason: 'Shows the arrest; case 4411' },
    });
    const got = (await app.http().get(`/api/v1/clips/${id}`).set(inspector).expect(200)).body as Json;
    expect(got.evidential).toBe(true);
    const audit = (
      await app.http().get(`/api/v1/audit?targetKind=clip&targetId=${id}`).set(admin).expect(200)
    ).body as Json;
    expect(audit.items.map((e: Json) => e.action as string)).toContain('clip.evidential.mark');
    await eventually(async () => Promise.resolve(events.length === 1));
    expect(events).toEqual([{ clipId: id, evidential: true }]);
    // Setting what is set records nothing more.
    await app
      .http()
      .put(`/api/v1/clips/${id}/evidential`)
      .set(reviewer)
      .send({ evidential: true, reason: 'again' })
      .expect(200);
    const audit2 = (
      await app.http().get(`/api/v1/audit?targetKind=clip&targetId=${id}`).set(admin).expect(200)
    ).body as Json;
    expect(audit2.items.filter((e: Json) => e.action === 'clip.evidential.mark')).toHaveLength(1);
  });

  it("measures a phase from the platform's own records, and gathers the report's data", async () => {
    const station = await newStation(app, admin);
    const officers = await Promise.all(
      Array.from({ length: 4 }, () => newOfficer(app, admin, { station, qualifications: ['CUSTODY'] })),
    );
    const outsider = await newOfficer(app, admin, { station });
    const cameras = await Promise.all(Array.from({ length: 5 }, () => newCamera(app, admin, { station })));
    const dock = await newDock(app, admin, { station });
    const ph = phase({
      id: `custody-${station}`,
      status: 'active',
      activatedAt: new Date(Date.now() - 60_000).toISOString(),
      targetHeadcount: 4,
      rule: { qualifications: ['CUSTODY'], teams: [], stations: [station] },
    });
    phases.push(ph);
    budget.phases.push({
      phase: ph.id,
      name: ph.name,
      status: 'active',
      estimate: 9000,
      committed: 9000,
      spent: 6000,
    });

    // Three of four phase officers equipped; one returns the camera faulty, one loses theirs; the
    // outsider's camera and clips do not count.
    await checkOut(cameras[0]!, officers[0]!).expect(201);
    await checkOut(cameras[1]!, officers[1]!).expect(201);
    await checkOut(cameras[2]!, officers[2]!).expect(201);
    await checkOut(cameras[4]!, outsider).expect(201);
    const creds = await credentialsFor(app, admin, 'dock', dock, { registered: true });
    const clips: string[] = [];
    for (const camera of [cameras[0]!, cameras[0]!, cameras[1]!, cameras[4]!]) {
      const bytes = randomBytes(2048);
      const up = await offload(app.url, creds, bytes, {
        camera,
        // Recorded since the check-outs above, so the clip's holder is the phase officer.
        recordedFrom: new Date(),
        recordedTo: new Date(Date.now() + 18_000),
      });
      expect(up.status).toBe(201);
      clips.push(sha256(bytes));
    }
    const reviewer = await app.as('reviewer');
    await app
      .http()
      .put(`/api/v1/clips/${clips[0]!}/evidential`)
      .set(reviewer)
      .send({ evidential: true, reason: 'Evidence in a custody complaint' })
      .expect(200);
    await app
      .http()
      .post('/api/v1/checkins')
      .set(admin)
      .send({ camera: cameras[1]!, condition: 'faulty', notes: 'does not record' })
      .expect(200);
    await app
      .http()
      .post(`/api/v1/cameras/${cameras[2]!}/lost`)
      .set(admin)
      .send({ reason: 'lost', details: 'dropped in a foot chase' })
      .expect(200);

    const at = new Date();
    const m = await a.metrics.forPhase(ph, at);
    expect(m).toMatchObject({
      phase: ph.id,
      officersInScope: 4,
      officersEquipped: 3,
      clipsOffloaded: 3,
      evidentialShare: 1 / 3,
      clipsRedacted: 0,
      faultsPer100Cameras: 100 / 3,
      lossesPer100Cameras: 100 / 3,
      spent: 6000,
      costPerEquippedOfficer: 2000,
      deskNoCamera: 0,
    });
    expect(m.hoursRecorded).toBeCloseTo(0, 1);
    expect(m.deskAvailability).toBe(1);
    // A phase not started measures nobody.
    const planned = await a.metrics.forPhase({ ...ph, status: 'planned', activatedAt: null }, at);
    expect(planned).toMatchObject({ officersInScope: 0, officersEquipped: 0, clipsOffloaded: 0 });

    const report = await b.reportSource.gather(at);
    const row = report.phases.find((p) => p.name === ph.name);
    expect(row).toMatchObject({
      status: 'active',
      targetHeadcount: 4,
      gate: null,
      metrics: { officersEquipped: 3 },
    });
    expect(report.curve.at(-1)!.actualEquipped).toBeGreaterThanOrEqual(3);
    expect(report.curve.at(-1)!.month).toBe(at.toISOString().slice(0, 7));
    expect(report.concerns).toEqual([{ category: 'privacy', outcome: 'open', count: 2 }]);
    expect(report.programme.businessCase).toBe(1_400_000);
    // Aggregates only: no officer number or camera serial anywhere in it.
    const text = JSON.stringify(report);
    for (const id of [...officers, outsider, ...cameras]) expect(text).not.toContain(id);
  });
});
