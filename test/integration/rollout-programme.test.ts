// The rollout programme through its API against the real platform: phases and who may move them,
// the two-person rule, the funding gate (refused while unfunded, accepted once savings release a
// tranche, a board override with its reason audited), races settled by claimed inserts (a tranche
// released once under concurrent savings, one transition from concurrent approvals), gate reviews,
// the planner on a small roster, concerns and the stores' issue list.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';

type Headers = Record<string, string>;
interface Phase {
  id: string;
  order: number;
  status: string;
  committed: number | null;
  approval: { by: string; override: { reason: string } | null } | null;
  gateReviews: Array<{ decision: string; metrics: { officersInScope: number; officersEquipped: number } }>;
  completedAt: string | null;
}

let app: TestApp;
let admin: Headers;
let lead: Headers;
let board: Headers;
let board2: Headers;
let stores: Headers;
let inspector: Headers;
let auditor: Headers;

const api = () => app.http();
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function audit(q: Record<string, string>) {
  const res = await api()
    .get('/api/v1/audit')
    .query({ limit: '500', ...q })
    .set(admin)
    .expect(200);
  return (
    res.body as { items: Array<{ action: string; summary: string; changes: Record<string, unknown> | null }> }
  ).items;
}

async function propose(fields: Record<string, unknown>, who = lead): Promise<Phase> {
  const res = await api()
    .post('/api/v1/rollout/phases')
    .set(who)
    .send({
      name: 'Phase',
      rule: { qualifications: [], teams: [], stations: [] },
      targetHeadcount: 10,
      plannedStart: day(1),
      plannedEnd: day(90),
      issueMode: 'personal',
      sparePercent: 10,
      ...fields,
    });
  expect(res.status).toBe(201);
  return res.body as Phase;
}

const post = (path: string, who: Headers, body: object = {}) =>
  api().post(`/api/v1/rollout${path}`).set(who).send(body);

beforeAll(async () => {
  app = await startApp();
  admin = await app.as('admin');
  [lead, board, board2, stores, inspector, auditor] = await Promise.all([
    app.as('programme-lead'),
    app.as('board'),
    app.as('board'),
    app.as('stores'),
    app.as('inspector'),
    app.as('auditor'),
  ]);
  await api()
    .put('/api/v1/rollout/budget/cost-lines')
    .set(board)
    .send([
      { kind: 'camera', label: 'Camera and mount', unitCost: 500 },
      { kind: 'dock-bay', label: 'Dock bay', unitCost: 100 },
      { kind: 'licence', label: 'Licence per officer-year', unitCost: 0 },
      { kind: 'storage-tb', label: 'Storage per TB-year', unitCost: 0 },
      { kind: 'staff-hour', label: 'Staff hour', unitCost: 0 },
    ])
    .expect(200);
}, 60_000);
afterAll(() => app.close());

describe('rollout roles', () => {
  it('keeps the programme lead and the board out of the registers, in their own session', async () => {
    for (const who of [lead, board]) {
      expect((await api().get('/api/v1/officers').set(who)).status).toBe(403);
      expect((await api().get('/api/v1/cameras').set(who)).status).toBe(403);
      expect((await api().get('/api/v1/shifts').set(who)).status).toBe(403);
      expect((await api().get('/api/v1/me').set(who)).status).toBe(200);
      expect((await api().get('/api/v1/rollout/budget').set(who)).status).toBe(200);
    }
  });

  it('lets each role do its own part only', async () => {
    const base = { rule: { qualifications: ['AFO'] }, plannedStart: day(1), plannedEnd: day(30) };
    const body = { name: 'X', targetHeadcount: 1, issueMode: 'pool', ...base };
    expect((await post('/phases', board, body)).status).toBe(403);
    expect((await post('/phases', inspector, body)).status).toBe(403);
    expect((await api().get('/api/v1/rollout/phases').set(inspector)).status).toBe(200);
    expect((await api().get('/api/v1/rollout/budget').set(inspector)).status).toBe(403);
    expect((await api().get('/api/v1/rollout/phases').set(stores)).status).toBe(403);
    expect((await api().get('/api/v1/rollout/budget').set(auditor)).status).toBe(200);
    expect((await post('/budget/savings', auditor, { amount: 1 })).status).toBe(403);
    const p = await propose({
      name: 'Roles phase',
      rule: { qualifications: ['CUSTODY'], stations: ['ZZNONE'] },
    });
    expect((await post(`/phases/${p.id}/approve`, lead)).status).toBe(403);
    expect((await post(`/phases/${p.id}/activate`, board)).status).toBe(403);
    expect((await post(`/phases/${p.id}/gate`, lead, { decision: 'proceed', rationale: 'x' })).status).toBe(
      403,
    );
  });
});

