// Live device state: turns validated bus messages into the latest state of each device, computes
// online/offline and health, raises alerts, and persists it all coalesced: whatever arrives between
// two flushes is written in one bulk write of the few shard documents that changed (state.model.ts
// says why shards), never a write per message. Reads come from memory, so state is visible as soon as a message is ingested.
//
// One process ingests (the one whose client subscribes); the documents let a restarted process, or
// a reader elsewhere, pick the state up.
import type { ActionContext } from '../shared/index.js';
import type { AuditService } from '../audit/index.js';
import { AppError } from '../errors.js';
import type { DeviceKind, DeviceRef, Inbound } from '../bus/index.js';
import type { Logger } from '../logger.js';
import type { DomainEventBus } from '../events/index.js';
import {
  assignmentWarning,
  conditionsOf,
  healthReasonsOf,
  type HealthReason,
  type AlertType,
  type HealthThresholds,
  type RegisterFacts,
} from './health.js';
import { GroupCommit } from '../db/group-commit.js';
import type { AlertOp, DeviceStateRepository, HistoryBucket, JournalEntry } from './state.repository.js';
import type { DeviceState, HistorySample } from './state.types.js';
import { viewOf, type DeviceView } from './state.view.js';

/**
 * Why the firmware a device reports makes it unfit (`firmware 1.9.0 is blocked`), or null: the
 * firmware capability's versions register, asked with the device's model.
 */
export type FirmwareVerdict = (kind: DeviceKind, id: string, version: string) => string | null;

export interface DeviceStateOptions {
  thresholds: HealthThresholds;
  /** Health is `fault` with this reason while it says so; absent, firmware is never a fault. */
  firmwareVerdict?: FirmwareVerdict;
  /**
   * What the register says of a camera (status, holder, lost or stolen), or null if it is not in
   * it: health warns of an assignment the register does not have, and a lost camera that reports
   * in is a fault and an alert. Absent, health ignores the register.
   */
  register?: (serial: string) => RegisterFacts | null;
  /** How often dirty state is written (one bulk write per flush). */
  flushIntervalMs: number;
  /** A device not heard from for this long is offline, whatever its MQTT session says. */
  offlineAfterMs: number;
  /** A heartbeat that changes nothing but last-seen is persisted at most this often. */
  lastSeenPersistMs: number;
  /** One history sample per device per this interval. */
  historySampleMs: number;
  /** Shard documents per device kind (default 32). */
  shards?: number;
}

export interface IngestStats {
  received: number;
  malformed: number;
  malformedUnattributed: number;
  flushes: number;
  stateWrites: number;
  historyWrites: number;
  lastFlushMs: number;
  dirty: number;
  devices: number;
}

const keyOf = (kind: DeviceKind, id: string) => `${kind}:${id}`;
const HOUR = 3_600_000;
/**
 * The longest range one history request reads: a week, i.e. at most 169 hourly buckets, each one
 * lookup (state.repository.ts, `historyOf`, says why not one query). Unbounded, `from=2000-…` made
 * 744 lookups and held the connection pool for half a second (issue 14, finding 14).
 */
export const MAX_HISTORY_DAYS = 7;
/** The most samples one answer carries (a week at one a minute is 10,080): enough for any chart. */
export const MAX_HISTORY_SAMPLES = 2_000;
const hourOf = (t: number) => new Date(t - (t % HOUR));
/** FNV-1a: a stable, even spread of ids over shards. */
function shardOf(kind: DeviceKind, id: string, shards: number) {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return `${kind}/${String((h >>> 0) % shards).padStart(2, '0')}`;
}
/** How many writes the flush interval is spread over, and the slice a shard is written in. */
const FLUSH_SLICES = 8;
const sliceOf = (shard: string) => Number(shard.slice(shard.indexOf('/') + 1)) % FLUSH_SLICES;
const monitor: ActionContext = { actor: { type: 'system', id: 'device-monitor' } };
const deviceCtx = (s: DeviceRef): ActionContext => ({ actor: { type: 'device', id: `${s.kind}:${s.id}` } });

