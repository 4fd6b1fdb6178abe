// A realistic report input for the rollout report's tests and benchmark: a 1,300-officer force a
// year into a wave-and-gate rollout (the anchor of issue 17: firearms first and complete, Taser
// active, domestic response and custody planned, a later review of uniformed officers and PCSOs),
// with small counts (1..4) where a real force has them, so suppression has something to do.
import type { PhaseMetrics, ReportInput, ReportSource } from '../../src/rollout/index.js';

const MONTHS = [
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-03',
  '2026-04',
  '2026-05',
  '2026-06',
  '2026-07',
  '2026-08',
  '2026-09',
  '2026-10',
  '2026-11',
];

function metrics(phase: string, m: Partial<PhaseMetrics>): PhaseMetrics {
  return {
    phase,
    from: '2025-12-01T00:00:00.000Z',
    to: '2026-12-01T00:00:00.000Z',
    officersInScope: 0,
    officersEquipped: 0,
    readinessShare: null,
    deskAvailability: null,
    deskNoCamera: 0,
    clipsOffloaded: 0,
    hoursRecorded: 0,
    evidentialShare: null,
    clipsRedacted: 0,
    faultsPer100Cameras: null,
    lossesPer100Cameras: null,
    spent: 0,
    costPerEquippedOfficer: null,
    ...m,
  };
}

type ReportPhase = ReportInput['phases'][number];
const phase = (p: Omit<ReportPhase, 'metrics'> & { metrics: Partial<PhaseMetrics> }): ReportPhase => ({
  ...p,
  metrics: metrics(`ph_${p.order}`, p.metrics),
});

