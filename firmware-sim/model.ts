// The behaviour of simulated cameras and docks, free of I/O: each step advances simulated time and
// returns the messages the device would send. Battery drains faster while recording and charges in a
// dock; storage fills while recording and empties while a dock offloads; cameras leave their dock at
// the start of a shift and come back at its end; faults come and go.
import type { Rng } from './random.js';

export const SLOTS_PER_DOCK = 12;
const HOUR = 3600;
const SHIFT_HOURS = 10;

export interface Camera {
  serial: string;
  rng: Rng;
  battery: number;
  storageUsedMb: number;
  storageTotalMb: number;
  firmware: string;
  recording: boolean;
  recordingUntil: number;
  dock: { id: string; slot: number } | null;
  home: string | null;
  officer: string | null;
  /** Seconds into the 24 h day when this camera's shift starts. */
  shiftStart: number;
  fault: { code: string; until: number } | null;
  /**
   * Custody follows the platform's register, not the simulated shifts: an issued camera stays out
   * with its holder, a camera in stock stays in its dock (or on the shelf), no badge taps.
   */
  pinned: boolean;
}

export interface Dock {
  id: string;
  slots: Array<string | null>;
  /** Semantic version, as the platform's firmware register compares them. */
  firmware: string;
}

export interface Outbound {
  channel: 'telemetry' | 'events' | 'acks';
  payload: Record<string, unknown>;
}

export interface Fleet {
  cameras: Camera[];
  docks: Dock[];
  byId: Map<string, Camera>;
  dockById: Map<string, Dock>;
}

export function buildFleet(opts: {
  cameras: number;
  docks: number;
  prefix: string;
  rngFor: (i: number) => Rng;
}): Fleet {
  const docks: Dock[] = Array.from({ length: opts.docks }, (_, d) => ({
    id: `${opts.prefix}D${String(d + 1).padStart(4, '0')}`,
    slots: Array<string | null>(SLOTS_PER_DOCK).fill(null),
    firmware: '1.3.0',
  }));
  const cameras: Camera[] = Array.from({ length: opts.cameras }, (_, i) => {
    const r = opts.rngFor(i);
    const serial = `${opts.prefix}C${String(i + 1).padStart(5, '0')}`;
    const home = docks.length > 0 ? docks[i % docks.length]! : null;
    const slot = home ? home.slots.indexOf(null) : -1;
    const docked = home && slot >= 0;
    if (docked) home.slots[slot] = serial;
    return {
      serial,
      rng: r,
      battery: Math.round(40 + r() * 60),
      storageUsedMb: Math.round(r() * 8_000),
      storageTotalMb: 64_000,
      firmware: '2.4.1',
      recording: false,
      recordingUntil: 0,
      dock: docked ? { id: home.id, slot } : null,
      home: home?.id ?? null,
      officer: docked ? null : `O${String(i + 1).padStart(5, '0')}`,
      // Three shift patterns a day (early, late, night), staggered within half an hour.
      shiftStart: (Math.floor(r() * 3) * 8 + r() * 0.5) * HOUR,
      fault: null,
      pinned: false,
    };
  });
  return {
    cameras,
    docks,
    byId: new Map(cameras.map((c) => [c.serial, c])),
    dockById: new Map(docks.map((d) => [d.id, d])),
  };
}

/** Devices the platform already has (its register), as `--from-register` reads them. */
export interface RegisterFleet {
  docks: Array<{ id: string; station: string; slots: number }>;
  /** `holder`: the officer the camera is issued to, or null when it is in stock. */
  cameras: Array<{ serial: string; station: string; holder: string | null }>;
  /**
   * Share of issued cameras that start at risk, in equal parts: a low battery (drains while
   * recording), storage nearly full, storage full. The rest start charged and with room.
   */
  atRisk: number;
}

/**
 * The register's fleet: issued cameras out with their holders, cameras in stock in a free slot of a
 * dock at their station (on the shelf when every slot is taken). Custody is pinned (see Camera).
 */