export class DeviceStateService {
  private readonly states = new Map<string, DeviceState>();
  /** Shards with a device changed since the last flush. */
  private readonly dirty = new Set<string>();
  private readonly members = new Map<string, Set<string>>();
  private readonly shardKey = new Map<string, string>();
  private readonly persistedSeen = new Map<string, number>();
  private readonly sampledAt = new Map<string, number>();
  private readonly conditions = new Map<string, Set<AlertType>>();
  /** Cameras by the dock they report sitting in: a badge tap asks, and a scan of 10,000 stalled taps. */
  private readonly inDock = new Map<string, Set<DeviceState>>();
  /**
   * When each camera reported docking where it now is (this process's clock; unknown for a camera
   * that was already docked when the state was loaded). A dock's claim is believed only when the
   * camera docked after it was issued (dock-claims.ts).
   */
  private readonly dockedAt = new Map<string, number>();
  /** When each open alert was raised (`kind:id:type`): its document's `_id` includes it. */
  private readonly raisedAt = new Map<string, Date>();
  /**
   * When each alert (`kind:id:type`) was last raised, open or not, in ms: a raise is stamped at
   * least 1 ms later, so a condition raised, cleared and raised again within one millisecond gets
   * a new `_id` (the same one failed with E11000 and the open alert was lost: the fuzzer's flap).
   */
  private readonly lastRaisedMs = new Map<string, number>();
  /** Alert raises and clears of concurrent changes share bulk writes. */
  private readonly alertWrites = new GroupCommit<AlertOp>(async (ops) => {
    await this.repo.writeAlerts(ops);
    return ops.map(() => undefined);
  }, 500);
  /** Alert writes and audit entries under way, awaited by stop(). */
  private readonly sideEffects = new Set<Promise<unknown>>();
  /** The open (current-hour) history bucket of each device, and closed ones awaiting insert. */
  private readonly buckets = new Map<string, HistoryBucket>();
  private closedBuckets: HistoryBucket[] = [];
  /** Samples not yet in the journal (written with the next flush). */
  private unjournaled: JournalEntry[] = [];
  private openHour = hourOf(Date.now()).getTime();
  private flushing: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly counters: Omit<IngestStats, 'dirty' | 'devices'> = {
    received: 0,
    malformed: 0,
    malformedUnattributed: 0,
    flushes: 0,
    stateWrites: 0,
    historyWrites: 0,
    lastFlushMs: 0,
  };

  constructor(
    private readonly repo: DeviceStateRepository,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly opts: DeviceStateOptions,
    private readonly log: Logger,
  ) {}

  /** What the bus hands device messages to (decoded against the topic contract). */
  handlers() {
    return {
      onMessage: (m: Inbound, at: number) => this.ingest(m, at),
      onMalformed: (device: DeviceRef | null, reason: string) => this.malformed(device, reason),
    };
  }

  /**
   * Loads persisted state; alert conditions already in force are not raised again. The journal
   * gives back the history of hours whose buckets a stopped process had not stored: the open hour
   * goes on, earlier ones are stored with the first flush.
   */
  async load() {
    const [states, open, journaled] = await Promise.all([
      this.repo.all(),
      this.repo.allOpenAlerts(),
      this.repo.journaled(),
    ]);
    for (const s of states) {
      const key = keyOf(s.kind, s.id);
      this.track({ ...s, faults: s.faults ?? [], malformed: s.malformed ?? 0 });
      const register = this.registerOf(s);
      this.conditions.set(key, new Set(conditionsOf(s, this.opts.thresholds, register).map((c) => c.type)));
    }
    for (const a of open) {
      const key = keyOf(a.kind as DeviceKind, a.id);
      const alertKey = `${key}:${a.type}`;
      this.raisedAt.set(alertKey, a.raisedAt);
      const ms = new Date(a.raisedAt).getTime();
      this.lastRaisedMs.set(alertKey, Math.max(ms, this.lastRaisedMs.get(alertKey) ?? ms));
      // An open alert is in force even where the stored state does not show it (written before a
      // crash, the state's next flush not): the next reading then clears it, or keeps it, instead
      // of leaving it open for good or raising a second one beside it.
      let inForce = this.conditions.get(key);
      if (!inForce) this.conditions.set(key, (inForce = new Set()));
      inForce.add(a.type as AlertType);
    }
    for (const e of journaled) {
      this.addHistory(e.kind as DeviceKind, e.id, e.hour, [e.sample]);
      this.sampledAt.set(keyOf(e.kind as DeviceKind, e.id), e.sample.t.getTime());
    }
    this.closeBuckets(this.openHour);
  }

