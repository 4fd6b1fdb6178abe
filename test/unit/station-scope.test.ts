// Who acts force-wide and who for one station (issue 14, finding 11); the HTTP behaviour is in
// test/integration/station-scope.test.ts.
import type { ActionContext } from '../../src/shared/index.js';
import { describe, expect, it } from '@jest/globals';
import { AppError } from '../../src/errors.js';
import { assertInStationScope, stationScopeOf } from '../../src/shared/station-scope.js';

const ctx = (stationScope?: string): ActionContext => ({
  actor: { type: 'user', id: 'clerk' },
  ...(stationScope && { stationScope }),
});

describe('station scope', () => {
  it('confines stores and inspectors with a home station to it; everyone else is force-wide', () => {
    expect(stationScopeOf({ role: 'stores', station: 'S1' })).toBe('S1');
    expect(stationScopeOf({ role: 'inspector', station: 'S1' })).toBe('S1');
    expect(stationScopeOf({ role: 'stores', station: null })).toBeUndefined();
    expect(stationScopeOf({ role: 'inspector', station: null })).toBeUndefined();
    for (const role of ['admin', 'it', 'auditor', 'reviewer'] as const)
      expect(stationScopeOf({ role, station: 'S1' })).toBeUndefined();
  });

  it('refuses any station outside the scope, naming it, and allows the home station', () => {
    expect(() => assertInStationScope(ctx('S1'), 'S1', 'S1')).not.toThrow();
    expect(() => assertInStationScope(ctx(), 'S1', 'S2')).not.toThrow();
    let err: unknown;
    try {
      assertInStationScope(ctx('S1'), 'S1', 'S2');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 403, type: 'out-of-station-scope' });
    expect((err as AppError).detail).toContain('S2');
  });
});