export function fleetFromRegister(spec: RegisterFleet, rngFor: (i: number) => Rng): Fleet {
  const docks: Dock[] = spec.docks.map((d) => ({
    id: d.id,
    slots: Array<string | null>(d.slots).fill(null),
    firmware: '1.3.0',
  }));
  const atStation = new Map<string, Dock[]>();
  spec.docks.forEach((d, i) => atStation.set(d.station, [...(atStation.get(d.station) ?? []), docks[i]!]));
  let seenIssued = false;
  const cameras: Camera[] = spec.cameras.map((reg, i) => {
    const r = rngFor(i);
    let dock: Camera['dock'] = null;
    if (!reg.holder) {
      for (const d of atStation.get(reg.station) ?? []) {
        const slot = d.slots.indexOf(null);
        if (slot < 0) continue;
        d.slots[slot] = reg.serial;
        dock = { id: d.id, slot };
        break;
      }
    }
    // At risk by the draw; the first issued camera always (storage full), so any demo shows one.
    const first = reg.holder !== null && !seenIssued;
    if (reg.holder) seenIssued = true;
    const risk =
      reg.holder && spec.atRisk > 0 ? (first ? 2 : r() < spec.atRisk ? Math.floor(r() * 3) : -1) : -1;
    const storageTotalMb = 64_000;
    return {
      serial: reg.serial,
      rng: r,
      battery: risk === 0 ? Math.round(4 + r() * 8) : Math.round(70 + r() * 30),
      storageUsedMb: Math.round(
        storageTotalMb * (risk === 1 ? 0.87 + r() * 0.08 : risk === 2 ? 0.985 : r() * 0.15),
      ),
      storageTotalMb,
      firmware: '2.4.1',
      recording: risk === 0,
      recordingUntil: risk === 0 ? Number.POSITIVE_INFINITY : 0,
      dock,
      home: dock?.id ?? null,
      officer: reg.holder,
      shiftStart: 0,
      fault: null,
      pinned: true,
    };
  });
  return {
    cameras,
    docks,
    byId: new Map(cameras.map((c) => [c.serial, c])),
    dockById: new Map(docks.map((d) => [d.id, d])),
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const iso = (t: number) => new Date(t).toISOString();

export function cameraTelemetry(c: Camera, now: number): Outbound {
  return {
    channel: 'telemetry',
    payload: {
      ts: iso(now),
      battery: Math.round(c.battery),
      charging: c.dock !== null && c.battery < 100,
      storageUsedMb: Math.round(c.storageUsedMb),
      storageTotalMb: c.storageTotalMb,
      firmware: c.firmware,
      recording: c.recording,
      dock: c.dock,
      assignedTo: c.officer,
    },
  };
}

export function dockTelemetry(d: Dock, fleet: Fleet, now: number): Outbound {
  return {
    channel: 'telemetry',
    payload: {
      ts: iso(now),
      firmware: d.firmware,
      slots: d.slots.map((serial, slot) => {
        const c = serial ? fleet.byId.get(serial) : undefined;
        return {
          slot,
          camera: serial,
          charging: c ? c.battery < 100 : false,
          offload: !c ? 'idle' : c.storageUsedMb > 0 ? 'offloading' : 'done',
        };
      }),
      network: { online: true, uplinkMbps: 100 },
    },
  };
}

export type DockChange =
  | { type: 'leave'; camera: Camera; dock: Dock; slot: number }
  | { type: 'return'; camera: Camera; dock: Dock; slot: number };

/**
 * Advances one camera by `dt` simulated seconds at simulated time `simT` (seconds since the start).
 * Returns camera events plus a dock change when the camera leaves or returns at a shift boundary
 * (the caller turns that into dock events, or waits for a badge tap's release command).
 */
export function stepCamera(
  c: Camera,
  fleet: Fleet,
  simT: number,
  dt: number,
  now: number,
): { events: Outbound[]; change: DockChange | null; shiftStarted: boolean } {
  const events: Outbound[] = [];
  const r = c.rng;
  const day = simT % (24 * HOUR);
  const inShift = (day - c.shiftStart + 24 * HOUR) % (24 * HOUR) < SHIFT_HOURS * HOUR;
  let change: DockChange | null = null;
  let shiftStarted = false;

  if (c.dock) {
    c.battery = clamp(c.battery + (100 / (2 * HOUR)) * dt, 0, 100); // full in two hours
    c.storageUsedMb = clamp(c.storageUsedMb - 40 * dt, 0, c.storageTotalMb); // offload at 40 MB/s
    if (inShift && c.battery > 30 && !c.pinned) shiftStarted = true;
  } else if (c.pinned && !c.officer) {
    // In stock on the shelf (no free slot): on standby, a tenth of the drain, never recording.
    c.battery = clamp(c.battery - (100 / (140 * HOUR)) * dt, 0, 100);
  } else {
    const drain = c.recording ? 3 : 1;
    c.battery = clamp(c.battery - (100 / (14 * HOUR)) * drain * dt, 0, 100);
    if (c.recording) c.storageUsedMb = clamp(c.storageUsedMb + 0.6 * dt, 0, c.storageTotalMb);
    if (!c.recording && c.battery > 2 && r() < (dt / HOUR) * 3) {
      c.recording = true;
      c.recordingUntil = simT + (2 + r() * 25) * 60;
      events.push({
        channel: 'events',
        payload: { ts: new Date(now).toISOString(), type: 'recording_started' },
      });
    } else if (c.recording && (simT >= c.recordingUntil || c.battery <= 1)) {
      c.recording = false;
      events.push({
        channel: 'events',
        payload: { ts: new Date(now).toISOString(), type: 'recording_stopped' },
      });
    }
    if (!inShift && !c.recording && c.home && !c.pinned) {
      const dock = fleet.dockById.get(c.home)!;
      const slot = dock.slots.indexOf(null);
      if (slot >= 0) change = { type: 'return', camera: c, dock, slot };
    }
  }

  if (c.fault && simT >= c.fault.until) {
    events.push({ channel: 'events', payload: { ts: iso(now), type: 'fault_cleared', code: c.fault.code } });
    c.fault = null;
  } else if (!c.fault && r() < (dt / HOUR) * 0.002) {
    const code = ['E10', 'E21', 'E42'][Math.floor(r() * 3)]!;
    c.fault = { code, until: simT + (5 + r() * 25) * 60 };
    events.push({
      channel: 'events',
      payload: { ts: iso(now), type: 'fault', code, message: 'simulated fault' },
    });
  }
  return { events, change, shiftStarted };
}

/** Moves a camera out of its slot (issued to `officer`) or into one; returns both sides' events. */
export function applyDockChange(ch: DockChange, officer: string | null, now: number) {
  const ts = iso(now);
  if (ch.type === 'leave') {
    ch.dock.slots[ch.slot] = null;
    ch.camera.dock = null;
    ch.camera.officer = officer;
    return {
      camera: { channel: 'events', payload: { ts, type: 'undocked', dock: ch.dock.id } } as Outbound,
      dock: {
        channel: 'events',
        payload: { ts, type: 'undocked', camera: ch.camera.serial, slot: ch.slot },
      } as Outbound,
    };
  }
  ch.dock.slots[ch.slot] = ch.camera.serial;
  ch.camera.dock = { id: ch.dock.id, slot: ch.slot };
  ch.camera.officer = null;
  return {
    camera: {
      channel: 'events',
      payload: { ts, type: 'docked', dock: ch.dock.id, slot: ch.slot },
    } as Outbound,
    dock: {
      channel: 'events',
      payload: { ts, type: 'docked', camera: ch.camera.serial, slot: ch.slot },
    } as Outbound,
  };
}