  start() {
    const sweepMs = Math.max(200, Math.min(5_000, this.opts.offlineAfterMs / 4));
    // The flush interval in slices, each writing its own share of the shards if dirty: every shard
    // at most once an interval, as before, but never all at once. Writing all at once held this
    // thread for the whole fleet's JSON (0.15–0.5 s at 10,000 devices, every 5 s), and API
    // requests and live updates with it.
    let tick = 0;
    this.timers.push(
      setInterval(
        () => void this.flush(tick++ % FLUSH_SLICES),
        this.opts.flushIntervalMs / FLUSH_SLICES,
      ).unref(),
      setInterval(() => this.sweep(Date.now()), sweepMs).unref(),
    );
  }

  async stop() {
    this.timers.forEach(clearInterval);
    this.timers = [];
    await Promise.allSettled([...this.sideEffects]);
    // The open hour stays open: its samples are in the journal, and the next start carries it on
    // (storing its buckets now would leave that start's samples of the hour nowhere to go).
    await this.flush();
  }

  stats(): IngestStats {
    return { ...this.counters, dirty: this.dirty.size, devices: this.states.size };
  }

  /**
   * The device's view with its health: the one health every screen and the API show. `register`:
   * what the caller has just read of the camera's register entry (else the register option's).
   */
  view(kind: DeviceKind, id: string, register?: RegisterFacts | null): DeviceView | null {
    const s = this.states.get(keyOf(kind, id));
    return s ? this.viewOf(s, register) : null;
  }

  /**
   * The reasons of the device's health, by kind, or null if it never reported: readiness shows
   * them in the same words as every other screen (it adds what only a shift makes matter).
   */
  healthReasons(kind: DeviceKind, id: string): HealthReason[] | null {
    const s = this.states.get(keyOf(kind, id));
    if (!s) return null;
    const fault = this.firmwareFaultOf(s);
    return healthReasonsOf(s, this.opts.thresholds, this.registerOf(s), fault ? [fault] : []);
  }

  /**
   * The register changed for a device (its status, holder, a loss): alerts that depend on it are
   * raised or cleared now, not at the device's next change (a camera reported stolen while it sits
   * in a dock reporting nothing new).
   */
  registerChanged(kind: DeviceKind, id: string) {
    const key = keyOf(kind, id);
    const s = this.states.get(key);
    if (s) this.checkAlerts(s, key, Date.now(), monitor);
  }

  /** Why the firmware the device reports makes it unfit, or null (also when it never reported one). */
  firmwareFault(kind: DeviceKind, id: string): string | null {
    const s = this.states.get(keyOf(kind, id));
    return s ? this.firmwareFaultOf(s) : null;
  }

  /**
   * The firmware register changed for devices of `kind` on `version`: each of them that reports it
   * is announced as changed (`device.state-changed`, `health`), so dashboards and readiness boards
   * show its health as it is now. Returns how many.
   */
  firmwareStatusChanged(kind: DeviceKind, version: string): number {
    let n = 0;
    for (const s of this.states.values()) {
      if (s.kind !== kind || (s.camera?.firmware ?? s.dock?.firmware) !== version) continue;
      this.events.publish('device.state-changed', { kind: s.kind, id: s.id, changed: ['health'] });
      n++;
    }
    return n;
  }

  private firmwareFaultOf(s: DeviceState): string | null {
    const version = s.camera?.firmware ?? s.dock?.firmware;
    return version && this.opts.firmwareVerdict ? this.opts.firmwareVerdict(s.kind, s.id, version) : null;
  }

  private viewOf(s: DeviceState, register?: RegisterFacts | null): DeviceView {
    const fault = this.firmwareFaultOf(s);
    return viewOf(s, this.opts.thresholds, register ?? this.registerOf(s), fault ? [fault] : []);
  }

  private registerOf(s: DeviceState): RegisterFacts | null {
    return s.kind === 'camera' && this.opts.register ? this.opts.register(s.id) : null;
  }

  /** When the device was last heard from (ISO 8601), or null. */
  lastSeen(kind: DeviceKind, id: string): string | null {
    return this.states.get(keyOf(kind, id))?.lastSeen?.toISOString() ?? null;
  }

