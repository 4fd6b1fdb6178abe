// Readiness alerts as the screen shows them. An alert says who got worse and when; its reasons are
// those of the officer's row on the board now, so the alert and the row never disagree (issue 19: an
// alert kept "about 4.3 h left" from when it was raised while its row, recomputed since, said
// "about 2.2 h left"). Pure, so it is unit-tested (test/unit/web.readiness-alerts.test.ts).
import type { ReadinessAlert, ReadinessBoard } from './types.js';

/** The alerts with each officer's reasons taken from the board (as raised if not on it any more). */
export function alertsWithBoard(alerts: ReadinessAlert[], board: ReadinessBoard | null): ReadinessAlert[] {
  if (!board) return alerts;
  const rows = new Map([...board.officers, ...board.outOfScope].map((o) => [o.officer, o] as const));
  let changed = false;
  const out = alerts.map((a) => {
    const row = a.station === board.station ? rows.get(a.officer) : undefined;
    if (!row || sameReasons(row.reasons, a.reasons)) return a;
    changed = true;
    return { ...a, reasons: row.reasons };
  });
  return changed ? out : alerts;
}

const sameReasons = (a: string[], b: string[]) => a.length === b.length && a.every((r, i) => r === b[i]);
