// Which devices a campaign hits and in which waves (pure: the preview and the creation run the same
// code over the same inputs, so what IT previewed is what it creates).
//
// Selection: devices of the campaign's kind and model, optionally at some stations, optionally only
// those listed, whose reported version satisfies the range; excluded with a reason: lost or retired,
// never reported a version, already on the target, outside the range, already in another campaign.
// Devices outside the stations or the list are simply not targeted (no reason listed), unless the
// list names them.
//
// Waves: the canary is the first `canarySize` devices, spares first (cameras in stock before
// issued ones, so the pilot ring is made of devices no officer is waiting for), then by station and
// id; the rest is split into `groups` by percentage, in the same order.
import semver from 'semver';

export interface Candidate {
  kind: 'camera' | 'dock';
  id: string;
  station: string;
  model: string;
  /** Cameras: register status; docks: null. */
  status: string | null;
  /** The firmware version the device reports, null if it never did. */
  version: string | null;
}

export interface Targeting {
  kind: 'camera' | 'dock';
  model: string;
  /** The version the campaign installs. */
  version: string;
  fromRange: string | null;
  stations: string[];
  devices: string[];
}

export interface Excluded {
  device: string;
  reason: string;
}

export interface Selection {
  selected: Candidate[];
  excluded: Excluded[];
}

/**
 * @param register every device of the campaign's kind (any model)
 * @param memberOf the campaign each device is already in (`kind:id` → campaign id)
 */
export function select(register: Candidate[], t: Targeting, memberOf: Map<string, string>): Selection {
  const listed = new Set(t.devices);
  const stations = new Set(t.stations);
  const selected: Candidate[] = [];
  const excluded: Excluded[] = [];
  const seen = new Set<string>();
  for (const d of register) {
    if (d.kind !== t.kind) continue;
    const named = listed.has(d.id);
    if (listed.size > 0 && !named) continue;
    seen.add(d.id);
    const reason = exclusion(d, t, stations, named, memberOf);
    if (reason === undefined) continue; // not targeted, and not named either
    if (reason) excluded.push({ device: d.id, reason });
    else selected.push(d);
  }
  for (const id of t.devices) {
    if (!seen.has(id)) excluded.push({ device: id, reason: `no ${t.kind} ${id} in the register` });
  }
  return { selected: orderForWaves(selected), excluded };
}

/** The reason a device is left out; null: it is in; undefined: not targeted at all. */
function exclusion(
  d: Candidate,
  t: Targeting,
  stations: Set<string>,
  named: boolean,
  memberOf: Map<string, string>,
): string | null | undefined {
  if (stations.size > 0 && !stations.has(d.station)) {
    return named ? `at station ${d.station}, not one of the campaign's stations` : undefined;
  }
  if (d.model !== t.model) return named ? `model ${d.model}, not ${t.model}` : undefined;
  if (d.status === 'lost') return 'reported lost';
  if (d.status === 'retired') return 'retired';
  if (d.version === null) return 'has never reported its firmware version';
  if (d.version === t.version) return `already on ${t.version}`;
  if (t.fromRange !== null) {
    if (!semver.valid(d.version)) return `reports "${d.version}", not a semantic version`;
    if (!semver.satisfies(d.version, t.fromRange)) return `on ${d.version}, outside ${t.fromRange}`;
  }
  const other = memberOf.get(`${d.kind}:${d.id}`);
  if (other) return `already in campaign ${other}`;
  return null;
}

/** Spares first: cameras in stock, then the others, issued last; then by station and id. */
export function orderForWaves<T extends Pick<Candidate, 'status' | 'station' | 'id'>>(devices: T[]): T[] {
  const rank = (d: T) => (d.status === 'issued' ? 2 : d.status === null || d.status === 'in_stock' ? 0 : 1);
  return [...devices].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.station < b.station ? -1 : a.station > b.station ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * Wave sizes for `n` devices: the canary, then each group's share of the rest (rounded on the
 * running total, so the sizes add up to `n`). Empty waves are dropped.
 */
export function wavePlan(n: number, canarySize: number, groups: number[]): number[] {
  const canary = Math.min(canarySize, n);
  const rest = n - canary;
  const sizes = [canary];
  let done = 0;
  let share = 0;
  groups.forEach((g, i) => {
    share += g;
    const upTo = i === groups.length - 1 ? rest : Math.round((rest * share) / 100);
    sizes.push(upTo - done);
    done = upTo;
  });
  return sizes.filter((s) => s > 0);
}

/** What the preview shows (and the creation answers with as its plan). */
export interface Preview {
  total: number;
  byStation: Array<{ station: string; count: number }>;
  byVersion: Array<{ version: string; count: number }>;
  waves: Array<{ index: number; size: number }>;
  excluded: Excluded[];
  excludedCount: number;
  sample: string[];
}

export function previewOf(s: Selection, canarySize: number, groups: number[]): Preview {
  const count = (key: (d: Candidate) => string) => {
    const m = new Map<string, number>();
    for (const d of s.selected) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
    return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  };
  return {
    total: s.selected.length,
    byStation: count((d) => d.station).map(([station, n]) => ({ station, count: n })),
    byVersion: count((d) => d.version ?? '').map(([version, n]) => ({ version, count: n })),
    waves: wavePlan(s.selected.length, canarySize, groups).map((size, index) => ({ index, size })),
    excluded: s.excluded.slice(0, 100),
    excludedCount: s.excluded.length,
    sample: s.selected.slice(0, 50).map((d) => d.id),
  };
}
