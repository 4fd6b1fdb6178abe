// The versions register in memory, for the questions asked on hot paths (every device view, every
// readiness board, every eligibility check): is this version blocked for this model, which is the
// latest approved one. Synchronous. Loaded at start, kept current by `firmware.version-status-changed`
// (in every process: it crosses) and read whole again every few seconds in case an event was lost.
//
// An entry applies to one model, or to every model of its kind (`*`). Where both apply, a block wins:
// a version blocked for every model stays blocked for a model someone had approved it for (a block
// is the answer to a bad release, and must not be undone by an older, narrower approval).
import semver from 'semver';
import type { DeviceKind } from '../bus/index.js';
import { versionId, type VersionRecord, type VersionStatus } from './versions.model.js';
import type { VersionsRepository } from './versions.repository.js';

export type FirmwareStatus = VersionStatus | 'unreviewed';

export interface PolicyEntry {
  kind: DeviceKind;
  model: string;
  version: string;
  status: VersionStatus;
  reason: string;
}

/** What a status change can move: devices of this kind reporting this version. */
export interface PolicyChange {
  kind: DeviceKind;
  version: string;
}

const entryOf = (r: VersionRecord): PolicyEntry => ({
  kind: r.kind,
  model: r.model,
  version: r.version,
  status: r.status,
  reason: r.reason,
});

const same = (a: PolicyEntry | undefined, b: PolicyEntry | undefined) =>
  a?.status === b?.status && a?.reason === b?.reason;

/** The words every screen and the API show for a device on a blocked version. */
export const blockedWords = (version: string) => `firmware ${version} is blocked`;

export class FirmwarePolicy {
  private entries = new Map<string, PolicyEntry>();
  private loading: Promise<PolicyChange[]> | null = null;
  /** When each entry was last set one by one, on a counter: a whole read begun earlier leaves it be. */
  private readonly touched = new Map<string, number>();
  private clock = 0;
  /** `kind|version` of every version blocked for some model: most devices are answered from this alone. */
  private blocked = new Set<string>();

  constructor(private readonly repo: VersionsRepository) {}

  /** The entry that decides a model's version (a block first, then the model's own), or null. */
  entry(kind: DeviceKind, model: string | null, version: string): PolicyEntry | null {
    const own = model === null ? undefined : this.entries.get(versionId(kind, model, version));
    const all = this.entries.get(versionId(kind, '*', version));
    if (own?.status === 'blocked') return own;
    if (all?.status === 'blocked') return all;
    return own ?? all ?? null;
  }

  /** A model of `null`: the device's model is not known (not in the register); `*` entries decide. */
  status(kind: DeviceKind, model: string | null, version: string): FirmwareStatus {
    return this.entry(kind, model, version)?.status ?? 'unreviewed';
  }

  isBlocked(kind: DeviceKind, model: string | null, version: string): boolean {
    return this.status(kind, model, version) === 'blocked';
  }

  /**
   * Why a device reporting `version` is unfit (`firmware 1.9.0 is blocked`), or null. Asked for every
   * device view a dashboard shows: a version blocked for no model at all is answered at once.
   */
  blockedReason(kind: DeviceKind, model: string | null, version: string): string | null {
    if (!this.blocked.has(`${kind}|${version}`)) return null;
    return this.isBlocked(kind, model, version) ? blockedWords(version) : null;
  }

  /** The highest approved (and not blocked) version for the model, by semver; null if none. */
  latestApproved(kind: DeviceKind, model: string): string | null {
    let best: string | null = null;
    for (const e of this.entries.values()) {
      if (e.kind !== kind || (e.model !== model && e.model !== '*') || e.status !== 'approved') continue;
      if (!semver.valid(e.version) || this.isBlocked(kind, model, e.version)) continue;
      if (best === null || semver.gt(e.version, best)) best = e.version;
    }
    return best;
  }

  /** Every entry, as held now. */
  list(): PolicyEntry[] {
    return [...this.entries.values()];
  }

  /** Takes in an entry this process just wrote (or removed: null), so its own answers are current at once. */
  set(kind: DeviceKind, model: string, version: string, entry: PolicyEntry | null) {
    const id = versionId(kind, model, version);
    if (entry) this.entries.set(id, entry);
    else this.entries.delete(id);
    this.touched.set(id, ++this.clock);
    this.indexBlocked();
  }

  private indexBlocked() {
    this.blocked = new Set(
      [...this.entries.values()].filter((e) => e.status === 'blocked').map((e) => `${e.kind}|${e.version}`),
    );
  }

  /** Reads one entry again: another process (or this one) changed it. */
  async refresh(kind: DeviceKind, model: string, version: string): Promise<void> {
    const since = this.clock;
    const stored = await this.repo.get(kind, model, version);
    // Set meanwhile by this process's own write, which is at least as new as this read.
    if ((this.touched.get(versionId(kind, model, version)) ?? 0) > since) return;
    this.set(kind, model, version, stored ? entryOf(stored) : null);
  }

  /** Reads the whole register (one read at a time); returns what changed since the last read. */
  reload(): Promise<PolicyChange[]> {
    this.loading ??= this.readAll().finally(() => (this.loading = null));
    return this.loading;
  }

  private async readAll(): Promise<PolicyChange[]> {
    const since = this.clock;
    const next = new Map((await this.repo.all()).map((r) => [r._id, entryOf(r)] as const));
    const changed = new Map<string, PolicyChange>();
    for (const id of new Set([...this.entries.keys(), ...next.keys()])) {
      const a = this.entries.get(id);
      if ((this.touched.get(id) ?? 0) > since) {
        // Set one by one while the read ran: that is newer than what the read found.
        if (a) next.set(id, a);
        else next.delete(id);
        continue;
      }
      const b = next.get(id);
      if (same(a, b)) continue;
      const e = (a ?? b)!;
      changed.set(`${e.kind}|${e.version}`, { kind: e.kind, version: e.version });
    }
    this.entries = next;
    this.indexBlocked();
    return [...changed.values()];
  }

  /** Re-reads the register every `everyMs`, handing what changed to `changed`. Returns the stop. */
  start(everyMs: number, changed: (c: PolicyChange[]) => void, failed: (err: unknown) => void) {
    const timer = setInterval(() => {
      this.reload().then((c) => c.length > 0 && changed(c), failed);
    }, everyMs).unref();
    return { stop: () => clearInterval(timer) };
  }
}