describe('phases', () => {
  it('lists phases in order and edits a planned phase only', async () => {
    const a = await propose({ name: 'Order A', rule: { qualifications: ['CUSTODY'], stations: ['ZZNONE'] } });
    const b = await propose({ name: 'Order B', rule: { qualifications: ['CUSTODY'], stations: ['ZZNONE'] } });
    expect(b.order).toBeGreaterThan(a.order);
    const list = (await api().get('/api/v1/rollout/phases').set(board).expect(200)).body as Phase[];
    const orders = list.map((p) => p.order);
    expect(orders).toEqual([...orders].sort((x, y) => x - y));
    const edited = await api()
      .patch(`/api/v1/rollout/phases/${a.id}`)
      .set(lead)
      .send({ name: 'Order A (edited)', sparePercent: 25 })
      .expect(200);
    expect(edited.body).toMatchObject({ name: 'Order A (edited)', sparePercent: 25, status: 'planned' });
    const bad = await api()
      .patch(`/api/v1/rollout/phases/${a.id}`)
      .set(lead)
      .send({ plannedEnd: '2000-01-01' });
    expect(bad.status).toBe(400);
    expect((await api().get('/api/v1/rollout/phases/ph_000000000000').set(board)).status).toBe(404);
  });

  it('refuses a change the status does not allow (409) and the proposer approving (403)', async () => {
    const p = await propose(
      { name: 'Two person', rule: { qualifications: ['CUSTODY'], stations: ['ZZNONE'] } },
      admin,
    );
    const early = await post(`/phases/${p.id}/activate`, lead);
    expect(early.status).toBe(409);
    expect(early.body.type).toBe('/problems/rollout-phase-transition-invalid');
    const own = await post(`/phases/${p.id}/approve`, admin);
    expect(own.status).toBe(403);
    expect(own.body.type).toBe('/problems/rollout-same-person');
    expect((await post(`/phases/${p.id}/approve`, board)).status).toBe(200);
    const edit = await api().patch(`/api/v1/rollout/phases/${p.id}`).set(lead).send({ name: 'late' });
    expect(edit.status).toBe(409);
    expect((await post(`/phases/${p.id}/approve`, board2)).status).toBe(409);
    const audited = await audit({ targetId: p.id });
    expect(audited.map((e) => e.action).sort()).toEqual(['rollout.phase.approved', 'rollout.phase.propose']);
  });
});