  /**
   * The live part of a camera's register entry, or null if it never reported: its view with the
   * health `register` (just read by the caller) gives it, and whether the camera believes it is
   * issued to someone other than the register's holder.
   */
  cameraLive(serial: string, register: RegisterFacts) {
    const s = this.states.get(keyOf('camera', serial));
    if (!s) return null;
    return { ...this.viewOf(s, register), assignmentMismatch: assignmentWarning(s, register) !== null };
  }

  /** Cameras sitting in a dock now, as the cameras report it. */
  camerasInDock(dock: string): DeviceView[] {
    return [...(this.inDock.get(dock) ?? [])].map((s) => this.viewOf(s));
  }

  /** Where a camera reports sitting, since when (null: docked before this process loaded it). */
  cameraDock(serial: string): { dock: string; slot: number; since: number | null; online: boolean } | null {
    const s = this.states.get(keyOf('camera', serial));
    const at = s?.camera?.dock;
    if (!s || !at) return null;
    return { dock: at.id, slot: at.slot, since: this.dockedAt.get(s.id) ?? null, online: s.online };
  }

  /**
   * The device's latest readings as reported, with their own timestamps (firmware updates: only a
   * reading newer than the reboot says which version the device came back on); null: never heard.
   */
  reading(kind: DeviceKind, id: string): Pick<DeviceState, 'online' | 'camera' | 'dock'> | null {
    const s = this.states.get(keyOf(kind, id));
    return s ? { online: s.online, camera: s.camera, dock: s.dock } : null;
  }

  /** Replaces a camera's reading, keeping the by-dock index in step. */
  private setCamera(s: DeviceState, reading: DeviceState['camera']) {
    const from = s.camera?.dock;
    const to = reading?.dock;
    s.camera = reading;
    if (from?.id !== to?.id || from?.slot !== to?.slot) {
      if (to) this.dockedAt.set(s.id, Date.now());
      else this.dockedAt.delete(s.id);
    }
    this.moveInDock(s, from?.id, to?.id);
  }

  private moveInDock(s: DeviceState, from: string | undefined, to: string | undefined) {
    if (from === to) return;
    if (from !== undefined) {
      const set = this.inDock.get(from);
      set?.delete(s);
      if (set?.size === 0) this.inDock.delete(from);
    }
    if (to !== undefined) {
      let set = this.inDock.get(to);
      if (!set) this.inDock.set(to, (set = new Set()));
      set.add(s);
    }
  }

  /**
   * Samples between two instants, oldest first: stored hours from the database, the open hour and
   * closed ones not yet stored from memory. Over MAX_HISTORY_SAMPLES, every n-th sample, so that
   * the answer still spans the range.
   */
  async history(kind: DeviceKind, id: string, from: Date, to: Date): Promise<HistorySample[]> {
    if (to.getTime() - from.getTime() > MAX_HISTORY_DAYS * 24 * HOUR) {
      throw new AppError(
        'history-range-too-long',
        `Ask for at most ${MAX_HISTORY_DAYS} days of telemetry at a time`,
      );
    }
    const hours: Date[] = [];
    for (let h = hourOf(from.getTime()).getTime(); h <= to.getTime(); h += HOUR) hours.push(new Date(h));
    const byHour = new Map<number, HistorySample[]>();
    for (const d of await this.repo.historyOf(kind, id, hours))
      byHour.set(new Date(d.hour).getTime(), d.samples);
    // An hour both stored and still in memory (its insert retried after a failure) counts once.
    const key = keyOf(kind, id);
    for (const b of [...this.closedBuckets, this.buckets.get(key)]) {
      if (b && keyOf(b.kind as DeviceKind, b.id) === key && !byHour.has(b.hour.getTime())) {
        byHour.set(b.hour.getTime(), b.samples);
      }
    }
    const samples = [...byHour.values()]
      .flat()
      .map((x) => ({ ...x, t: new Date(x.t) }))
      .filter((x) => x.t >= from && x.t <= to)
      .sort((a, b) => a.t.getTime() - b.t.getTime());
    const every = Math.ceil(samples.length / MAX_HISTORY_SAMPLES);
    return every > 1 ? samples.filter((_, i) => i % every === 0) : samples;
  }

  openAlerts(limit: number) {
    return this.repo.openAlerts(limit);
  }

  trimHistory(before: Date) {
    return this.repo.trimHistory(before);
  }

