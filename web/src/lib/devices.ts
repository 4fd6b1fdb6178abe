// The dashboard's copy of the fleet: a snapshot, then diffs applied in order. Pure (no DOM), so it
// is unit-tested (test/unit/web.devices.test.ts) and cheap to run on 10,000 devices.
import type { DevicePatch, DevicesDiff, LiveDevice, Snapshot } from './types.js';

export interface FleetState {
  seq: number;
  devices: Map<string, LiveDevice>;
  /** Bumped on every applied change so views know to re-render. */
  version: number;
}

export const keyOf = (d: Pick<LiveDevice, 'kind' | 'id'>) => `${d.kind}:${d.id}`;

export const emptyFleet = (): FleetState => ({ seq: 0, devices: new Map(), version: 0 });

export function fromSnapshot(s: Snapshot): FleetState {
  return { seq: s.seq, devices: new Map(s.devices.map((d) => [keyOf(d), d])), version: 1 };
}

/**
 * Applies a diff in place. Skipped: diffs before the first snapshot (it covers them, and a diff
 * alone would show bare rows) and those the snapshot already covers (seq ≤ state.seq).
 */
export function applyDiff(state: FleetState, diff: DevicesDiff): boolean {
  if (state.version === 0 || diff.seq <= state.seq) return false;
  state.seq = diff.seq;
  for (const p of diff.changes) {
    const k = keyOf(p);
    const before = state.devices.get(k);
    state.devices.set(k, before ? { ...before, ...p } : p);
  }
  state.version++;
  return true;
}

export interface DeviceFilter {
  text: string;
  kind: 'all' | 'camera' | 'dock';
  station: string;
  health: string;
  status: string;
}

export const NO_FILTER: DeviceFilter = { text: '', kind: 'all', station: '', health: '', status: '' };

export const healthOf = (d: LiveDevice) => d.health ?? 'unknown';

export function filterDevices(devices: Iterable<LiveDevice>, f: DeviceFilter): LiveDevice[] {
  const text = f.text.trim().toLowerCase();
  const out: LiveDevice[] = [];
  for (const d of devices) {
    if (f.kind !== 'all' && d.kind !== f.kind) continue;
    if (f.station && d.station !== f.station) continue;
    if (f.health && healthOf(d) !== f.health) continue;
    if (f.status && (d.status ?? '') !== f.status) continue;
    if (text && !d.id.toLowerCase().includes(text) && !(d.holder ?? '').toLowerCase().includes(text))
      continue;
    out.push(d);
  }
  // Ids are ASCII (letters, digits, - and _): code-unit order, not localeCompare, which made this
  // sort of a 10,000-device fleet take most of a second on every live batch.
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface StationCounts {
  station: string;
  total: number;
  byStatus: Record<string, number>;
  byHealth: Record<string, number>;
}

export interface FleetCounts {
  /** Cameras at each station, leaving out those travelling in a transfer. */
  stations: StationCounts[];
  /**
   * Cameras travelling in a transfer (null: none): counted at neither station until received, as
   * the stores desk and GET /stations/:code/stock count them (issue 19).
   */
  inTransit: StationCounts | null;
}

const tally = (row: StationCounts, d: LiveDevice) => {
  row.total++;
  const status = d.status ?? 'unknown';
  row.byStatus[status] = (row.byStatus[status] ?? 0) + 1;
  const h = healthOf(d);
  row.byHealth[h] = (row.byHealth[h] ?? 0) + 1;
};

/** Cameras per station, by lifecycle status and by health; those in transit on a line of their own. */
export function countByStation(devices: Iterable<LiveDevice>): FleetCounts {
  const rows = new Map<string, StationCounts>();
  let inTransit: StationCounts | null = null;
  for (const d of devices) {
    if (d.kind !== 'camera') continue;
    if (d.inTransit) {
      tally((inTransit ??= { station: 'in transit', total: 0, byStatus: {}, byHealth: {} }), d);
      continue;
    }
    const station = d.station ?? '—';
    let row = rows.get(station);
    if (!row) rows.set(station, (row = { station, total: 0, byStatus: {}, byHealth: {} }));
    tally(row, d);
  }
  return { stations: [...rows.values()].sort((a, b) => a.station.localeCompare(b.station)), inTransit };
}

/** A camera the register has as lost or stolen that is reporting in (health reason `reported-lost`). */
export interface ReportedLost {
  id: string;
  /** "Stolen" or "Lost", from the server's reason; null until the reason has arrived. */
  kind: 'Stolen' | 'Lost' | null;
  /** Where it reports from, in the server's words ("at dock D1 slot 3", "not in a dock"). */
  where: string | null;
}

// The detail src/devices/health.ts gives the `reported-lost` reason: "stolen camera online at dock
// D1 slot 3". The e2e test (test/e2e/fleet-transit-lost.test.ts) holds the two together.
const LOST_REASON = /^(lost|stolen) camera online (.+)$/;

/**
 * Cameras reported lost or stolen that report in, by serial. Found by fields every viewer is sent
 * (status, health): a lost camera online is unfit (`fault`), one offline is `offline`. Its reasons
 * (and so where it is) reach a tab only for rows it shows, so the banner shows these rows too.
 */
export function reportedLost(devices: Iterable<LiveDevice>): ReportedLost[] {
  const out: ReportedLost[] = [];
  for (const d of devices) {
    if (d.kind !== 'camera' || d.status !== 'lost' || d.health !== 'fault') continue;
    const m = (d.reasons ?? []).map((r) => LOST_REASON.exec(r)).find((x) => x !== null);
    out.push({
      id: d.id,
      kind: m ? (m[1] === 'stolen' ? 'Stolen' : 'Lost') : null,
      where: m?.[2] ?? null,
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export const mergePatch = (d: LiveDevice | undefined, p: DevicePatch): LiveDevice => (d ? { ...d, ...p } : p);
