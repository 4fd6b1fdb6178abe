// Send what the screen shows (issue 19). Ten thousand devices reporting once a second made every
// force-wide dashboard receive ~1.2 MB/s of diffs, more than a phone on a mobile network carries.
// Now a device's change is split in two:
//   - fields that the summary counts, filters and list shape use (status, holder, station, in
//     transit, health, online, firmware, model) change rarely: they go to everyone who may see the device, as before;
//   - readings that change with every report (battery, storage, last seen, charging, recording,
//     docked, reasons) go only to the sockets whose screen shows that device: each socket tells
//     the server which rows it shows (`view`), and gets those rows whole when they come into view.
// Only fields that changed are sent: a report that moves the battery sends the battery.
import type { DevicePatch, LiveDevice } from './events.js';

/** Fields that change a row's place in counts, filters and sorting: sent to every viewer in scope. */
export const SHARED_FIELDS: ReadonlySet<string> = new Set([
  'station',
  'model',
  'status',
  'holder',
  'inTransit',
  'health',
  'online',
  'firmware',
]);

/** At most this many rows in one socket's view (a screenful, with room to scroll). */
export const MAX_VIEW = 500;

export const deviceKey = (d: Pick<LiveDevice, 'kind' | 'id'>) => `${d.kind}:${d.id}`;

/**
 * How a field's value is remembered: as is, or an object as its JSON (a copy the sender cannot
 * change in place, and compared cheaply: ten thousand reports a second pass through here).
 */
const memo = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : v);

export interface Change {
  /** The fields that changed since the device's last change, with `kind`, `id` and `station`. */
  patch: DevicePatch;
  /** A shared field changed (or the device is new): every viewer in scope gets it. */
  shared: boolean;
}

/** Per device, what was last sent; per socket, which devices its screen shows. */
export class DeviceViews {
  private readonly last = new Map<string, Record<string, unknown>>();
  private readonly views = new Map<string, Set<string>>();
  private readonly watchers = new Map<string, Set<string>>();

  /** What changed in this patch since the device's last one; null when nothing did. */
  change(p: DevicePatch): Change | null {
    const key = deviceKey(p);
    const before = this.last.get(key);
    if (!before) {
      const first: Record<string, unknown> = {};
      for (const field in p) first[field] = memo((p as Record<string, unknown>)[field]);
      this.last.set(key, first);
      return { patch: p, shared: true };
    }
    let patch: DevicePatch | null = null;
    let shared = false;
    let moved = false;
    for (const field in p) {
      if (field === 'kind' || field === 'id') continue;
      const value = (p as Record<string, unknown>)[field];
      const remembered = memo(value);
      if (before[field] === remembered) continue;
      before[field] = remembered;
      patch ??= { kind: p.kind, id: p.id, station: p.station };
      (patch as Record<string, unknown>)[field] = value;
      if (SHARED_FIELDS.has(field)) shared = true;
      if (field === 'station') moved = true;
    }
    // Moved to another station: that station's viewers never had the row, so it goes whole.
    if (moved) return { patch: p, shared: true };
    return patch && { patch, shared };
  }

  /** Whether any socket's screen shows the device. */
  watched(key: string): boolean {
    return this.watchers.has(key);
  }

  /** Sockets whose screen shows the device. */
  watchersOf(key: string): ReadonlySet<string> | undefined {
    return this.watchers.get(key);
  }

  /** The socket's screen now shows these rows; returns those that came into view. */
  setView(socket: string, keys: Iterable<string>): string[] {
    const next = new Set(keys);
    const before = this.views.get(socket) ?? new Set<string>();
    for (const key of before) if (!next.has(key)) this.unwatch(key, socket);
    const added: string[] = [];
    for (const key of next) {
      if (before.has(key)) continue;
      added.push(key);
      const set = this.watchers.get(key) ?? new Set<string>();
      set.add(socket);
      this.watchers.set(key, set);
    }
    if (next.size === 0) this.views.delete(socket);
    else this.views.set(socket, next);
    return added;
  }

  /** The socket went away. */
  drop(socket: string) {
    this.setView(socket, []);
  }

  private unwatch(key: string, socket: string) {
    const set = this.watchers.get(key);
    set?.delete(socket);
    if (set?.size === 0) this.watchers.delete(key);
  }
}
