// Shift readiness for duty inspectors: every officer on duty at a station now, with red/amber/green
// and why. Boards are recomputed (debounced) when the shift changes, when a device of the station
// changes, when a camera is issued, returned or changes status, and on a period (the clock moves
// them too: shifts start and end, batteries drain); an officer who got worse raises an alert on the
// live feed.
import type { Camera, FleetService } from '../fleet/index.js';
import type { Health } from '../devices/index.js';
import type { Logger } from '../logger.js';
import type { OfficerReadiness, Rag, ReadinessAlert, ReadinessBoard } from '../realtime/index.js';
import type { ShiftsService } from '../shifts/index.js';
import type { BatterySample } from './drain.js';
import { DRAIN_WINDOW_MS } from './drain.js';
import { assess, gotWorse, type CameraFacts, type ReadinessPolicy } from './rules.js';

/** The live side of cameras, provided by the device-state capability. */
export interface LiveCameraSource {
  live(serial: string): CameraFacts['live'];
  /** The camera's health as every screen shows it; null when it never reported. */
  cameraHealth(serial: string): Health | null;
  history(serial: string, since: Date): Promise<BatterySample[]>;
}

/** Where boards and alerts go (the realtime gateway; services never touch socket.io). */
export interface ReadinessFeed {
  readinessChanged(board: ReadinessBoard, alerts: ReadinessAlert[]): void;
}

/**
 * Who counts on the board: the phased rollout's scope (wired at composition). While no phase has
 * started (`active()` false) every officer counts, as before phases existed.
 */
export interface ReadinessScope {
  active(): Promise<boolean>;
  inScope(officer: string): Promise<boolean>;
}

/** Where every computed board goes to be kept as history (the rollout's readiness samples). */
export interface ReadinessSampleSink {
  sampled(board: ReadinessBoard): void;
}

/** How far ahead "the next shift" is looked for. */
export const NEXT_SHIFT_MS = 7 * 24 * 3_600_000;

export interface ReadinessOptions {
  policy: ReadinessPolicy;
  refreshMs: number;
  debounceMs: number;
}

export class ReadinessService {
  private readonly last = new Map<string, Map<string, Rag>>();
  /** Each board's officers' alarms (Verdict.alarms), and each station's as last remembered. */
  private readonly alarms = new WeakMap<ReadinessBoard, Map<string, string[]>>();
  private readonly lastAlarms = new Map<string, Map<string, string[]>>();
  private readonly watched = new Set<string>();
  private readonly cameraStation = new Map<string, string>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** Each watched station's board as last pushed (without its time): an unchanged board is not sent again. */
  private readonly pushed = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private feed: ReadinessFeed | null = null;
  private scope: ReadinessScope | null = null;
  private sampler: ReadinessSampleSink | null = null;

  constructor(
    private readonly shifts: ShiftsService,
    private readonly fleet: FleetService,
    private readonly live: LiveCameraSource,
    private readonly opts: ReadinessOptions,
    private readonly log: Logger,
  ) {}

  /**
   * Where boards go. Set once the realtime gateway exists: the gateway is built after the sessions
   * it admits sockets with (which need the database), and asks this service for its snapshots, so
   * one of the two must be handed to the other late.
   */
  useFeed(feed: ReadinessFeed) {
    this.feed = feed;
  }

  /** Who counts (the rollout's scope); without one every officer counts. */
  useScope(scope: ReadinessScope) {
    this.scope = scope;
  }

  /** Where boards are kept as history; set by the rollout's composition. */
  useSampler(sink: ReadinessSampleSink) {
    this.sampler = sink;
  }

  /** Every watched station's board again soon (the rollout's scope changed). */
  scopeChanged() {
    for (const s of this.watched) this.schedule(s);
  }

  /** A station's shifts changed (a roster import, a shift created or changed). */
  shiftsChanged(station: string) {
    this.schedule(station);
  }

  start() {
    this.timer ??= setInterval(() => {
      for (const s of this.watched) this.schedule(s);
    }, this.opts.refreshMs);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }

  /** The board now; the station is then kept fresh and pushed to the feed. */
  async watch(station: string): Promise<ReadinessBoard> {
    this.watched.add(station);
    const board = await this.board(station);
    this.remember(board);
    return board;
  }

  /** A camera's live state changed: recompute the station it is on duty at, if any. */
  cameraChanged(serial: string) {
    const station = this.cameraStation.get(serial);
    if (station) this.schedule(station);
  }

  /**
   * A camera was issued, returned, or its status changed: recompute the boards it can move. That is
   * its own station's, the one it was last on duty at, and any the officer concerned is on (a shift
   * may be at another station than the camera's).
   */
  assignmentChanged(change: { camera: string; station: string; officer: string | null }) {
    this.schedule(change.station);
    const was = this.cameraStation.get(change.camera);
    if (was) this.schedule(was);
    if (change.officer === null) return;
    for (const [station, rags] of this.last) if (rags.has(change.officer)) this.schedule(station);
  }

  /**
   * The board for a chosen moment: a time (`at`), or the station's next shift (its start). Cameras
   * are judged as they are now (their battery must last to the end of that shift); the board is not
   * watched, remembered nor sampled, since it is not the board of the moment.
   */
  async boardFor(station: string, when: { at?: Date; next?: boolean }): Promise<ReadinessBoard> {
    const now = new Date();
    if (!when.next) return when.at ? this.board(station, now, when.at) : this.board(station);
    const upcoming = (
      await this.shifts.list({ station, from: now, to: new Date(now.getTime() + NEXT_SHIFT_MS) })
    )
      .filter((s) => s.start > now)
      .sort((a, b) => a.start.getTime() - b.start.getTime())[0];
    // None within the horizon: the board at its end, with no shift and nobody on it.
    return this.board(station, now, upcoming?.start ?? new Date(now.getTime() + NEXT_SHIFT_MS));
  }

