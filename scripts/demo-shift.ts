// The demo's stores desk at shift change: cameras go back from the officers whose shift is over
// and out to the officers on shift now, through the platform's own check-in and check-out (the
// same rules, audit trail and events as the desk). One officer on shift in twelve (force-wide) is
// left without a camera, so readiness has someone to flag. Used by `npm run demo`; not run on its own.
import type { Platform } from '../src/platform.js';
import type { ActionContext } from '../src/shared/index.js';

const desk: ActionContext = { actor: { type: 'user', id: 'demo-desk' } };

export interface DeskSummary {
  onDuty: number;
  issued: number;
  returned: number;
  /** On shift now without a camera: left so on purpose, or no camera in stock would go out. */
  without: number;
  /** Check-outs the platform refused (a camera it would not issue); the next one was tried. */
  refused: number;
}

export async function issueForShiftsNow(s: Platform['services'], now = new Date()): Promise<DeskSummary> {
  const out: DeskSummary = { onDuty: 0, issued: 0, returned: 0, without: 0, refused: 0 };
  let counted = 0;
  for (const { code } of await s.people.listStations()) {
    const { officers } = await s.shifts.onDuty(code, now);
    const onDuty = new Set(officers.map((o) => o.number));
    out.onDuty += onDuty.size;
    const cameras = await s.fleet.allCameras({ station: code });
    const holding = new Set<string>();
    for (const c of cameras) {
      if (c.status !== 'issued' || !c.holder) continue;
      if (onDuty.has(c.holder)) holding.add(c.holder);
      else {
        await s.assignments.checkIn({ camera: c.serial, condition: 'ok' }, desk);
        out.returned++;
      }
    }
    const stock = cameras.filter((c) => c.status === 'in_stock' && !c.transfer).map((c) => c.serial);
    for (const officer of [...onDuty].sort()) {
      if (holding.has(officer)) continue;
      if (counted++ % 12 === 0) {
        out.without++;
        continue;
      }
      let issued = false;
      // A refused camera (a check-out gate, a rule added later) is put aside; the next is tried.
      for (let tries = 0; !issued && tries < 3 && stock.length > 0; tries++) {
        const camera = stock.shift()!;
        try {
          await s.assignments.checkOut({ camera, officer, mode: 'pool' }, desk);
          issued = true;
        } catch {
          out.refused++;
        }
      }
      if (issued) out.issued++;
      else out.without++;
    }
  }
  return out;
}