  /** A message that failed the contract: counted against its device, then dropped. */
  malformed(device: DeviceRef | null, reason: string) {
    this.counters.malformed++;
    if (!device) {
      this.counters.malformedUnattributed++;
      return;
    }
    const key = keyOf(device.kind, device.id);
    const s = this.stateOf(device.kind, device.id, key);
    s.malformed++;
    this.markDirty(key);
    // Sampled, so a device spewing garbage cannot flood the log.
    if (s.malformed === 1 || s.malformed % 1000 === 0) {
      this.log.warn({ device: key, reason, count: s.malformed }, 'malformed MQTT message dropped');
    }
  }

  /** Applies one validated message. Synchronous: persistence happens at the next flush. */
  ingest(msg: Inbound, now: number) {
    this.counters.received++;
    // The device's key, made once: every map below is keyed by it.
    const key = keyOf(msg.kind, msg.id);
    const s = this.stateOf(msg.kind, msg.id, key);
    const changed: string[] = [];
    s.lastSeen = new Date(now);
    const goingOffline = msg.channel === 'status' && !msg.payload.online;
    if (s.online === goingOffline) {
      s.online = !goingOffline;
      changed.push('online');
    }
    switch (msg.channel) {
      case 'telemetry':
        if (msg.kind === 'camera') {
          changed.push(...diffFields(s.camera, msg.payload));
          this.setCamera(s, msg.payload);
        } else {
          changed.push(...diffFields(s.dock, msg.payload));
          s.dock = msg.payload;
        }
        this.sample(s, key, now);
        break;
      case 'events':
        changed.push(...this.applyEvent(msg, s));
        break;
      case 'status':
        break;
      case 'acks': {
        const a = msg.payload;
        this.events.publish('device.command-acked', {
          kind: msg.kind,
          id: msg.id,
          commandId: a.commandId,
          ok: a.ok,
          stage: a.stage ?? null,
          progress: a.progress ?? null,
          detail: a.detail ?? null,
          ts: a.ts,
        });
        break;
      }
    }
    this.settle(s, key, changed, now, goingOffline ? monitor : deviceCtx(s));
  }

  /** Marks devices not heard from within offlineAfterMs offline. */
  sweep(now: number) {
    const cutoff = now - this.opts.offlineAfterMs;
    for (const s of this.states.values()) {
      if (s.online && (s.lastSeen?.getTime() ?? 0) < cutoff) {
        s.online = false;
        this.settle(s, keyOf(s.kind, s.id), ['online'], now, monitor);
      }
    }
  }