  async board(station: string, now = new Date(), at: Date = now): Promise<ReadinessBoard> {
    const live = at.getTime() === now.getTime();
    const duty = await this.shifts.onDuty(station, at);
    const held = new Map<string, Camera>();
    if (duty.officers.length > 0) {
      for (const c of await this.fleet.allCameras({ status: 'issued' })) if (c.holder) held.set(c.holder, c);
    }
    // An officer whose camera was reported lost or stolen keeps that as the reason (and the
    // camera's health: where it reports in from), not a bare "no camera issued" (issue 19).
    if (duty.officers.some((o) => !held.has(o.number))) {
      for (const c of await this.fleet.allCameras({ status: 'lost' })) {
        const before = c.lostBy ? held.get(c.lostBy) : undefined;
        if (c.lostBy && (!before || (before.status === 'lost' && before.updatedAt < c.updatedAt)))
          held.set(c.lostBy, c);
      }
    }
    const scoped = this.scope ? await this.scope.active() : false;
    const officers: OfficerReadiness[] = [];
    const outOfScope: OfficerReadiness[] = [];
    const alarms = new Map<string, string[]>();
    for (const o of duty.officers) {
      const cam = held.get(o.number) ?? null;
      if (cam && live) this.cameraStation.set(cam.serial, station);
      const facts: CameraFacts | null = cam
        ? {
            serial: cam.serial,
            status: cam.status,
            lostReason: cam.lostReason ?? null,
            live: this.live.live(cam.serial) ?? null,
            history: await this.live.history(cam.serial, new Date(now.getTime() - DRAIN_WINDOW_MS)),
          }
        : null;
      const v = assess(facts, o.end, now, this.opts.policy);
      if (v.alarms) alarms.set(o.number, v.alarms);
      const inScope = !scoped || (await this.scope!.inScope(o.number));
      (inScope ? officers : outOfScope).push({
        officer: o.number,
        name: o.name,
        camera: cam?.serial ?? null,
        cameraHealth: cam ? (this.live.cameraHealth(cam.serial) ?? 'unknown') : null,
        rag: v.rag,
        reasons: v.reasons,
        battery: facts?.live?.battery ?? null,
        batteryMinutesLeft: v.batteryMinutesLeft,
        inScope,
      });
    }
    // Worst first: the inspector reads the top of the list.
    const order: Record<Rag, number> = { red: 0, amber: 1, green: 2 };
    const worstFirst = (a: OfficerReadiness, b: OfficerReadiness) =>
      order[a.rag] - order[b.rag] || a.officer.localeCompare(b.officer);
    officers.sort(worstFirst);
    outOfScope.sort(worstFirst);
    const current = duty.shifts.find((s) => s.start <= at && s.end > at) ?? null;
    const board: ReadinessBoard = {
      station,
      at: at.toISOString(),
      shift: current && {
        id: current.id,
        team: current.team,
        start: current.start.toISOString(),
        end: current.end.toISOString(),
      },
      officers,
      outOfScope,
      scoped,
      working: officers.filter((o) => o.rag === 'green').length,
      onDuty: officers.length,
    };
    this.alarms.set(board, alarms);
    if (live) this.sampler?.sampled(board);
    return board;
  }

  private schedule(station: string) {
    if (!this.watched.has(station) || this.pending.has(station)) return;
    this.pending.set(
      station,
      setTimeout(() => {
        this.pending.delete(station);
        this.refresh(station).catch((err: unknown) =>
          this.log.error({ err, station }, 'readiness refresh failed'),
        );
      }, this.opts.debounceMs),
    );
  }

  private async refresh(station: string) {
    const board = await this.board(station);
    const alerts = this.remember(board);
    // Recomputed every few seconds and on every report of a camera on duty: a phone is sent the
    // board only when something on it changed (issue 19: a feed a mobile network can carry).
    const shown = JSON.stringify({ ...board, at: null });
    if (alerts.length === 0 && this.pushed.get(station) === shown) return;
    this.pushed.set(station, shown);
    this.feed?.readinessChanged(board, alerts);
  }

  /**
   * Stores each counted officer's RAG and returns alerts for those who got worse since the last
   * board. Officers out of the rollout's scope raise none: nobody expects them to carry a camera.
   * An alarm (a lost or stolen camera of theirs reporting in, and where) alerts whenever it is new,
   * for anyone on duty, even if they were red already: it is news for the police, not for the rota.
   */
  private remember(board: ReadinessBoard): ReadinessAlert[] {
    const before = this.last.get(board.station);
    const alarmsBefore = this.lastAlarms.get(board.station);
    const alarms = this.alarms.get(board) ?? new Map<string, string[]>();
    // Everyone on duty is remembered (a change of their camera moves this board), but only the
    // counted officers alert.
    const now = new Map([...board.officers, ...board.outOfScope].map((o) => [o.officer, o.rag] as const));
    this.last.set(board.station, now);
    this.lastAlarms.set(board.station, alarms);
    if (!before) return [];
    const newAlarm = (o: OfficerReadiness) => {
      const had = alarmsBefore?.get(o.officer) ?? [];
      return (alarms.get(o.officer) ?? []).some((a) => !had.includes(a));
    };
    return [...board.officers, ...board.outOfScope]
      .filter((o) => (o.inScope && gotWorse(before.get(o.officer) ?? null, o.rag)) || newAlarm(o))
      .map((o) => ({
        station: board.station,
        officer: o.officer,
        name: o.name,
        from: before.get(o.officer) ?? null,
        to: o.rag,
        reasons: o.reasons,
        at: board.at,
      }));
  }
}
