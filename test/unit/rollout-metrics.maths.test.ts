import { describe, expect, it } from '@jest/globals';
import {
  addReadiness,
  costPer,
  daysBetween,
  deskAvailability,
  equippedBetween,
  isoWeek,
  minuteKey,
  monthEnd,
  monthsBetween,
  per100,
  plannedEquipped,
  readinessShare,
  weeklyAvailability,
  type ReadinessDay,
} from '../../src/rollout/metrics.maths.js';

const day = (station: string, d: string, onShift: number, working: number, noCamera: string[] = []) =>
  ({ station, day: d, samples: 1, onShift, working, noCamera }) satisfies ReadinessDay;

describe('measure keys', () => {
  it('names ISO weeks as ISO 8601 does, across year ends', () => {
    expect(isoWeek(new Date('2026-01-01T12:00:00Z'))).toBe('2026-W01'); // a Thursday
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01'); // Monday of 2025's week 1
    expect(isoWeek(new Date('2021-01-03T23:59:00Z'))).toBe('2020-W53'); // Sunday, still 2020
    expect(isoWeek(new Date('2026-12-03T04:00:00Z'))).toBe('2026-W49');
    expect(isoWeek(new Date('2026-11-30T00:00:00Z'))).toBe('2026-W49'); // Monday starts the week
    expect(isoWeek(new Date('2026-11-29T23:59:59Z'))).toBe('2026-W48'); // Sunday ends the one before
  });

  it('keys a sample by its UTC minute, so two boards in one minute share a key', () => {
    expect(minuteKey(new Date('2026-12-03T04:15:09.123Z'))).toBe('2026-12-03T04:15');
    expect(minuteKey(new Date('2026-12-03T04:15:59.999Z'))).toBe('2026-12-03T04:15');
    expect(minuteKey(new Date('2026-12-03T04:16:00.000Z'))).toBe('2026-12-03T04:16');
  });

  it('lists months and days inclusively, across a year end', () => {
    expect(monthsBetween(new Date('2025-11-20T00:00:00Z'), new Date('2026-02-01T00:00:00Z'))).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(monthEnd('2026-02').toISOString()).toBe('2026-02-28T23:59:59.999Z');
    expect(monthEnd('2025-12').toISOString()).toBe('2025-12-31T23:59:59.999Z');
    expect(daysBetween(new Date('2026-02-27T22:00:00Z'), new Date('2026-03-01T01:00:00Z'))).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
  });
});

describe('readiness share', () => {
  it('weighs by officer-time on shift (Σ working / Σ on shift), not by averaging samples', () => {
    // 50 % of 100 officer-minutes and 100 % of 300: 350/400, not (0.5 + 1) / 2.
    expect(readinessShare([day('A', '2026-12-01', 100, 50), day('A', '2026-12-02', 300, 300)])).toBe(0.875);
  });
  it('is null without anyone on shift (not 0, not 100 %)', () => {
    expect(readinessShare([])).toBeNull();
    expect(readinessShare([day('A', '2026-12-01', 0, 0)])).toBeNull();
  });
  it('adds samples into a day, keeping each officer without a camera once', () => {
    const d = addReadiness(day('A', '2026-12-01', 4, 3, ['O2', 'O1']), {
      samples: 1,
      onShift: 5,
      working: 2,
      noCamera: ['O1', 'O3'],
    });
    expect(d).toEqual({
      station: 'A',
      day: '2026-12-01',
      samples: 2,
      onShift: 9,
      working: 5,
      noCamera: ['O1', 'O2', 'O3'],
    });
  });
});

describe('desk availability', () => {
  it('is the share of attempts that found a camera, with the times none was there', () => {
    expect(
      deskAvailability([
        { station: 'A', day: '2026-12-01', issues: 18, noCamera: 1 },
        { station: 'B', day: '2026-12-01', issues: 0, noCamera: 1 },
      ]),
    ).toEqual({ share: 0.9, noCamera: 2 });
    expect(deskAvailability([])).toEqual({ share: null, noCamera: 0 });
  });

  it('folds days into ISO weeks per station, counting distinct officers without a camera', () => {
    const weeks = weeklyAvailability(
      [
        { station: 'A', day: '2026-11-30', issues: 5, noCamera: 1 }, // Monday, W49
        { station: 'A', day: '2026-12-06', issues: 2, noCamera: 0 }, // Sunday, W49
        { station: 'A', day: '2026-12-07', issues: 1, noCamera: 2 }, // Monday, W50
      ],
      [
        day('A', '2026-11-30', 10, 9, ['O1']),
        day('A', '2026-12-01', 10, 9, ['O1', 'O2']),
        day('B', '2026-12-01', 10, 10, []),
      ],
    );
    expect(weeks).toEqual([
      { station: 'A', week: '2026-W49', deskIssues: 7, deskNoCamera: 1, onShiftWithoutCamera: 2 },
      { station: 'B', week: '2026-W49', deskIssues: 0, deskNoCamera: 0, onShiftWithoutCamera: 0 },
      { station: 'A', week: '2026-W50', deskIssues: 1, deskNoCamera: 2, onShiftWithoutCamera: 0 },
    ]);
  });
});

describe('rollout curve and rates', () => {
  const phase = {
    plannedStart: '2026-01-01T00:00:00Z',
    plannedEnd: '2026-01-11T00:00:00Z',
    targetHeadcount: 100,
  };
  it('plans a straight line from planned start to planned end', () => {
    expect(plannedEquipped(phase, new Date('2025-12-31T00:00:00Z'))).toBe(0);
    expect(plannedEquipped(phase, new Date('2026-01-06T00:00:00Z'))).toBe(50);
    expect(plannedEquipped(phase, new Date('2026-01-11T00:00:00Z'))).toBe(100);
    expect(plannedEquipped(phase, new Date('2027-01-01T00:00:00Z'))).toBe(100);
  });

  it('counts an officer equipped once, when any of their custody spans touches the period', () => {
    const t = (d: string) => new Date(`2026-01-${d}T00:00:00Z`);
    const spans = [
      { officer: 'O1', issuedAt: t('02'), returnedAt: t('03') },
      { officer: 'O1', issuedAt: t('05'), returnedAt: null },
      { officer: 'O2', issuedAt: t('01'), returnedAt: t('02') }, // returned before the period
      { officer: 'O3', issuedAt: t('20'), returnedAt: null }, // issued after it
      { officer: 'O4', issuedAt: t('01'), returnedAt: t('10') }, // spans across it
    ];
    expect([...equippedBetween(spans, t('04'), t('06'))].sort()).toEqual(['O1', 'O4']);
  });

  it('has no rate without a denominator', () => {
    expect(per100(3, 12)).toBe(25);
    expect(per100(3, 0)).toBeNull();
    expect(costPer(10_000, 40)).toBe(250);
    expect(costPer(10_000, 0)).toBeNull();
  });
});