  /**
   * Writes the dirty shards (all, or those of one slice of the interval) in one bulk write, new
   * history samples to the journal, and closed history buckets in one insert.
   */
  flush(slice?: number): Promise<void> {
    if (this.flushing) {
      // One write at a time. A slice's turn that finds one under way is skipped (its shards wait
      // for the next turn); a full flush waits, then writes whatever is dirty by then.
      return slice === undefined ? this.flushing.then(() => this.flush()) : this.flushing;
    }
    this.flushing = this.writeDirty(slice).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async writeDirty(slice: number | undefined) {
    const hour = hourOf(Date.now()).getTime();
    if (hour !== this.openHour) {
      this.closeBuckets(hour);
      this.openHour = hour;
    }
    if (this.dirty.size === 0 && this.closedBuckets.length === 0 && this.unjournaled.length === 0) return;
    const started = Date.now();
    const shardIds = [...this.dirty].filter((id) => slice === undefined || sliceOf(id) === slice);
    for (const id of shardIds) this.dirty.delete(id);
    // Shallow copies: readings and fault lists are replaced, never mutated, so a copy is a snapshot.
    const shards = shardIds.map((id) => {
      const devices: Record<string, DeviceState> = {};
      for (const key of this.members.get(id) ?? []) {
        const s = this.states.get(key)!;
        devices[s.id] = { ...s };
        this.persistedSeen.set(key, s.lastSeen?.getTime() ?? 0);
      }
      return { id, kind: id.split('/')[0]!, devices };
    });
    const closed = this.closedBuckets;
    this.closedBuckets = [];
    const journal = this.unjournaled;
    this.unjournaled = [];
    try {
      this.counters.stateWrites += await this.repo.saveShards(shards);
      if (journal.length > 0) await this.repo.appendJournal(journal);
      journal.length = 0; // written: not to be retried
      if (closed.length > 0) {
        this.counters.historyWrites += await this.repo.insertHistory(closed);
        await this.repo.dropJournal(new Date(hour));
      }
      this.counters.flushes++;
      this.counters.lastFlushMs = Date.now() - started;
    } catch (err) {
      this.log.error({ err }, 'device state flush failed; will retry');
      for (const id of shardIds) this.dirty.add(id);
      this.closedBuckets.push(...closed);
      this.unjournaled.unshift(...journal);
    }
  }

  /** Moves every open bucket of an hour before `hour` to the closed list. */
  private closeBuckets(hour: number) {
    for (const [key, b] of this.buckets) {
      if (b.hour.getTime() < hour) {
        this.closedBuckets.push(b);
        this.buckets.delete(key);
      }
    }
  }

  private track(s: DeviceState) {
    const key = keyOf(s.kind, s.id);
    this.states.set(key, s);
    const shard = shardOf(s.kind, s.id, this.opts.shards ?? 32);
    this.shardKey.set(key, shard);
    let m = this.members.get(shard);
    if (!m) this.members.set(shard, (m = new Set()));
    m.add(key);
    this.moveInDock(s, undefined, s.camera?.dock?.id);
  }

  private markDirty(key: string) {
    this.dirty.add(this.shardKey.get(key)!);
  }

  private stateOf(kind: DeviceKind, id: string, key = keyOf(kind, id)): DeviceState {
    let s = this.states.get(key);
    if (!s) {
      s = {
        kind,
        id,
        online: false,
        lastSeen: null,
        camera: null,
        dock: null,
        faults: [],
        malformed: 0,
        updatedAt: new Date(),
      };
      this.track(s);
      // No conditions yet: a device first heard from is not "back online" (no alert to clear, no
      // audit entry; at 10,000 devices joining that was 10,000 writes). Unless an alert of it is
      // open (load): that one is in force.
      if (!this.conditions.has(key)) this.conditions.set(key, new Set());
    }
    return s;
  }

  private applyEvent(msg: Extract<Inbound, { channel: 'events' }>, s: DeviceState): string[] {
    const e = msg.payload;
    switch (e.type) {
      case 'fault':
        if (s.faults.some((f) => f.code === e.code)) return [];
        s.faults = [...s.faults, { code: e.code, message: e.message, since: e.ts }];
        return ['faults'];
      case 'fault_cleared':
        if (!s.faults.some((f) => f.code === e.code)) return [];
        s.faults = s.faults.filter((f) => f.code !== e.code);
        return ['faults'];
      case 'badge_tap':
        this.events.publish('dock.badge-tapped', { dock: msg.id, officer: e.officer, ts: e.ts });
        return [];
      case 'recording_started':
      case 'recording_stopped':
        if (!s.camera) return [];
        this.setCamera(s, { ...s.camera, recording: e.type === 'recording_started' });
        return ['recording'];
      case 'docked':
        if (msg.kind === 'dock' && 'camera' in e) {
          this.events.publish('dock.camera-docked', {
            dock: msg.id,
            camera: e.camera,
            slot: e.slot,
            ts: e.ts,
          });
          return [];
        }
        if ('dock' in e && s.camera) this.setCamera(s, { ...s.camera, dock: { id: e.dock, slot: e.slot } });
        return ['dock'];
      case 'undocked':
        if (msg.kind === 'camera' && s.camera) this.setCamera(s, { ...s.camera, dock: null });
        return msg.kind === 'camera' ? ['dock'] : [];
    }
  }

  /** After a change: persist (coalesced), publish on the event stream, raise or clear alerts. */
  private settle(s: DeviceState, key: string, changed: string[], now: number, ctx: ActionContext) {
    if (changed.length === 0) {
      if (now - (this.persistedSeen.get(key) ?? 0) >= this.opts.lastSeenPersistMs) this.markDirty(key);
      return;
    }
    s.updatedAt = new Date(now);
    this.markDirty(key);
    // Identifiers only: a subscriber that shows the device reads its view (view()) when it needs it.
    this.events.publish('device.state-changed', { kind: s.kind, id: s.id, changed });
    this.checkAlerts(s, key, now, ctx);
  }

  private checkAlerts(s: DeviceState, key: string, now: number, ctx: ActionContext) {
    const current = conditionsOf(s, this.opts.thresholds, this.registerOf(s));
    const before = this.conditions.get(key) ?? new Set<AlertType>();
    const after = new Set(current.map((c) => c.type));
    this.conditions.set(key, after);
    for (const c of current) {
      if (before.has(c.type)) continue;
      this.events.publish('alert.raised', { kind: s.kind, id: s.id, type: c.type, detail: c.detail });
      const raisedAt = this.raiseInstant(`${key}:${c.type}`, now);
      this.raisedAt.set(`${key}:${c.type}`, raisedAt);
      const alert = { kind: s.kind, id: s.id, type: c.type, detail: c.detail, raisedAt };
      this.background(this.alertWrites.add({ op: 'raise', alert }));
      this.background(
        this.audit.record(ctx, {
          action: `device.alert.${c.type}`,
          target: { kind: s.kind, id: s.id },
          summary: `${s.kind} ${s.id}: ${c.detail}`,
        }),
      );
    }
    for (const type of before) {
      if (after.has(type)) continue;
      const detail = type === 'offline' ? 'back online' : `${type} cleared`;
      this.events.publish('alert.cleared', { kind: s.kind, id: s.id, type, detail });
      const since = this.raisedAt.get(`${key}:${type}`);
      this.raisedAt.delete(`${key}:${type}`);
      // No open document (raised before a crash wrote it): nothing to close. Never closed before it
      // was raised (its raise may be stamped up to a few ms ahead, raiseInstant).
      if (since) {
        const alert = { kind: s.kind, id: s.id, type, raisedAt: since };
        const at = new Date(Math.max(now, since.getTime()));
        this.background(this.alertWrites.add({ op: 'clear', alert, at }));
      }
      this.background(
        this.audit.record(ctx, {
          action: `device.alert.${type}.cleared`,
          target: { kind: s.kind, id: s.id },
          summary: `${s.kind} ${s.id}: ${detail}`,
        }),
      );
    }
  }

  /** `now`, or 1 ms after the alert's previous raise if that was not earlier (its `_id` is unique). */
  private raiseInstant(alertKey: string, now: number): Date {
    const ms = Math.max(now, (this.lastRaisedMs.get(alertKey) ?? -Infinity) + 1);
    this.lastRaisedMs.set(alertKey, ms);
    return new Date(ms);
  }

  private sample(s: DeviceState, key: string, now: number) {
    if (now - (this.sampledAt.get(key) ?? 0) < this.opts.historySampleMs) return;
    this.sampledAt.set(key, now);
    const t = new Date(now);
    const sample: HistorySample =
      s.kind === 'camera' && s.camera
        ? {
            t,
            battery: s.camera.battery,
            charging: s.camera.charging,
            storageUsedMb: s.camera.storageUsedMb,
            recording: s.camera.recording,
            docked: s.camera.dock !== null,
          }
        : { t, occupied: s.dock?.slots.filter((x) => x.camera !== null).length ?? 0 };
    const hour = hourOf(now);
    this.addHistory(s.kind, s.id, hour, [sample]);
    this.unjournaled.push({ kind: s.kind, id: s.id, hour, sample });
  }

  private addHistory(kind: DeviceKind, id: string, hour: Date, samples: HistorySample[]) {
    const key = keyOf(kind, id);
    let b = this.buckets.get(key);
    if (b && b.hour.getTime() !== hour.getTime()) {
      this.closedBuckets.push(b);
      b = undefined;
    }
    if (b) b.samples.push(...samples);
    else this.buckets.set(key, { kind, id, hour, samples: [...samples] });
  }

  private background(p: Promise<unknown>) {
    const tracked = p.catch((err: unknown) => this.log.error({ err }, 'device alert side effect failed'));
    this.sideEffects.add(tracked);
    void tracked.finally(() => this.sideEffects.delete(tracked));
  }
}

/** Names of the top-level fields that differ (the reading's own timestamp does not count). */
function diffFields(before: object | null, after: object): string[] {
  const a = after as Record<string, unknown>;
  if (!before) return Object.keys(a).filter((k) => k !== 'ts');
  const b = before as Record<string, unknown>;
  const out: string[] = [];
  for (const k in a) if (k !== 'ts' && !sameJson(a[k], b[k])) out.push(k);
  return out;
}

/** Deep equality of JSON values (readings are parsed JSON: no dates, maps or cycles). */
function sameJson(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameJson(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(y)) return false;
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  for (const k in xo) if (!sameJson(xo[k], yo[k])) return false;
  for (const k in yo) if (!(k in xo)) return false;
  return true;
}