/** The force's report as of 1 December 2026 (the period: December 2025 to November 2026). */
export function forceReportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const phases: ReportPhase[] = [
    phase({
      name: 'Firearms officers (AFO)',
      order: 1,
      status: 'complete',
      plannedStart: '2025-12-01',
      plannedEnd: '2026-03-31',
      targetHeadcount: 120,
      issueMode: 'personal',
      gate: {
        decision: 'proceed',
        at: '2026-04-14T10:00:00.000Z',
        rationale:
          'Readiness above 95% for six weeks, no upheld misuse concerns, spend within the first tranche.',
      },
      metrics: {
        from: '2025-12-01T00:00:00.000Z',
        to: '2026-04-14T10:00:00.000Z',
        officersInScope: 118,
        officersEquipped: 116,
        readinessShare: 0.962,
        deskAvailability: 0.991,
        deskNoCamera: 3,
        clipsOffloaded: 4_812,
        hoursRecorded: 1_903.5,
        evidentialShare: 0.184,
        clipsRedacted: 2,
        faultsPer100Cameras: 4.1,
        lossesPer100Cameras: 0.8,
        spent: 151_200,
        costPerEquippedOfficer: 1_303.45,
      },
    }),
    phase({
      name: 'Taser officers',
      order: 2,
      status: 'active',
      plannedStart: '2026-05-01',
      plannedEnd: '2026-12-31',
      targetHeadcount: 310,
      issueMode: 'personal',
      gate: null,
      metrics: {
        from: '2026-05-04T08:00:00.000Z',
        officersInScope: 304,
        officersEquipped: 251,
        readinessShare: 0.913,
        deskAvailability: 0.962,
        deskNoCamera: 41,
        clipsOffloaded: 9_377,
        hoursRecorded: 3_640.25,
        evidentialShare: 0.157,
        clipsRedacted: 38,
        faultsPer100Cameras: 6.3,
        lossesPer100Cameras: 1.2,
        spent: 298_400,
        costPerEquippedOfficer: 1_188.84,
      },
    }),
    phase({
      name: 'Domestic incident response',
      order: 3,
      status: 'planned',
      plannedStart: '2027-01-11',
      plannedEnd: '2027-06-30',
      targetHeadcount: 420,
      issueMode: 'pool',
      gate: null,
      metrics: {},
    }),
    phase({
      name: 'Custody suites',
      order: 4,
      status: 'planned',
      plannedStart: '2027-03-01',
      plannedEnd: '2027-06-30',
      targetHeadcount: 90,
      issueMode: 'pool',
      gate: null,
      metrics: {},
    }),
    phase({
      name: 'All uniformed officers and PCSOs (review)',
      order: 5,
      status: 'planned',
      plannedStart: '2027-09-01',
      plannedEnd: '2028-03-31',
      targetHeadcount: 360,
      issueMode: 'pool',
      gate: null,
      metrics: {},
    }),
  ];
  // Planned: AFO over Dec–Mar (30 a month), Taser from May over eight months (~39 a month).
  const planned = [30, 60, 90, 120, 120, 159, 198, 237, 276, 315, 354, 393];
  // Actual: a slow first month (3 equipped: a count under five), then catching up.
  const actual = [3, 41, 88, 116, 116, 151, 187, 229, 262, 301, 339, 367];
  const readiness = [null, 0.902, 0.934, 0.951, 0.962, 0.944, 0.917, 0.903, 0.921, 0.928, 0.934, 0.941];
  const spentBy = [
    18_000, 61_500, 104_900, 151_200, 163_000, 212_600, 268_100, 314_000, 350_200, 391_700, 421_000, 449_600,
  ];
  const releasedBy = [
    360_000, 360_000, 360_000, 360_000, 360_000, 720_000, 720_000, 720_000, 720_000, 720_000, 720_000,
    720_000,
  ];
  const committedBy = [
    158_000, 158_000, 158_000, 158_000, 158_000, 541_000, 541_000, 541_000, 541_000, 541_000, 541_000,
    541_000,
  ];
  const faults = [null, 2.4, 3.1, 4.0, 3.6, 5.2, 6.8, 5.9, 6.1, 5.4, 6.6, 6.2];
  return {
    generatedAt: '2026-12-01T06:00:00.000Z',
    title: 'Body-worn video rollout: progress report',
    period: { from: '2025-12-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
    programme: {
      businessCase: 1_400_000,
      released: 720_000,
      committed: 541_000,
      spent: 449_600,
      forecastToCompletion: 1_362_000,
    },
    phases,
    curve: MONTHS.map((month, i) => ({ month, plannedEquipped: planned[i]!, actualEquipped: actual[i]! })),
    readiness: MONTHS.map((month, i) => ({ month, share: readiness[i]! })),
    spend: MONTHS.map((month, i) => ({
      month,
      spent: spentBy[i]!,
      released: releasedBy[i]!,
      committed: committedBy[i]!,
    })),
    faults: MONTHS.map((month, i) => ({ month, faultsPer100: faults[i]! })),
    concerns: [
      { category: 'activation', outcome: 'resolved', count: 14 },
      { category: 'activation', outcome: 'open', count: 3 },
      { category: 'activation', outcome: 'upheld', count: 6 },
      { category: 'misuse', outcome: 'not-upheld', count: 2 },
      { category: 'misuse', outcome: 'upheld', count: 1 },
      { category: 'privacy', outcome: 'resolved', count: 9 },
      { category: 'privacy', outcome: 'open', count: 5 },
      { category: 'retention', outcome: 'resolved', count: 7 },
      { category: 'complaint', outcome: 'not-upheld', count: 11 },
      { category: 'complaint', outcome: 'upheld', count: 4 },
      { category: 'complaint', outcome: 'open', count: 8 },
      { category: 'other', outcome: 'resolved', count: 6 },
    ],
    ...overrides,
  };
}

/** A ReportSource over the literal: the input as of `at` (the period and the generation time move with it). */
export function literalReportSource(
  input: ReportInput = forceReportInput(),
): ReportSource & { calls: Date[] } {
  const calls: Date[] = [];
  return {
    calls,
    gather(at: Date) {
      calls.push(at);
      return Promise.resolve({ ...input, generatedAt: at.toISOString() });
    },
  };
}
