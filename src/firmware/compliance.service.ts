// Fleet compliance, read from what the devices report against the versions register: which
// versions run on each model (and their status), per station how many devices are current, behind
// the latest approved version or on a blocked one, and the devices behind or blocked. Lost and
// retired cameras are not part of the working fleet and are left out; devices that never reported
// a version are counted per station as `unknown`.
import semver from 'semver';
import type { DeviceKind, FirmwareFleet, FirmwarePolicy, FleetDevice } from './engine.ports.js';

export interface Compliance {
  byModel: Array<{
    kind: DeviceKind;
    model: string;
    latest: string | null;
    versions: Array<{ version: string; count: number; status: 'approved' | 'blocked' | 'unreviewed' }>;
  }>;
  byStation: Array<{
    station: string;
    kind: DeviceKind;
    model: string;
    current: number;
    behind: number;
    blocked: number;
    unknown: number;
  }>;
  /** Devices below the latest approved version of their model (first 200). */
  behind: Array<{
    kind: DeviceKind;
    id: string;
    station: string;
    model: string;
    version: string;
    latest: string;
  }>;
  behindCount: number;
  /** Devices on a blocked version (first 200). */
  blocked: Array<{
    kind: DeviceKind;
    id: string;
    station: string;
    model: string;
    version: string;
    reason: string | null;
  }>;
  blockedCount: number;
}

const LISTED = 200;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Newest first; versions that are not semver after those that are. */
const newestFirst = (a: string, b: string) => {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va && vb) return semver.rcompare(va, vb);
  return va ? -1 : vb ? 1 : byText(a, b);
};

export class ComplianceService {
  constructor(
    private readonly fleet: FirmwareFleet,
    private readonly policy: FirmwarePolicy,
  ) {}

  async report(): Promise<Compliance> {
    const devices = [...(await this.fleet.devices('camera')), ...(await this.fleet.devices('dock'))].filter(
      (d) => d.status !== 'lost' && d.status !== 'retired',
    );
    const models = new Map<string, Compliance['byModel'][number] & { counts: Map<string, number> }>();
    const stations = new Map<string, Compliance['byStation'][number]>();
    const behind: Compliance['behind'] = [];
    const blocked: Compliance['blocked'] = [];
    for (const d of devices) {
      const version = this.fleet.live(d)?.firmware ?? null;
      const modelKey = `${d.kind}|${d.model}`;
      let m = models.get(modelKey);
      if (!m) {
        m = {
          kind: d.kind,
          model: d.model,
          latest: this.policy.latestApproved(d.kind, d.model),
          versions: [],
          counts: new Map(),
        };
        models.set(modelKey, m);
      }
      const row = this.stationRow(stations, d);
      if (version === null) {
        row.unknown++;
        continue;
      }
      m.counts.set(version, (m.counts.get(version) ?? 0) + 1);
      if (this.policy.isBlocked(d.kind, d.model, version)) {
        row.blocked++;
        blocked.push({
          kind: d.kind,
          id: d.id,
          station: d.station,
          model: d.model,
          version,
          reason: this.policy.entry(d.kind, d.model, version)?.reason ?? null,
        });
      } else if (m.latest && (!semver.valid(version) || semver.lt(version, m.latest))) {
        row.behind++;
        behind.push({
          kind: d.kind,
          id: d.id,
          station: d.station,
          model: d.model,
          version,
          latest: m.latest,
        });
      } else {
        row.current++;
      }
    }
    const order = (a: { kind: string; id: string }, b: { kind: string; id: string }) =>
      byText(a.kind, b.kind) || byText(a.id, b.id);
    return {
      byModel: [...models.values()]
        .sort((a, b) => byText(a.kind, b.kind) || byText(a.model, b.model))
        .map(({ counts, ...m }) => ({
          ...m,
          versions: [...counts]
            .sort(([a], [b]) => newestFirst(a, b))
            .map(([version, count]) => ({
              version,
              count,
              status: this.policy.status(m.kind, m.model, version),
            })),
        })),
      byStation: [...stations.values()].sort(
        (a, b) => byText(a.station, b.station) || byText(a.kind, b.kind) || byText(a.model, b.model),
      ),
      behind: behind.sort(order).slice(0, LISTED),
      behindCount: behind.length,
      blocked: blocked.sort(order).slice(0, LISTED),
      blockedCount: blocked.length,
    };
  }

  private stationRow(rows: Map<string, Compliance['byStation'][number]>, d: FleetDevice) {
    const key = `${d.station}|${d.kind}|${d.model}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        station: d.station,
        kind: d.kind,
        model: d.model,
        current: 0,
        behind: 0,
        blocked: 0,
        unknown: 0,
      };
      rows.set(key, row);
    }
    return row;
  }
}
