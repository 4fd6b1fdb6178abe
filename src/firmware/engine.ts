// The firmware engine: carries campaigns out. It sends `firmware-update` commands to eligible
// devices of started waves, follows their acks and telemetry, times out silent ones, retries
// transient failures, and judges waves and thresholds (pausing the campaign itself when they trip).
//
// Durable: the truth is the database. The periodic job `firmware.tick` does everything from it
// (timeouts, retries, dispatch, waves); acks, device state and custody changes only make it happen
// sooner. The engine keeps every update of the campaigns it follows in memory, rebuilt from the
// database when it starts, and writes each change through. Two claims make it safe to crash at any
// point and to start again: a device is in one campaign at a time (membership), and each attempt's
// command is claimed by an insert before it is published, so no device is ever sent two commands
// for the same step, by this process, a restarted one or another.
//
// One engine per database (FIRMWARE_ENGINE): every operation on a campaign runs in that campaign's
// queue in this process, so an ack, a tick and a custody change never interleave on one campaign.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { DomainEventBus } from '../events/index.js';
import type { JobScheduler } from '../jobs/index.js';
import type { Logger } from '../logger.js';
import type { Campaign, CampaignsRepository } from './campaigns.repository.js';
import { engineContext, type CampaignTransitions, type Transition } from './campaigns.transitions.js';
import { eligibility, type Eligibility, type RegisterFacts } from './engine.eligibility.js';
import type { ArtifactInfo, CommandPublisher, FirmwareArtifacts, FirmwareFleet } from './engine.ports.js';
import { Pace } from './engine.pace.js';
import { decide, started, waveName, type Counts, type Decision } from './engine.waves.js';
import type { UpdateDoc } from './updates.model.js';
import { deviceKey, type UpdatesRepository } from './updates.repository.js';
import {
  isInFlight,
  isTerminal,
  onAck,
  onCancel,
  onClock,
  onTelemetry,
  transientFailure,
  type Ack,
  type Limits,
  type UpdateChange,
} from './updates.states.js';
import type { WindowsService } from './windows.service.js';
import type { MaintenanceWindow } from './windows.rules.js';

export const TICK_JOB = 'firmware.tick';

export interface EngineOptions {
  tickMs: number;
  sendsPerMinute: number;
  retryBaseS: number;
  /** `<base>` of the download URL devices are sent (FIRMWARE_DOWNLOAD_BASE_URL or the platform's URL). */
  downloadBase: () => string;
  /** How often the register records of a campaign's devices are read whole again (custody events keep them current). */
  registerRefreshMs?: number;
  /** A campaign still `creating` after this long was interrupted by a crash: it is canceled. */
  creatingTimeoutMs?: number;
  /** Sends made at once (each a few database writes and a publish). */
  sendConcurrency?: number;
}

interface Tracked {
  campaign: Campaign;
  /** Every update of the campaign, by device key. */
  updates: Map<string, UpdateDoc>;
  artifact: ArtifactInfo | null;
  registerAt: number;
}

const SHIFT_CACHE_MS = 10_000;
/** Device changes arrive by the thousand a second across a fleet: a campaign looks at most this often. */
const POKE_DELAY_MS = 50;
const PROGRESS_WRITE_MS = 3_000;

