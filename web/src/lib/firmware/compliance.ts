// Fleet compliance in numbers: how many devices run the latest approved version, how many are
// behind, how many run a blocked one, per model and over all (GET /firmware/compliance).
import { byVersionDesc } from './versions.js';
import type { Compliance } from './types.js';

export interface ComplianceTotals {
  devices: number;
  current: number;
  behind: number;
  blocked: number;
  /** Current as a whole percentage of all devices (100 with none). */
  percentCurrent: number;
}

export function complianceTotals(c: Pick<Compliance, 'byStation'>): ComplianceTotals {
  let current = 0;
  let behind = 0;
  let blocked = 0;
  for (const r of c.byStation) {
    current += r.current;
    behind += r.behind;
    blocked += r.blocked;
  }
  const devices = current + behind + blocked;
  return {
    devices,
    current,
    behind,
    blocked,
    percentCurrent: devices ? Math.floor((current / devices) * 100) : 100,
  };
}

/** A model's versions highest first, and its devices (the server names the latest approved one). */
export function modelVersions(m: Compliance['byModel'][number]) {
  const versions = [...m.versions].sort((a, b) => byVersionDesc(a.version, b.version));
  const devices = versions.reduce((t, v) => t + v.count, 0);
  return { versions, latest: m.latest, devices };
}
