// The programme screen's rules (web/src/lib/rollout): who is offered which phase action, the
// two-person rule, the timeline's scale and the money and share wording.
import { describe, expect, it } from '@jest/globals';
import { homeFor, screensFor } from '../../web/src/lib/nav.js';
import {
  isReadOnly,
  money,
  phaseActions,
  share,
  shortMoney,
  timeline,
  yearTicks,
} from '../../web/src/lib/rollout/rules.js';
import type { PhaseStatus } from '../../web/src/lib/rollout/types.js';

const lead = { username: 'lead', role: 'programme-lead' as const };
const board = { username: 'chair', role: 'board' as const };
const auditor = { username: 'aud', role: 'auditor' as const };
const phase = (status: PhaseStatus, createdBy = 'lead') => ({ status, createdBy });
const offered = (a: ReturnType<typeof phaseActions>) =>
  Object.entries(a)
    .filter(([, v]) => v)
    .map(([k]) => k);

describe('programme screen rules', () => {
  it('shows the programme to its four roles only, and lands the new roles on it', () => {
    // And their own account (the password change, issue 19).
    expect(screensFor('programme-lead')).toEqual(['programme', 'account']);
    expect(screensFor('board')).toEqual(['programme', 'account']);
    expect(screensFor('auditor')).toContain('programme');
    expect(screensFor('admin')).toContain('programme');
    for (const r of ['stores', 'it', 'inspector', 'reviewer'] as const)
      expect(screensFor(r)).not.toContain('programme');
    expect(homeFor('programme-lead')).toBe('programme');
    expect(homeFor('board')).toBe('programme');
  });

  it('offers each role the actions the status allows', () => {
    expect(offered(phaseActions(phase('planned'), lead))).toEqual(['edit']);
    expect(offered(phaseActions(phase('planned'), board))).toEqual(['approve']);
    expect(offered(phaseActions(phase('approved'), lead))).toEqual(['activate']);
    expect(offered(phaseActions(phase('approved'), board))).toEqual([]);
    expect(offered(phaseActions(phase('active'), lead))).toEqual(['review']);
    expect(offered(phaseActions(phase('in-review'), board))).toEqual(['gate']);
    expect(offered(phaseActions(phase('in-review'), lead))).toEqual([]);
    expect(offered(phaseActions(phase('complete'), { username: 'a', role: 'admin' }))).toEqual([]);
    for (const s of ['planned', 'approved', 'active', 'in-review', 'complete'] as const)
      expect(offered(phaseActions(phase(s), auditor))).toEqual([]);
    expect(isReadOnly('auditor')).toBe(true);
    expect(isReadOnly('board')).toBe(false);
  });

  it('tells the proposer, not offers them, the approval (two-person rule)', () => {
    const admin = { username: 'root', role: 'admin' as const };
    expect(offered(phaseActions(phase('planned', 'root'), admin))).toEqual(['edit', 'ownProposal']);
    expect(offered(phaseActions(phase('planned', 'lead'), admin))).toEqual(['edit', 'approve']);
  });

  it('places phases on one scale from the first start to the last end, with today', () => {
    const t = timeline(
      [
        { id: 'a', plannedStart: '2025-01-01T00:00:00Z', plannedEnd: '2025-07-01T00:00:00Z' },
        { id: 'b', plannedStart: '2025-07-01T00:00:00Z', plannedEnd: '2026-01-01T00:00:00Z' },
      ],
      new Date('2025-10-01T00:00:00Z'),
    );
    const a = t.bars.get('a')!;
    const b = t.bars.get('b')!;
    expect(a.left).toBe(0);
    expect(a.width + b.width).toBeCloseTo(100, 5);
    expect(b.left).toBeCloseTo(a.width, 5);
    expect(t.today).toBeGreaterThan(b.left);
    expect(t.today).toBeLessThan(100);
    expect(yearTicks(t.from!, t.to!)).toEqual([{ year: 2026, at: 100 }]);
    expect(timeline([], new Date()).today).toBeNull();
  });

  it('words money and shares as the report does', () => {
    expect(money(1_400_000)).toBe('£1,400,000');
    expect(money(null)).toBe('—');
    expect(shortMoney(1_400_000)).toBe('£1.4m');
    expect(shortMoney(300_000)).toBe('£300k');
    expect(share(0.934)).toBe('93%');
    expect(share(null)).toBe('—');
  });
});