describe('funding gate under concurrency', () => {
  it('lets only one of two phases through when they are approved at the same moment', async () => {
    const s = await newStation(app, admin);
    for (let i = 0; i < 2; i++) await newOfficer(app, admin, { station: s, qualifications: ['CUSTODY'] });
    const rule = { qualifications: ['CUSTODY'], stations: [s] };
    // Each: 2 cameras × £500 + 2 bays × £100 = £1,200; released funds for one and a half.
    const p1 = await propose({ name: 'Funding race 1', rule, sparePercent: 0 });
    const p2 = await propose({ name: 'Funding race 2', rule, sparePercent: 0 });
    const before = (await api().get('/api/v1/rollout/budget').set(board).expect(200)).body as {
      headroom: number;
    };
    await post('/budget/tranches', board, {
      name: 'Race headroom',
      amount: 1_800 - before.headroom,
      trigger: 0,
    }).expect(201);
    const [a, b] = await Promise.all([
      post(`/phases/${p1.id}/approve`, board),
      post(`/phases/${p2.id}/approve`, board2),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((a.status === 409 ? a : b).body.type).toBe('/problems/rollout-unfunded');
    const after = (await api().get('/api/v1/rollout/budget').set(board).expect(200)).body as {
      headroom: number;
    };
    expect(after.headroom).toBe(600);
  });
});

describe('funding gate, gates and the planner', () => {
  let station: string;
  let officers: string[];

  beforeAll(async () => {
    station = await newStation(app, admin);
    officers = [];
    for (let i = 0; i < 4; i++)
      officers.push(await newOfficer(app, admin, { station, qualifications: ['TASER'] }));
    await newOfficer(app, admin, { station, qualifications: ['PCSO'] });
  });

  it('refuses an unfunded approval, then accepts it once savings release a tranche', async () => {
    // 4 officers, personal, 0% spare: 4 cameras × £500 + 4 bays × £100 = £2,400.
    const p = await propose({
      name: 'Taser',
      rule: { qualifications: ['TASER'], stations: [station] },
      sparePercent: 0,
    });
    await post('/budget/tranches', board, { name: 'Savings tranche', amount: 3_000, trigger: 1_000 }).expect(
      201,
    );
    const before = (await api().get('/api/v1/rollout/budget').set(board).expect(200)).body as {
      released: number;
      committed: number;
    };
    const refused = await post(`/phases/${p.id}/approve`, board);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('/problems/rollout-unfunded');
    expect(refused.body.detail).toContain('£2,400');
    expect(refused.body.detail).toContain(`£${before.released.toLocaleString('en-GB')} released`);
    expect(((await api().get(`/api/v1/rollout/phases/${p.id}`).set(board)).body as Phase).status).toBe(
      'planned',
    );

    await post('/budget/savings', lead, { amount: 600, note: 'Overtime budget' }).expect(201);
    expect((await post(`/phases/${p.id}/approve`, board)).status).toBe(409);
    const saved = await post('/budget/savings', board, { amount: 400, note: 'Estates' }).expect(201);
    expect(saved.body.released).toBe(before.released + 3_000);

    const ok = await post(`/phases/${p.id}/approve`, board).expect(200);
    expect(ok.body).toMatchObject({ status: 'approved', committed: 2_400, approval: { override: null } });
    const budget = (await api().get('/api/v1/rollout/budget').set(board).expect(200)).body as {
      committed: number;
      headroom: number;
    };
    expect(budget.committed).toBe(before.committed + 2_400);

    // Activate, review, extend, review again, proceed: two gate reviews with frozen metrics.
    await post(`/phases/${p.id}/activate`, lead).expect(200);
    await post(`/phases/${p.id}/review`, lead).expect(200);
    const ext = await post(`/phases/${p.id}/gate`, board, {
      decision: 'extend',
      rationale: 'Too few equipped yet',
    });
    expect(ext.status).toBe(200);
    expect(ext.body.status).toBe('active');
    await post(`/phases/${p.id}/review`, lead).expect(200);
    const hold = await post(`/phases/${p.id}/gate`, board, {
      decision: 'hold',
      rationale: 'Waiting for figures',
    });
    expect(hold.body.status).toBe('in-review');
    const done = (
      await post(`/phases/${p.id}/gate`, board2, { decision: 'proceed', rationale: 'Benefits shown' }).expect(
        200,
      )
    ).body as Phase;
    expect(done.status).toBe('complete');
    expect(done.completedAt).not.toBeNull();
    expect(done.gateReviews.map((g) => g.decision)).toEqual(['extend', 'hold', 'proceed']);
    expect(done.gateReviews[2]!.metrics).toMatchObject({ officersInScope: 4, officersEquipped: 0 });
    expect(
      (await post(`/phases/${p.id}/gate`, board, { decision: 'proceed', rationale: 'again' })).status,
    ).toBe(409);

    const actions = (await audit({ targetId: p.id })).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'rollout.phase.approved',
        'rollout.phase.activated',
        'rollout.phase.review-started',
        'rollout.phase.gate-extend',
        'rollout.phase.gate-hold',
        'rollout.phase.gate-proceed',
      ]),
    );
  });

  it('lets the board override an unfunded approval with a reason, audited', async () => {
    const p = await propose({
      name: 'Override',
      rule: { qualifications: ['TASER'], stations: [station] },
      sparePercent: 200,
    });
    expect((await post(`/phases/${p.id}/approve`, board)).status).toBe(409);
    expect((await post(`/phases/${p.id}/approve`, board, { override: { reason: 'short' } })).status).toBe(
      400,
    );
    const reason = 'Chief Constable directs: funded from reserves pending savings';
    const ok = await post(`/phases/${p.id}/approve`, board, { override: { reason } }).expect(200);
    expect(ok.body.approval.override).toMatchObject({ reason });
    const [entry] = await audit({ targetId: p.id, action: 'rollout.phase.approved' });
    expect(entry!.summary).toContain('over the funding gate');
    expect(entry!.changes).toMatchObject({ override: { reason } });
  });

  it('plans pool and personal issue from the roster, with a what-if that saves nothing', async () => {
    const s = await newStation(app, admin);
    const eligible: string[] = [];
    for (let i = 0; i < 5; i++)
      eligible.push(await newOfficer(app, admin, { station: s, qualifications: ['DOMESTIC_RESPONSE'] }));
    const other = await newOfficer(app, admin, { station: s, qualifications: ['PCSO'] });
    for (let i = 0; i < 3; i++) await newCamera(app, admin, { station: s });
    const retired = await newCamera(app, admin, { station: s });
    await api().post(`/api/v1/cameras/${retired}/retire`).set(admin).send({ reason: 'Old' }).expect(200);
    const t = (h: number) => new Date(Date.now() + 86_400_000 + h * 3_600_000).toISOString();
    const shift = (team: string, from: number, to: number, on: string[]) =>
      api()
        .post('/api/v1/shifts')
        .set(admin)
        .send({ station: s, team, start: t(from), end: t(to), officers: on })
        .expect(201);
    // Early 0–8: three eligible (and a PCSO); late 7–15: two eligible; an hour's overlap → peak 5;
    // night 15–23: one.
    await shift('A', 0, 8, [eligible[0]!, eligible[1]!, eligible[2]!, other]);
    await shift('B', 7, 15, [eligible[3]!, eligible[4]!]);
    await shift('C', 15, 23, [eligible[0]!]);

    const p = await propose({
      name: 'Domestic',
      rule: { qualifications: ['DOMESTIC_RESPONSE'], stations: [s] },
      issueMode: 'pool',
      sparePercent: 20,
      plannedStart: day(1),
      plannedEnd: day(30),
    });
    const plan = (await api().get('/api/v1/rollout/plan').query({ phase: p.id }).set(board).expect(200)).body;
    expect(plan).toMatchObject({
      phase: p.id,
      issueMode: 'pool',
      sparePercent: 20,
      whatIf: false,
      availability: [],
    });
    expect(plan.stations).toEqual([
      {
        station: s,
        eligibleOfficers: 5,
        peakConcurrentOnShift: 5,
        camerasNeeded: 6, // 5 × 1.2
        dockBaysNeeded: 6,
        currentStock: 3, // the retired one is not stock
        shortfall: 3,
      },
    ]);
    expect(plan.estimate).toBe(6 * 500 + 6 * 100);

    const whatIf = (
      await api()
        .get('/api/v1/rollout/plan')
        .query({ phase: p.id, issueMode: 'personal', sparePercent: '0' })
        .set(lead)
        .expect(200)
    ).body;
    expect(whatIf).toMatchObject({ whatIf: true, issueMode: 'personal', sparePercent: 0 });
    expect(whatIf.totals).toMatchObject({ camerasNeeded: 5, shortfall: 2 });
    const after = (await api().get(`/api/v1/rollout/phases/${p.id}`).set(board).expect(200)).body;
    expect(after).toMatchObject({ issueMode: 'pool', sparePercent: 20 });
    expect((await api().get('/api/v1/rollout/plan').query({ phase: p.id }).set(stores)).status).toBe(403);
  });
});

