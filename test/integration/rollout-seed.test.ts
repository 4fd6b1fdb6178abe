// `npm run seed:demo`'s rollout: the anchor's five phases on the demo force, the business case, the
// tranches (one released by recorded savings), spend and concerns, loaded through the services.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemo, seedDemoRoster } from '../../scripts/demo-force.js';
import { seedRollout } from '../../scripts/demo-rollout.js';
import { startApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
let board: Record<string, string>;

beforeAll(async () => {
  app = await startApp();
  await seedDemo(app.platform.services);
  board = await app.as('board');
}, 120_000);
afterAll(() => app.close());

describe('the demo rollout', () => {
  it('seeds the anchor once: AFO complete after a proceed gate, Taser active, the rest planned', async () => {
    const summary = await seedRollout(app.platform.services);
    expect(summary).not.toBeNull();
    expect(await seedRollout(app.platform.services)).toBeNull();

    const phases = (await app.http().get('/api/v1/rollout/phases').set(board).expect(200)).body as Array<{
      name: string;
      status: string;
      issueMode: string;
      gateReviews: Array<{ decision: string; metrics: { officersInScope: number } }>;
    }>;
    expect(phases.map((p) => [p.name, p.status])).toEqual([
      ['Wave 1: firearms officers', 'complete'],
      ['Wave 2: Taser officers', 'active'],
      ['Wave 3: domestic incident response', 'planned'],
      ['Wave 4: custody suites', 'planned'],
      ['Review: all uniformed officers and PCSOs', 'planned'],
    ]);
    expect(phases[0]!.gateReviews.map((g) => g.decision)).toEqual(['proceed']);
    expect(phases[0]!.gateReviews[0]!.metrics.officersInScope).toBeGreaterThan(20);

    const budget = (await app.http().get('/api/v1/rollout/budget').set(board).expect(200)).body as {
      businessCase: { total: number; years: number };
      tranches: Array<{ name: string; released: boolean }>;
      savings: { total: number };
      released: number;
      committed: number;
      spent: number;
      forecastToCompletion: number;
      phases: Array<{ estimate: number }>;
    };
    expect(budget.businessCase).toMatchObject({ total: 1_400_000, years: 3 });
    expect(budget.tranches.map((t) => [t.name, t.released])).toEqual([
      ['In the financial plan', true],
      ['Savings tranche 1', true],
      ['Savings tranche 2', false],
    ]);
    expect(budget.released).toBe(880_000);
    expect(budget.committed).toBeGreaterThan(0);
    expect(budget.committed).toBeLessThanOrEqual(budget.released);
    expect(budget.spent).toBeGreaterThan(0);
    expect(budget.forecastToCompletion).toBeGreaterThan(budget.committed);
    expect(budget.phases.every((p) => p.estimate > 0)).toBe(true);

    const concerns = (await app.http().get('/api/v1/rollout/concerns').set(board).expect(200))
      .body as unknown[];
    expect(concerns).toHaveLength(10);

    const plan = (
      await app
        .http()
        .get('/api/v1/rollout/plan')
        .query({ phase: (phases[1] as unknown as { id: string }).id })
        .set(board)
        .expect(200)
    ).body as { stations: unknown[]; totals: { eligibleOfficers: number; camerasNeeded: number } };
    expect(plan.stations).toHaveLength(12);
    expect(plan.totals.camerasNeeded).toBeGreaterThan(plan.totals.eligibleOfficers);
  }, 60_000);

  it('rosters three shifts a day around today, once, so a pool phase is sized by who is on shift', async () => {
    const made = await seedDemoRoster(app.platform.services);
    expect(made).toBe(12 * 15 * 3); // 12 stations, 15 days, early/late/night
    expect(await seedDemoRoster(app.platform.services)).toBe(0);
    const phases = (await app.http().get('/api/v1/rollout/phases').set(board).expect(200)).body as Array<{
      id: string;
      issueMode: string;
    }>;
    const pool = phases.find((p) => p.issueMode === 'pool')!;
    const plan = (
      await app.http().get('/api/v1/rollout/plan').query({ phase: pool.id }).set(board).expect(200)
    ).body as { totals: { eligibleOfficers: number; peakConcurrentOnShift: number; camerasNeeded: number } };
    // One team of five is on at a time: the peak is well above nothing and well below everyone.
    expect(plan.totals.peakConcurrentOnShift).toBeGreaterThan(plan.totals.eligibleOfficers / 10);
    expect(plan.totals.peakConcurrentOnShift).toBeLessThan(plan.totals.eligibleOfficers / 2);
    expect(plan.totals.camerasNeeded).toBeLessThan(plan.totals.eligibleOfficers);
  }, 120_000);
});
