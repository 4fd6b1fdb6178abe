// The demo force's phased rollout, after the anchor (issue 17): a £1.4m business case over three
// years, funded partly by savings still to be made; five waves (firearms officers complete after a
// "proceed" gate review, Taser officers active, domestic-incident response and custody suites
// planned, a review of all uniformed officers and PCSOs planned); three tranches, one of them
// released by recorded savings; spend and concerns. Loaded through the rollout's own services (the
// same rules, audit and events as the API). Used by `npm run seed:demo`; not run on its own.
import type { Platform } from '../src/platform.js';
import type { ActionContext } from '../src/shared/index.js';

type Services = Platform['services'];

const lead: ActionContext = { actor: { type: 'user', id: 'demo-programme-lead' } };
const board: ActionContext = { actor: { type: 'user', id: 'demo-board' } };
const DAY = 86_400_000;

export interface RolloutSeedSummary {
  phases: number;
  released: number;
  committed: number;
  spent: number;
}

/** Seeds the programme; does nothing (null) when any phase exists already. */
export async function seedRollout(s: Services, now = new Date()): Promise<RolloutSeedSummary | null> {
  if ((await s.rolloutPhases.list()).length > 0) return null;
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const dayOf = (days: number) => ago(days).toISOString().slice(0, 10);
  const start = ago(600);

  await s.rolloutBudget.setCase(
    {
      total: 1_400_000,
      years: 3,
      note: 'Phased rollout, wave and gate; £1.04m contingent on savings not yet in the medium-term financial plan',
    },
    board,
  );
  await s.rolloutBudget.setCostLines(
    [
      { kind: 'camera', label: 'Camera (VB400) with mount', unitCost: 489 },
      { kind: 'dock-bay', label: 'Dock bay (14-bay dock ÷ 14, installed)', unitCost: 180 },
      { kind: 'licence', label: 'Evidence platform licence per officer-year', unitCost: 120 },
      { kind: 'storage-tb', label: 'Evidence storage per TB-year', unitCost: 260 },
      { kind: 'staff-hour', label: 'Trainer and stores time per hour', unitCost: 32 },
    ],
    lead,
  );
  await s.rolloutBudget.addTranche(
    { name: 'In the financial plan', amount: 360_000, trigger: 0 },
    board,
    start,
  );
  await s.rolloutBudget.addTranche({ name: 'Savings tranche 1', amount: 520_000, trigger: 400_000 }, board);
  await s.rolloutBudget.addTranche({ name: 'Savings tranche 2', amount: 520_000, trigger: 900_000 }, board);
  for (const [amount, note, days] of [
    [150_000, 'Estates: two front counters closed', 420],
    [180_000, 'Overtime budget reduced', 300],
    [95_000, 'Fleet vehicles: lease renegotiated', 150],
  ] as const)
    await s.rolloutBudget.recordSavings({ amount, note, at: ago(days) }, lead);

  const phase = (
    name: string,
    description: string,
    qualifications: Array<'AFO' | 'TASER' | 'DOMESTIC_RESPONSE' | 'CUSTODY' | 'UNIFORM' | 'PCSO'>,
    issueMode: 'personal' | 'pool',
    targetHeadcount: number,
    from: number,
    to: number,
  ) =>
    s.rolloutPhases.propose(
      {
        name,
        description,
        rule: { qualifications, teams: [], stations: [] },
        targetHeadcount,
        plannedStart: dayOf(from),
        plannedEnd: dayOf(to),
        issueMode,
        sparePercent: issueMode === 'pool' ? 15 : 10,
      },
      lead,
    );
  const afo = await phase(
    'Wave 1: firearms officers',
    'Authorised firearms officers, personal issue',
    ['AFO'],
    'personal',
    50,
    570,
    420,
  );
  const taser = await phase(
    'Wave 2: Taser officers',
    'Taser-trained officers, personal issue',
    ['TASER'],
    'personal',
    280,
    380,
    -60,
  );
  await phase(
    'Wave 3: domestic incident response',
    'Officers attending domestic incidents, pooled at their stations',
    ['DOMESTIC_RESPONSE'],
    'pool',
    230,
    -90,
    -270,
  );
  await phase(
    'Wave 4: custody suites',
    'Custody officers, pooled in the suites',
    ['CUSTODY'],
    'pool',
    70,
    -180,
    -365,
  );
  await phase(
    'Review: all uniformed officers and PCSOs',
    'Whether to equip every uniformed officer and PCSO, and how',
    ['UNIFORM', 'PCSO'],
    'pool',
    1200,
    -365,
    -545,
  );

  await s.rolloutPhases.approve(afo.id, undefined, board, ago(580));
  await s.rolloutPhases.activate(afo.id, lead, ago(570));
  for (const [kind, amount, days] of [
    ['camera', 26_000, 565],
    ['dock-bay', 9_500, 560],
    ['staff-hour', 4_800, 540],
    ['licence', 6_100, 540],
  ] as const)
    await s.rolloutBudget.recordSpend({ phase: afo.id, kind, amount, note: 'Wave 1', at: ago(days) }, lead);
  await s.rolloutPhases.review(afo.id, lead);
  await s.rolloutPhases.gate(
    afo.id,
    {
      decision: 'proceed',
      rationale:
        'Officers equipped, footage used in evidence, complaints down; affordable within the first tranche',
    },
    board,
    ago(400),
  );

  await s.rolloutPhases.approve(taser.id, undefined, board, ago(390));
  await s.rolloutPhases.activate(taser.id, lead, ago(380));
  for (const [kind, amount, days] of [
    ['camera', 118_000, 370],
    ['dock-bay', 41_000, 360],
    ['staff-hour', 14_500, 330],
    ['licence', 33_600, 300],
    ['storage-tb', 9_800, 120],
  ] as const)
    await s.rolloutBudget.recordSpend({ phase: taser.id, kind, amount, note: 'Wave 2', at: ago(days) }, lead);

  const concerns: Array<
    [
      string | null,
      'activation' | 'misuse' | 'privacy' | 'retention' | 'complaint' | 'other',
      string,
      'open' | 'resolved' | 'upheld' | 'not-upheld',
      number,
    ]
  > = [
    [afo.id, 'activation', 'Camera not switched on before a planned entry', 'resolved', 500],
    [afo.id, 'privacy', 'Resident asked for recording to stop inside a home', 'not-upheld', 470],
    [afo.id, 'retention', 'Non-evidential footage kept past the retention period', 'resolved', 430],
    [taser.id, 'activation', 'Late activation at a Taser discharge', 'upheld', 320],
    [taser.id, 'activation', 'Camera not recording during a stop and search', 'resolved', 250],
    [taser.id, 'complaint', 'Complaint about the officer’s conduct: footage reviewed', 'not-upheld', 200],
    [taser.id, 'complaint', 'Complaint about the officer’s language: footage reviewed', 'upheld', 160],
    [taser.id, 'misuse', 'Footage viewed without a policing purpose', 'not-upheld', 90],
    [taser.id, 'privacy', 'Bystander filmed at a hospital', 'open', 30],
    [null, 'other', 'Charging bays too few at a station at shift change', 'open', 12],
  ];
  for (const [ph, category, summary, outcome, days] of concerns)
    await s.rolloutConcerns.record({ phase: ph, category, summary, outcome, at: ago(days) }, lead);

  const budget = await s.rolloutBudget.summary();
  return { phases: 5, released: budget.released, committed: budget.committed, spent: budget.spent };
}