describe('races settled by claimed inserts', () => {
  it('releases a tranche once when several savings are recorded at once', async () => {
    const budget = (await api().get('/api/v1/rollout/budget').set(board).expect(200)).body as {
      savings: { total: number };
    };
    const tranche = (
      await post('/budget/tranches', board, {
        name: 'Race tranche',
        amount: 50_000,
        trigger: budget.savings.total + 800,
      }).expect(201)
    ).body as { id: string; released: boolean };
    expect(tranche.released).toBe(false);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post('/budget/savings', i % 2 ? lead : board, { amount: 100, note: `race ${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const after = (await api().get('/api/v1/rollout/budget').set(board).expect(200)).body as {
      tranches: Array<{ id: string; released: boolean }>;
    };
    expect(after.tranches.find((t) => t.id === tranche.id)).toMatchObject({ released: true });
    const releases = await audit({ targetId: tranche.id, action: 'rollout.budget.tranche-release' });
    expect(releases).toHaveLength(1);
  });

  it('makes one transition of two approvals of the same phase at the same moment', async () => {
    const p = await propose({ name: 'Race', rule: { qualifications: ['CUSTODY'], stations: ['ZZNONE'] } });
    const [a, b] = await Promise.all([
      post(`/phases/${p.id}/approve`, board),
      post(`/phases/${p.id}/approve`, board2),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.type).toBe('/problems/rollout-phase-transition-invalid');
    const approvals = await audit({ targetId: p.id, action: 'rollout.phase.approved' });
    expect(approvals).toHaveLength(1);
    const phase = (await api().get(`/api/v1/rollout/phases/${p.id}`).set(board).expect(200)).body as Phase;
    expect(phase.status).toBe('approved');
  });
});

describe('budget', () => {
  it('keeps the business case, spend per phase and the forecast', async () => {
    const c = await api()
      .put('/api/v1/rollout/budget/case')
      .set(board)
      .send({ total: 1_400_000, years: 3, note: 'Test case' })
      .expect(200);
    expect(c.body.businessCase).toEqual({ total: 1_400_000, years: 3, currency: 'GBP', note: 'Test case' });
    expect(
      (await api().put('/api/v1/rollout/budget/case').set(lead).send({ total: 1, years: 1 })).status,
    ).toBe(403);
    const p = await propose({
      name: 'Spend phase',
      rule: { qualifications: ['CUSTODY'], stations: ['ZZNONE'] },
    });
    const before = (await api().get('/api/v1/rollout/budget').set(board).expect(200)).body as {
      spent: number;
      forecastToCompletion: number;
    };
    const after = (
      await post('/budget/spend', lead, {
        phase: p.id,
        kind: 'camera',
        amount: 1_234,
        note: 'Cameras',
      }).expect(201)
    ).body as {
      spent: number;
      forecastToCompletion: number;
      phases: Array<{ phase: string; spent: number }>;
    };
    expect(after.spent).toBe(before.spent + 1_234);
    expect(after.forecastToCompletion).toBe(before.forecastToCompletion + 1_234);
    expect(after.phases.find((x) => x.phase === p.id)?.spent).toBe(1_234);
    const unknown = await post('/budget/spend', lead, {
      phase: 'ph_000000000000',
      kind: 'camera',
      amount: 1,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe('/problems/rollout-phase-not-found');
    expect((await post('/budget/spend', board, { phase: p.id, kind: 'camera', amount: 1 })).status).toBe(403);
    const [entry] = await audit({ action: 'rollout.budget.spend' });
    expect(entry!.changes).toMatchObject({ phase: p.id, amount: 1_234 });
  });
});

describe('concerns', () => {
  it('logs concerns without personal data and changes their outcome', async () => {
    const c = await post('/concerns', lead, {
      phase: null,
      category: 'activation',
      summary: 'Camera not switched on at a stop',
    });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ category: 'activation', outcome: 'open' });
    const named = await post('/concerns', lead, {
      category: 'misuse',
      summary: 'Officer 104233 filmed a friend',
    });
    expect(named.status).toBe(400);
    expect((await post('/concerns', board, { category: 'misuse', summary: 'x' })).status).toBe(403);
    const changed = await api()
      .patch(`/api/v1/rollout/concerns/${c.body.id}`)
      .set(lead)
      .send({ outcome: 'resolved' })
      .expect(200);
    expect(changed.body.outcome).toBe('resolved');
    const list = (await api().get('/api/v1/rollout/concerns').set(board).expect(200)).body as Array<{
      id: string;
    }>;
    expect(list.map((x) => x.id)).toContain(c.body.id);
    expect((await audit({ targetId: c.body.id })).map((e) => e.action).sort()).toEqual([
      'rollout.concern.outcome',
      'rollout.concern.record',
    ]);
  });
});

describe('issue list', () => {
  it("lists a station's in-scope officers still without their personal camera, for stores", async () => {
    const s = await newStation(app, admin);
    const afo = [
      await newOfficer(app, admin, { station: s, qualifications: ['AFO', 'TASER'] }),
      await newOfficer(app, admin, { station: s, qualifications: ['AFO'] }),
    ];
    await newOfficer(app, admin, { station: s, qualifications: ['UNIFORM'] });
    const camera = await newCamera(app, admin, { station: s });
    const list = () => api().get('/api/v1/rollout/issue-list').query({ station: s }).set(stores).expect(200);
    expect((await list()).body).toEqual({ station: s, officers: [] }); // nothing started yet

    const p = await propose({
      name: 'AFO personal',
      rule: { qualifications: ['AFO'], stations: [s] },
      issueMode: 'personal',
    });
    await post(`/phases/${p.id}/approve`, board, {
      override: { reason: 'Issue-list test: funding not in question' },
    }).expect(200);
    expect((await list()).body.officers).toEqual([]); // approved is not started
    const scope = app.platform.services.rolloutScope;
    const facts = { number: afo[1]!, station: s, team: null, qualifications: ['AFO'], active: true };
    expect(await scope.inScope(facts)).toBe(false);
    await post(`/phases/${p.id}/activate`, lead).expect(200);
    // The scope heard rollout.phase-changed: no waiting for its cache to age.
    expect(await scope.inScope(facts)).toBe(true);
    expect(await scope.active()).toBe(true);
    expect(await scope.inScope({ ...facts, qualifications: ['UNIFORM'] })).toBe(false);
    const listed = (await list()).body.officers as Array<{
      number: string;
      phase: string;
      phaseName: string;
    }>;
    expect(listed.map((o) => o.number)).toEqual([...afo].sort());
    expect(listed[0]).toMatchObject({ phase: p.id, phaseName: 'AFO personal' });

    await api()
      .post('/api/v1/checkouts')
      .set(stores)
      .send({ camera, officer: afo[0], mode: 'personal' })
      .expect(201);
    expect(((await list()).body.officers as Array<{ number: string }>).map((o) => o.number)).toEqual([
      afo[1],
    ]);
    expect((await api().get('/api/v1/rollout/issue-list').query({ station: s }).set(board)).status).toBe(403);
    expect((await api().get('/api/v1/rollout/issue-list').query({ station: s }).set(lead)).status).toBe(403);
  });
});
