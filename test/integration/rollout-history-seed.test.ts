// The demo force's year of measured history: seeded fast (bulk inserts), safe to run twice, and the
// report's data gathered from it (1,300 officers, 12 stations, a year) well within the report's
// 10 s budget. The phases are plain data (the anchor's five, as the demo seeds them).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createConnection, type Connection } from '../../src/db/connection.js';
import {
  buildRolloutMeasures,
  measureRecords,
  seedRolloutHistory,
  type Budget,
  type Phase,
  type RolloutMeasures,
} from '../../src/rollout/index.js';
import { seedDemo } from '../../scripts/demo-force.js';
import { startApp, type TestApp } from '../helpers/app.js';

const DAY = 86_400_000;

describe('demo rollout history', () => {
  let app: TestApp;
  let conn: Connection;
  let measures: RolloutMeasures;
  const at = new Date();
  const ago = (days: number) => new Date(at.getTime() - days * DAY).toISOString();
  const phase = (order: number, over: Partial<Phase> & Pick<Phase, 'id' | 'name' | 'rule'>): Phase => ({
    order,
    description: '',
    targetHeadcount: 100,
    plannedStart: ago(330),
    plannedEnd: ago(200),
    issueMode: 'personal',
    sparePercent: 10,
    status: 'planned',
    committed: null,
    approval: null,
    activatedAt: null,
    completedAt: null,
    gateReviews: [],
    createdBy: 'lead',
    createdAt: ago(360),
    updatedAt: ago(1),
    ...over,
  });
  const rule = (qualifications: Phase['rule']['qualifications']) => ({
    qualifications,
    teams: [],
    stations: [],
  });
  const phases: Phase[] = [
    phase(1, {
      id: 'afo',
      name: 'Firearms officers',
      rule: rule(['AFO']),
      targetHeadcount: 55,
      status: 'complete',
      activatedAt: ago(330),
      completedAt: ago(190),
      approval: { by: 'board', at: ago(340), override: null },
      committed: 120_000,
    }),
    phase(2, {
      id: 'taser',
      name: 'Taser officers',
      rule: rule(['TASER']),
      targetHeadcount: 300,
      plannedStart: ago(180),
      plannedEnd: ago(-60),
      status: 'active',
      activatedAt: ago(175),
      approval: { by: 'board', at: ago(185), override: null },
      committed: 380_000,
    }),
    phase(3, {
      id: 'domestic',
      name: 'Domestic incidents and custody',
      rule: rule(['DOMESTIC_RESPONSE', 'CUSTODY']),
      plannedStart: ago(-70),
      plannedEnd: ago(-250),
    }),
    phase(4, {
      id: 'uniform',
      name: 'All uniformed officers and PCSOs (review)',
      rule: rule(['UNIFORM', 'PCSO']),
      plannedStart: ago(-260),
      plannedEnd: ago(-600),
    }),
  ];
  const budget: Budget = {
    businessCase: { total: 1_400_000, years: 3, currency: 'GBP', note: '' },
    costLines: [],
    tranches: [
      { id: 't1', name: 'First', amount: 360_000, trigger: 0, released: true, releasedAt: ago(345) },
      { id: 't2', name: 'Second', amount: 500_000, trigger: 300_000, released: true, releasedAt: ago(190) },
    ],
    savings: { total: 320_000, entries: [] },
    released: 860_000,
    committed: 500_000,
    spent: 310_000,
    headroom: 360_000,
    forecastToCompletion: 1_250_000,
    phases: [
      {
        phase: 'afo',
        name: 'Firearms officers',
        status: 'complete',
        estimate: 120_000,
        committed: 120_000,
        spent: 110_000,
      },
      {
        phase: 'taser',
        name: 'Taser officers',
        status: 'active',
        estimate: 380_000,
        committed: 380_000,
        spent: 200_000,
      },
    ],
  };

  beforeAll(async () => {
    app = await startApp();
    await seedDemo(app.platform.services);
    conn = createConnection();
    await conn.openUri(process.env.BWV_TEST_MONGODB_URI!, { dbName: app.dbName });
    const s = app.platform.services;
    measures = buildRolloutMeasures({
      conn,
      people: s.people,
      assignments: s.assignments,
      fleet: s.fleet,
      clips: s.clips,
      phases: {
        list: () => Promise.resolve(phases),
        get: (id) => Promise.resolve(phases.find((p) => p.id === id) ?? null),
      },
      budget: { summary: () => Promise.resolve(budget) },
      concerns: { counts: () => Promise.resolve([]) },
      log: app.platform.log,
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await conn?.close();
  });

  it('seeds a year of readiness and desk records in seconds, and a second run adds nothing', async () => {
    const s = app.platform.services;
    const officers = await measureRecords(s).officers();
    expect(officers.length).toBe(1300);
    const started = Date.now();
    const first = await seedRolloutHistory({ history: measures.history, phases, officers, at });
    const took = Date.now() - started;
    expect(first.readinessDays).toBe(12 * 365);
    expect(first.deskDays).toBe(12 * 365);
    expect(took).toBeLessThan(20_000);
    const again = await seedRolloutHistory({ history: measures.history, phases, officers, at });
    expect(again).toEqual(first);
    const stored = await measures.history.readinessDays({ from: new Date(ago(366)), to: at, stations: null });
    expect(stored).toHaveLength(12 * 365);
  }, 60_000);

  it("gathers the report's data from a year of history in well under 10 s", async () => {
    const started = Date.now();
    const report = await measures.reportSource.gather(at);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(report.phases.map((p) => p.name)).toEqual(phases.map((p) => p.name));
    expect(report.curve).toHaveLength(report.readiness.length);
    // Readiness over the year: measured every month, and better at the end than at the start.
    const shares = report.readiness.map((r) => r.share);
    expect(shares.every((x) => x !== null && x > 0.6 && x <= 1)).toBe(true);
    expect(shares.at(-1)!).toBeGreaterThan(shares[0]!);
    // The plan reaches the started phases' targets; money is cumulative and never falls.
    expect(report.curve.at(-1)!.plannedEquipped).toBeGreaterThanOrEqual(55 + 300 * 0.7);
    const spent = report.spend.map((x) => x.released);
    expect(spent).toEqual([...spent].sort((a, b) => a - b));
    expect(report.spend.at(-1)).toMatchObject({ released: 860_000, committed: 500_000, spent: 310_000 });
    const afo = report.phases[0]!.metrics;
    expect(afo.officersInScope).toBeGreaterThan(20);
    expect(afo.readinessShare).not.toBeNull();
    expect(afo.deskAvailability).not.toBeNull();
    expect(report.phases[2]!.metrics.officersInScope).toBe(0); // planned
    // The planner's evidence: some station ran short of cameras in the last months.
    const weeks = await measures.metrics.weekly({ stations: null, from: new Date(ago(100)), to: at });
    expect(weeks.some((w) => w.deskNoCamera > 0)).toBe(true);
    expect(weeks.some((w) => w.onShiftWithoutCamera > 0)).toBe(true);
  }, 30_000);
});
