// A readiness alert and its officer's row never disagree (issue 19: the alert said "about 4.3 h left"
// from when it was raised, the row, recomputed since, "about 2.2 h left, ~132 min").
import { describe, expect, it } from '@jest/globals';
import { alertsWithBoard } from '../../web/src/lib/readiness-alerts.js';
import type { OfficerReadiness, ReadinessAlert, ReadinessBoard } from '../../src/realtime/index.js';
import { DEFAULT_POLICY, assess } from '../../src/readiness/index.js';

const now = new Date('2026-12-03T12:00:00Z');
const min = (m: number) => new Date(now.getTime() + m * 60_000);
/** Battery readings every 5 minutes for half an hour, falling `perMin` % a minute to `end`. */
const falling = (end: number, perMin: number) =>
  Array.from({ length: 7 }, (_, i) => ({
    t: min(-30 + i * 5),
    battery: end + perMin * (30 - i * 5),
    charging: false,
  }));

/** The row readiness makes of a camera at that drain, as the server computes it. */
function row(battery: number, perMin: number, at: Date): OfficerReadiness {
  const live = { online: true, battery, charging: false, storage: null, firmware: null, health: [] };
  const v = assess(
    { serial: 'C1', status: 'issued', live, history: falling(battery, perMin) },
    min(6 * 60),
    at,
    DEFAULT_POLICY,
  );
  return {
    officer: 'O1',
    name: 'Officer One',
    camera: 'C1',
    cameraHealth: 'ok',
    rag: v.rag,
    reasons: v.reasons,
    battery,
    batteryMinutesLeft: v.batteryMinutesLeft,
    inScope: true,
  };
}
const boardOf = (o: OfficerReadiness, station = 'N1'): ReadinessBoard => ({
  station,
  at: now.toISOString(),
  shift: null,
  officers: [o],
  outOfScope: [],
  scoped: false,
  working: 0,
  onDuty: 1,
});

describe('readiness alerts on screen', () => {
  it("show the officer's reasons as the board has them now, so the time left agrees with the row", () => {
    // Raised at 0.15 %/min from 40 %: about 4.5 h left. The drain then proves steeper: 2.2 h.
    const raisedWith = row(40, 0.15, now);
    const alert: ReadinessAlert = {
      station: 'N1',
      officer: 'O1',
      name: 'Officer One',
      from: 'green',
      to: 'amber',
      reasons: raisedWith.reasons,
      at: now.toISOString(),
    };
    expect(alert.reasons[0]).toContain('about 4.5 h left');
    const later = row(40, 0.303, now);
    expect(later.batteryMinutesLeft).toBe(132);
    expect(later.reasons[0]).toContain('about 2.2 h left');

    const [shown] = alertsWithBoard([alert], boardOf(later));
    expect(shown!.reasons).toEqual(later.reasons);
    // Who got worse and when stays as raised.
    expect(shown).toMatchObject({ officer: 'O1', from: 'green', to: 'amber', at: alert.at });
  });

  it('keeps the reasons as raised for an officer no longer on the board, or another station', () => {
    const alert: ReadinessAlert = {
      station: 'N1',
      officer: 'O9',
      name: 'Officer Nine',
      from: 'green',
      to: 'red',
      reasons: ['offline'],
      at: now.toISOString(),
    };
    const alerts = [alert];
    expect(alertsWithBoard(alerts, boardOf(row(40, 0.3, now)))).toBe(alerts);
    expect(alertsWithBoard(alerts, null)).toBe(alerts);
    const other = { ...alert, officer: 'O1' };
    expect(alertsWithBoard([other], boardOf(row(40, 0.3, now), 'N2'))[0]).toBe(other);
  });
});