export class FirmwareEngine {
  private readonly tracked = new Map<string, Tracked>();
  /** Current command id → the update it belongs to. */
  private readonly byCommand = new Map<string, { campaign: string; device: string }>();
  /** Device key → the campaign holding its unfinished update. */
  private readonly byDevice = new Map<string, string>();
  private readonly registerFacts = new Map<string, RegisterFacts | null>();
  private onDuty: { at: number; officers: Promise<Set<string>> } | null = null;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly pokes = new Map<string, NodeJS.Timeout>();
  private windows = new Map<string, MaintenanceWindow>();
  private readonly pace: Pace;
  private ticking: Promise<void> | null = null;
  /** Update writes not waited for (steps, waiting reasons). */
  private readonly behind = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly updates: UpdatesRepository,
    private readonly transitions: CampaignTransitions,
    private readonly windowsService: WindowsService,
    private readonly artifacts: FirmwareArtifacts,
    private readonly fleet: FirmwareFleet,
    private readonly publish: CommandPublisher,
    private readonly events: DomainEventBus,
    private readonly opts: EngineOptions,
    private readonly log: Logger,
  ) {
    this.pace = new Pace(opts.sendsPerMinute);
  }

  /** Defines the tick on the process's scheduler (before it starts) and makes it repeat. */
  async useScheduler(jobs: JobScheduler): Promise<void> {
    jobs.define({
      name: TICK_JOB,
      data: z.unknown(),
      // A tick never runs long; one whose process died is taken over soon.
      lockLifetimeMs: Math.max(30_000, this.opts.tickMs * 10),
      handler: () => this.tick(),
    });
    await jobs.every(TICK_JOB, this.opts.tickMs);
  }

  /** Stops sending and waits for what is under way; the database is the state to resume from. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.pokes.values()) clearTimeout(t);
    this.pokes.clear();
    await this.ticking?.catch(() => undefined);
    await Promise.allSettled([...this.queues.values()]);
    await Promise.allSettled([...this.behind]);
  }

  // ---- what drives it ----

  /** One pass over every open campaign, from the database: the job's handler. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.ticking ??= this.pass().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async pass() {
    this.windows = await this.windowsService.byStation();
    const open = await this.campaigns.open();
    const ids = new Set(open.map((c) => c.id));
    for (const id of [...this.tracked.keys()]) if (!ids.has(id)) this.untrack(id);
    for (const { id } of open) {
      if (this.stopped) return;
      await this.serial(id, async () => {
        const c = await this.transitions.current(id);
        await this.process(c, true);
      });
    }
  }

  /** An ack from a device (`device.command-acked`): matched to its update by command id. */
  onAck(ack: Ack & { kind: 'camera' | 'dock'; id: string }): void {
    const ref = this.byCommand.get(ack.commandId);
    if (!ref || this.stopped) return;
    this.run(ref.campaign, async () => {
      const t = this.tracked.get(ref.campaign);
      const u = t?.updates.get(ref.device);
      if (!t || !u || u.kind !== ack.kind || u.device !== ack.id) return;
      const change = onAck(u, ack, this.limits(t.campaign));
      if (!change) return;
      await this.write(t, u, change);
      if (isTerminal(u.state)) {
        await this.evaluate(t);
        this.poke(t.campaign.id);
      }
    });
  }

  /**
   * Something about a device changed: its live state (`custody: false`) or its register record
   * (`custody: true`, read again). Its campaign, if any, looks at it again now.
   */
  deviceChanged(kind: 'camera' | 'dock', id: string, custody = false): void {
    const key = deviceKey(kind, id);
    const campaign = this.byDevice.get(key);
    if (!campaign || this.stopped) return;
    if (!custody) {
      // Live state matters to a device waiting to be fit, and to one coming back from its reboot.
      const state = this.tracked.get(campaign)?.updates.get(key)?.state;
      if (state === 'waiting' || state === 'rebooting') this.poke(campaign);
      return;
    }
    this.run(campaign, async () => {
      this.registerFacts.set(key, await this.fleet.register({ kind, id }));
    });
    this.poke(campaign);
  }

  /** A campaign changed (here or in another process): follow it from the database now. */
  campaignChanged(id: string): void {
    if (this.stopped) return;
    this.run(id, async () => {
      const c = await this.transitions.current(id);
      if (!c.open) return this.untrack(id);
      await this.process(c, false);
    });
  }

  /** Who is on shift changed: the reasons of waiting cameras may read differently. */
  shiftsChanged(): void {
    this.onDuty = null;
  }

  // ---- one campaign ----

  private async process(c: Campaign, fromTick: boolean) {
    const now = new Date();
    if (c.status === 'creating') {
      // Its updates are still being inserted: following it now would hold a partial list of them in
      // memory for good (devices never dispatched: the stalled waves of bench:firmware).
      this.untrack(c.id);
      if (now.getTime() - new Date(c.createdAt).getTime() > (this.opts.creatingTimeoutMs ?? 120_000)) {
        await this.transitions.change(c.id, engineContext, (x) =>
          x.status !== 'creating'
            ? null
            : {
                change: 'canceled',
                set: { status: 'canceled' },
                reason: 'its creation was interrupted',
                audit: {
                  action: 'firmware.campaign.cancel',
                  summary: `Campaign "${x.name}" canceled: its creation was interrupted`,
                },
              },
        );
      }
      return;
    }
    const t = await this.track(c, fromTick);
    if (c.status === 'awaiting-approval') return;
    await this.clock(t, now);
    if (t.campaign.status === 'canceled') await this.cancelRemaining(t, now);
    await this.evaluate(t);
    if (t.campaign.status === 'running') {
      await this.dispatch(t, now);
      await this.evaluate(t);
    }
    await this.closeIfEnded(t);
  }

  /** Starts following a campaign (its updates into memory) or refreshes what is followed. */
  private async track(c: Campaign, fromTick: boolean): Promise<Tracked> {
    let t = this.tracked.get(c.id);
    if (!t) {
      const docs = await this.updates.ofCampaign(c.id);
      t = { campaign: c, updates: new Map(), artifact: null, registerAt: 0 };
      const floor = new Date(Date.now() + c.stepTimeoutS * 1000);
      for (const u of docs) {
        const key = deviceKey(u.kind, u.device);
        t.updates.set(key, u);
        if (isTerminal(u.state)) continue;
        this.byDevice.set(key, c.id);
        if (u.commandId && isInFlight(u.state)) {
          this.byCommand.set(u.commandId, { campaign: c.id, device: key });
          // The devices went on while no engine followed them (a restart): a full step from now.
          if (!u.stepDeadline || u.stepDeadline < floor) u.stepDeadline = floor;
        }
      }
      this.tracked.set(c.id, t);
    }
    t.campaign = c;
    t.artifact ??= await this.artifacts.get(c.artifact);
    const stale = Date.now() - t.registerAt > (this.opts.registerRefreshMs ?? 30_000);
    if (t.registerAt === 0 || (fromTick && stale)) {
      const register = await this.fleet.devices(c.kind, c.model);
      const byKey = new Map(register.map((d) => [deviceKey(d.kind, d.id), d]));
      for (const key of t.updates.keys()) this.registerFacts.set(key, byKey.get(key) ?? null);
      t.registerAt = Date.now();
    }
    return t;
  }

  private untrack(id: string) {
    const t = this.tracked.get(id);
    if (!t) return;
    for (const [key, u] of t.updates) {
      if (this.byDevice.get(key) === id) this.byDevice.delete(key);
      if (u.commandId) this.byCommand.delete(u.commandId);
      this.registerFacts.delete(key);
    }
    this.tracked.delete(id);
  }

  /** Timeouts, and rebooted devices' telemetry. */
  private async clock(t: Tracked, now: Date) {
    const l = this.limits(t.campaign, now);
    for (const u of t.updates.values()) {
      if (!isInFlight(u.state)) continue;
      const change =
        (u.state === 'rebooting' ? onTelemetry(u, this.telemetry(u), t.campaign.version, l) : null) ??
        onClock(u, l);
      if (change) await this.write(t, u, change);
      // Each failure is judged at once: the error threshold must trip before anything else is sent.
      if (change?.state === 'failed') await this.evaluate(t);
    }
  }

  private async cancelRemaining(t: Tracked, now: Date) {
    const l = this.limits(t.campaign, now);
    for (const u of t.updates.values()) {
      const change = onCancel(u, l);
      if (change) await this.write(t, u, change);
    }
  }

  /** Sends eligible devices of started waves their command, within the pace; the others wait, with why. */
  private async dispatch(t: Tracked, now: Date) {
    const c = t.campaign;
    const waves = new Set(c.waves.filter(started).map((w) => w.index));
    const candidates = [...t.updates.values()]
      .filter(
        (u) =>
          waves.has(u.wave) &&
          (u.state === 'pending' ||
            u.state === 'waiting' ||
            (u.state === 'retry-wait' && u.retryAt !== null && u.retryAt <= now)),
      )
      .sort((a, b) => a.wave - b.wave || a.order - b.order);
    const batch: UpdateDoc[] = [];
    for (const u of candidates) {
      if (this.stopped) return;
      const key = deviceKey(u.kind, u.device);
      if (!this.registerFacts.has(key)) this.registerFacts.set(key, await this.fleet.register(ref(u)));
      const verdict = await this.eligibility(c, u, this.registerFacts.get(key) ?? null, now);
      if (!verdict.eligible) {
        await this.wait(t, u, verdict.reason);
      } else if (this.pace.take(now.getTime())) {
        batch.push(u);
      } else if (u.state === 'pending') {
        await this.wait(t, u, `queued: at most ${this.opts.sendsPerMinute} commands a minute`);
      }
    }
    const width = this.opts.sendConcurrency ?? 8;
    for (let i = 0; i < batch.length; i += width) {
      await Promise.all(batch.slice(i, i + width).map((u) => this.send(t, u)));
    }
  }

  /**
   * Sends one device its command: eligibility again on the register and window as they are now, the
   * download grant, the attempt's claim, the publish, then the update as sent.
   */
  private async send(t: Tracked, u: UpdateDoc) {
    const c = t.campaign;
    const device = ref(u);
    const key = deviceKey(u.kind, u.device);
    const now = new Date();
    // At the moment of sending: the register record and the station's window as they are now.
    const register = await this.fleet.register(device);
    this.registerFacts.set(key, register);
    const station = register?.station ?? u.station;
    const window = await this.windowsService.of(station);
    if (window) this.windows.set(station, window);
    else this.windows.delete(station);
    const verdict = await this.eligibility(c, u, register, now);
    if (!verdict.eligible || c.status !== 'running' || this.stopped) {
      this.pace.refund();
      if (!verdict.eligible) await this.wait(t, u, verdict.reason);
      return;
    }
    const artifact = t.artifact;
    if (!artifact) {
      await this.write(t, u, {
        state: 'failed',
        reason: `artifact ${c.artifact} is not stored`,
        finishedAt: now,
      });
      return;
    }
    // The grant first: alone it only lets the device fetch bytes it may be sent; a failure here
    // must not leave a claimed attempt that was never published.
    await this.artifacts.grant(device, artifact.id);
    const attempt = u.attempt + 1;
    const claim = `${c.id}|${key}|${attempt}`;
    let commandId = randomBytes(8).toString('hex');
    const mine = await this.updates.claimCommand(claim, commandId);
    if (!mine) {
      // This attempt's command went out before (a process that died before recording it): the
      // device has it, or will time out; it is never sent a second one.
      commandId = (await this.updates.command(claim))?.commandId ?? commandId;
      this.log.warn(
        { campaign: c.id, device: key, attempt },
        'firmware command already claimed; not sent again',
      );
    }
    const sent: UpdateChange & { attempt: number; commandId: string } = {
      state: 'sent',
      attempt,
      commandId,
      reason: null,
      progress: null,
      retryAt: null,
      rebootingTs: null,
      stepDeadline: new Date(now.getTime() + c.stepTimeoutS * 1000),
      lastStageAt: now,
    };
    if (u.commandId) this.byCommand.delete(u.commandId);
    this.byCommand.set(commandId, { campaign: c.id, device: key });
    if (mine) {
      try {
        await this.publish(device, {
          commandId,
          type: 'firmware-update',
          version: artifact.version,
          url: `${this.opts.downloadBase()}${this.artifacts.downloadPath(artifact.id)}`,
          size: artifact.size,
          sha256: artifact.sha256,
          signature: artifact.signature,
        });
      } catch (err) {
        this.log.warn({ err, device: key }, 'firmware command not published');
        const failure = transientFailure({ attempt }, 'the command could not be sent', this.limits(c));
        await this.write(t, u, { ...failure, attempt, commandId });
        return;
      }
    }
    await this.write(t, u, sent);
  }

  private async eligibility(
    c: Campaign,
    u: UpdateDoc,
    register: RegisterFacts | null,
    now: Date,
  ): Promise<Eligibility> {
    const holder = register?.status === 'issued' ? register.holder : null;
    return eligibility({
      kind: u.kind,
      register,
      live: this.fleet.live(ref(u)),
      holderOnShift: holder ? await this.onShift(holder, now) : false,
      window: this.windows.get(register?.station ?? u.station) ?? null,
      now,
      minBattery: c.minBattery,
    });
  }

  /** Whether the officer is on shift now (who is on shift is read at most every 10 s, or after a roster change). */
  private async onShift(officer: string, now: Date): Promise<boolean> {
    if (!this.onDuty || now.getTime() - this.onDuty.at > SHIFT_CACHE_MS) {
      const officers = this.fleet.officersOnShift(now);
      this.onDuty = { at: now.getTime(), officers };
      officers.catch(() => (this.onDuty = null));
    }
    // Only the wording of a reason depends on it: an issued camera waits either way.
    return (await this.onDuty.officers.catch(() => new Set<string>())).has(officer);
  }

  private async wait(t: Tracked, u: UpdateDoc, reason: string) {
    if (u.state === 'waiting' && u.reason === reason) return;
    await this.write(t, u, { state: 'waiting', reason, retryAt: null });
  }

  /** Judges thresholds and waves; carries a decision out as one transition. */
  private async evaluate(t: Tracked): Promise<void> {
    const c = t.campaign;
    if (c.status !== 'running') return;
    const d = decide(c, this.countsByWave(t));
    if (d.type === 'none') return;
    if (d.type === 'complete') await this.updates.releaseAll(c.id);
    await this.transition(t, (x) => (x.status === 'running' ? this.transitionFor(x, d, t) : null));
  }

  private transitionFor(c: Campaign, d: Exclude<Decision, { type: 'none' }>, t: Tracked): Transition {
    switch (d.type) {
      case 'pause':
        return {
          change: 'paused',
          wave: c.currentWave,
          reason: d.reason,
          set: { status: 'paused', pausedReason: d.reason, pauseKind: d.kind },
          audit: {
            action: 'firmware.campaign.pause',
            summary: `Campaign "${c.name}" paused itself: ${d.reason}`,
          },
        };
      case 'advance': {
        const counts = this.countsByWave(t).get(d.done) ?? {};
        const result = `${counts.succeeded ?? 0} succeeded, ${counts.failed ?? 0} failed`;
        const waves = c.waves.map((w) =>
          w.index === d.done
            ? { ...w, status: 'done' as const }
            : w.index === d.next
              ? { ...w, status: d.nextStatus }
              : w,
        );
        const running = d.nextStatus === 'running';
        return {
          change: running ? 'wave-started' : 'wave-awaiting-approval',
          wave: d.next,
          set: { waves, ...(running && { currentWave: d.next }) },
          audit: {
            action: running ? 'firmware.campaign.wave-start' : 'firmware.campaign.wave-await',
            summary: `Campaign "${c.name}": ${waveName(d.done, c.canarySize)} done (${result}); ${waveName(
              d.next,
              c.canarySize,
            )} ${running ? 'started' : 'awaits approval'}`,
          },
        };
      }
      case 'complete': {
        const all: Counts = {};
        for (const u of t.updates.values()) all[u.state] = (all[u.state] ?? 0) + 1;
        return {
          change: 'completed',
          wave: c.currentWave,
          set: {
            status: 'completed',
            open: false,
            waves: c.waves.map((w) => ({ ...w, status: 'done' as const })),
          },
          audit: {
            action: 'firmware.campaign.complete',
            summary: `Campaign "${c.name}" completed: ${all.succeeded ?? 0} succeeded, ${all.failed ?? 0} failed${
              all.canceled ? `, ${all.canceled} canceled` : ''
            }`,
          },
        };
      }
    }
  }

  /** A canceled campaign whose every update has ended lets go of its devices and is no longer followed. */
  private async closeIfEnded(t: Tracked) {
    const c = t.campaign;
    if (c.status !== 'canceled' && c.status !== 'completed') return;
    if ([...t.updates.values()].some((u) => !isTerminal(u.state))) return;
    await this.updates.releaseAll(c.id);
    await this.transition(t, (x) => (x.open ? { change: null, set: { open: false } } : null));
    this.untrack(c.id);
  }

  private async transition(t: Tracked, decideFn: (c: Campaign) => Transition | null) {
    t.campaign = await this.transitions.change(t.campaign.id, engineContext, decideFn);
  }

  /** Writes a change to an update: memory, database, the spine. */
  private async write(
    t: Tracked,
    u: UpdateDoc,
    change: UpdateChange & { attempt?: number; commandId?: string },
  ) {
    const before = { state: u.state, reason: u.reason, updatedAt: new Date(u.updatedAt).getTime() };
    const updatedAt = new Date();
    Object.assign(u, change, { updatedAt });
    // Download progress alone is written at most every few seconds (a device reports it often);
    // its new deadline lives in memory (a restarted engine gives every device a full step anyway).
    const progressOnly =
      before.state === u.state && before.reason === u.reason && change.progress !== undefined;
    if (progressOnly && updatedAt.getTime() - before.updatedAt < PROGRESS_WRITE_MS) {
      u.updatedAt = new Date(before.updatedAt);
      return;
    }
    const written = this.updates.set(u._id, { ...change, updatedAt });
    const key = deviceKey(u.kind, u.device);
    if (u.state === 'waiting' || (isInFlight(u.state) && u.state !== 'sent')) {
      // A step reached, or why a device waits: the engine goes on from memory (steps only move
      // forward, so a write lost in a crash is made good by the device's next ack). In order with
      // the update's other writes; awaited by stop().
      this.behind.add(written);
      written
        .catch((err: unknown) => this.log.error({ err, update: u._id }, 'firmware update not written'))
        .finally(() => this.behind.delete(written));
    } else {
      // Sent, retrying, ended: what claims, memberships and thresholds rest on is written first.
      await written;
    }
    if (isTerminal(u.state)) {
      if (this.byDevice.get(key) === t.campaign.id) this.byDevice.delete(key);
      if (u.commandId) this.byCommand.delete(u.commandId);
      await this.updates.release(t.campaign.id, key);
    }
    if (before.state !== u.state || before.reason !== u.reason) {
      this.events.publish('firmware.device-update-changed', {
        campaign: t.campaign.id,
        kind: u.kind,
        device: u.device,
        wave: u.wave,
        state: u.state,
        reason: u.reason,
        version: t.campaign.version,
      });
    }
  }

  private countsByWave(t: Tracked): Map<number, Counts> {
    const m = new Map<number, Counts>();
    for (const u of t.updates.values()) {
      const w = m.get(u.wave) ?? {};
      w[u.state] = (w[u.state] ?? 0) + 1;
      m.set(u.wave, w);
    }
    return m;
  }

  private telemetry(u: UpdateDoc) {
    const live = this.fleet.live(ref(u));
    const ts = live?.camera?.ts ?? live?.dock?.ts;
    return live && ts ? { ts, firmware: live.firmware, online: live.online } : null;
  }

  private limits(c: Campaign, now = new Date()): Limits {
    return { now, stepTimeoutS: c.stepTimeoutS, maxRetries: c.maxRetries, retryBaseS: this.opts.retryBaseS };
  }

  // ---- one queue per campaign ----

  /** Runs `fn` after everything queued for the campaign; resolves with it. */
  private serial<T>(campaign: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(campaign) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    const settled = next.catch(() => undefined);
    this.queues.set(campaign, settled);
    void settled.then(() => {
      if (this.queues.get(campaign) === settled) this.queues.delete(campaign);
    });
    return next;
  }

  /** As `serial`, from an event: failures are logged (the next tick does it from the database). */
  private run(campaign: string, fn: () => Promise<unknown>) {
    this.serial(campaign, fn).catch((err: unknown) =>
      this.log.error({ err, campaign }, 'firmware engine step failed; the next tick retries it'),
    );
  }

  /** Processes the campaign soon (coalesced): an ack, a device or a custody change made it worth it. */
  private poke(campaign: string) {
    if (this.pokes.has(campaign) || this.stopped) return;
    this.pokes.set(
      campaign,
      setTimeout(() => {
        this.pokes.delete(campaign);
        const t = this.tracked.get(campaign);
        if (t) this.run(campaign, () => this.process(t.campaign, false));
      }, POKE_DELAY_MS),
    );
  }
}

const ref = (u: Pick<UpdateDoc, 'kind' | 'device'>) => ({ kind: u.kind, id: u.device });
