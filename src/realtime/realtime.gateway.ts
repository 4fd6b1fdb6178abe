// Socket.IO on the platform's HTTP server. A socket is admitted only with a logged-in session
// cookie (the same `bwv.sid` the API uses, read through the same session store and passport), then
// joins the rooms its user may see (access.ts), gets a snapshot, and afterwards coalesced diffs.
// After a reconnect the client is simply sent a fresh snapshot: no replay log to keep.
// A socket lives no longer than what admitted it: logging out closes the session's sockets, and a
// user disabled or given another role or station has theirs closed (to reconnect with the new rights).
import type http from 'node:http';
import type { RequestHandler } from 'express';
import type { PassportStatic } from 'passport';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { sessionRef } from '../shared/index.js';
import {
  FIRMWARE_ROLES,
  FORCE_ROOM,
  maySeeReadiness,
  maySeeStation,
  readinessRoom,
  roleRoom,
  roomsFor,
  stationRoom,
  type Viewer,
} from './access.js';
import { Coalescer } from './coalescer.js';
import { DeviceViews, MAX_VIEW, deviceKey } from './views.js';
import type {
  Ack,
  ClientToServerEvents,
  DevicePatch,
  FirmwareCampaignDetail,
  LiveDevice,
  ReadinessAlert,
  ReadinessBoard,
  ServerToClientEvents,
  Snapshot,
  SocketData,
} from './events.js';

type IO = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Where snapshots come from; capabilities provide them at composition time. */
export interface SnapshotSources {
  devices(viewer: Viewer): Promise<LiveDevice[]>;
  readiness(station: string): Promise<ReadinessBoard>;
  /** One device's row as shown now (null: not in the register), for a row coming into view. */
  row(kind: 'camera' | 'dock', id: string): LiveDevice | null;
}

export interface GatewayOptions {
  server: http.Server;
  session: RequestHandler;
  passport: PassportStatic;
  log: Logger;
  /** Coalescing window for device diffs that every viewer in scope gets (register, health). */
  windowMs: number;
  /** Coalescing window for readings sent only to the screens showing the device (views.ts). */
  viewWindowMs?: number;
  /** Where snapshots come from. */
  sources: SnapshotSources;
}

const StationArg = z.string().regex(/^[A-Z0-9]{2,10}$/);
const ViewArg = z.object({
  devices: z.array(z.string().regex(/^(camera|dock):[A-Za-z0-9_-]{1,64}$/)).max(MAX_VIEW),
});

// Rooms used to find sockets to close, never to deliver to.
// Named by the session's digest, as the `user.session-ended` event names it (the id is a secret).
const sessionRoom = (ref: string) => `session:${ref}`;
const userRoom = (username: string) => `user:${username}`;

export class RealtimeGateway {
  private readonly io: IO;
  private readonly log: Logger;
  private readonly devices: Coalescer<DevicePatch>;
  /** Readings for the rows on someone's screen, coalesced over a longer window. */
  private readonly readings: Coalescer<DevicePatch>;
  private readonly views = new DeviceViews();
  private seq = 0;
  private readonly sources: SnapshotSources;

  constructor(opts: GatewayOptions) {
    this.log = opts.log.child({ component: 'realtime' });
    this.sources = opts.sources;
    this.io = new Server(opts.server, {
      path: '/socket.io',
      serveClient: false,
      // Same origin only: no CORS. The cookie is SameSite=Strict, so a cross-site page cannot ride it.
      // Large diff batches compress well; level 1 keeps the CPU cost low on a small machine. ws
      // honours the threshold only without context takeover: with it, every message, the connect
      // acknowledgement included, queued for the zlib threads behind the fleet's diff batches, and
      // a dashboard took 0.6–0.8 s to connect under a 10,000-device fleet (bench:dashboard).
      perMessageDeflate: {
        threshold: 2048,
        serverNoContextTakeover: true,
        zlibDeflateOptions: { level: 1 },
      },
    });
    // Session and passport run for the handshake request only (later polling requests carry the sid).
    const handshakeOnly =
      (mw: RequestHandler): Parameters<IO['engine']['use']>[0] =>
      (
        req: http.IncomingMessage & { _query?: Record<string, string> },
        res: http.ServerResponse,
        next: (err?: unknown) => void,
      ) => {
        if (req._query?.sid === undefined)
          (mw as unknown as (a: unknown, b: unknown, c: unknown) => void)(req, res, next);
        else next();
      };
    this.io.engine.use(handshakeOnly(opts.session));
    this.io.engine.use(handshakeOnly(opts.passport.initialize() as RequestHandler));
    this.io.engine.use(handshakeOnly(opts.passport.session() as RequestHandler));
    this.io.use((socket, next) => {
      const { user, sessionID } = socket.request as http.IncomingMessage & {
        user?: Express.User;
        sessionID?: string;
      };
      // [issue 5] an unauthenticated socket is refused: the client sees connect_error 'unauthenticated'.
      if (!user || !sessionID) return next(new Error('unauthenticated'));
      socket.data.viewer = {
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        station: user.station,
      };
      socket.data.sessionId = sessionID;
      next();
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    this.devices = new Coalescer<DevicePatch>(
      opts.windowMs,
      (older, newer) => ({ ...older, ...newer }),
      (batch) => this.flushDevices(batch),
    );
    this.readings = new Coalescer<DevicePatch>(
      opts.viewWindowMs ?? 500,
      (older, newer) => ({ ...older, ...newer }),
      (batch) => this.flushReadings(batch),
    );
  }

  /**
   * A device changed: what changed is queued, merged with other changes to it, and sent with the
   * next batch: to every viewer in scope when a shared field changed, otherwise only to the sockets
   * whose screen shows the device (views.ts).
   */
  deviceChanged(patch: DevicePatch) {
    const change = this.views.change(patch);
    if (!change) return;
    const key = deviceKey(patch);
    if (change.shared || this.devices.has(key)) {
      // Going to everyone anyway: readings waiting for the same device go with it, in order.
      const waiting = this.readings.take(key);
      this.devices.push(key, waiting ? { ...waiting, ...change.patch } : change.patch);
    } else if (this.views.watched(key)) this.readings.push(key, change.patch);
  }

  /** A station's readiness board changed; alerts are the officers who just got worse. */
  readinessChanged(board: ReadinessBoard, alerts: ReadinessAlert[]) {
    const room = this.io.to(readinessRoom(board.station));
    room.emit('readiness:board', board);
    for (const a of alerts) room.emit('readiness:alert', a);
  }

  /** Whether any socket here may see firmware campaigns (a campaign's page is not built for nobody). */
  firmwareWatched(): boolean {
    const rooms = this.io.sockets.adapter.rooms;
    return FIRMWARE_ROLES.some((r) => rooms.has(roleRoom(r)));
  }

  /** A campaign's page, to everyone whose role may read firmware (the caller throttles). */
  firmwareCampaign(detail: FirmwareCampaignDetail) {
    this.io.to(FIRMWARE_ROLES.map(roleRoom)).emit('firmware:campaign', detail);
  }

  /** The session (by its digest, shared/session-ref.ts) logged out: its sockets close now. */
  sessionEnded(session: string) {
    this.io.in(sessionRoom(session)).disconnectSockets(true);
  }

  /**
   * The user's rights changed or were withdrawn: their sockets close. The dashboard reconnects once
   * and is either admitted with the new rights (rooms, viewer) or refused.
   */
  accessChanged(username: string) {
    this.io.in(userRoom(username)).disconnectSockets(true);
  }

  /** How many sockets are connected now (for health and benchmarks). */
  connections() {
    return this.io.engine.clientsCount;
  }

  async close() {
    this.devices.close();
    this.readings.close();
    this.io.disconnectSockets(true);
    // io.close() would also close the HTTP server, which the platform closes itself.
    await new Promise<void>((resolve) => {
      this.io.engine.close();
      resolve();
    });
  }

  private flushDevices(batch: DevicePatch[]) {
    const seq = ++this.seq;
    const at = new Date().toISOString();
    // Socket.IO encodes a room's message before it looks for members: at fleet scale a batch is
    // hundreds of kilobytes of JSON, so rooms nobody is in are skipped. (This process's sockets are
    // all its rooms hold: each API process serves its own clients from its own device feed.)
    const rooms = this.io.sockets.adapter.rooms;
    const byStation = new Map<string, DevicePatch[]>();
    for (const p of batch) {
      if (!p.station || !rooms.has(stationRoom(p.station))) continue; // unregistered: force-wide only
      const list = byStation.get(p.station) ?? [];
      list.push(p);
      byStation.set(p.station, list);
    }
    for (const [station, changes] of byStation) {
      this.io.to(stationRoom(station)).emit('devices:diff', { seq, at, changes });
    }
    if (rooms.has(FORCE_ROOM)) this.io.to(FORCE_ROOM).emit('devices:diff', { seq, at, changes: batch });
  }

  /** Readings, each to the sockets whose screen shows the device (and who may see its station). */
  private flushReadings(batch: DevicePatch[]) {
    const seq = ++this.seq;
    const at = new Date().toISOString();
    const bySocket = new Map<string, DevicePatch[]>();
    for (const p of batch) {
      for (const id of this.views.watchersOf(deviceKey(p)) ?? []) {
        const list = bySocket.get(id) ?? [];
        list.push(p);
        bySocket.set(id, list);
      }
    }
    for (const [id, changes] of bySocket) {
      const socket = this.io.sockets.sockets.get(id);
      if (!socket) continue;
      const viewer = socket.data.viewer;
      const mine = changes.filter((c) => c.station !== null && maySeeStation(viewer, c.station));
      if (mine.length > 0) socket.emit('devices:diff', { seq, at, changes: mine });
    }
  }

  /** The socket's screen shows these rows now: those that came into view are sent whole at once. */
  private setView(socket: LiveSocket, keys: string[]) {
    const added = this.views.setView(socket.id, keys);
    const rows: DevicePatch[] = [];
    for (const key of added) {
      const [kind, id] = key.split(':') as ['camera' | 'dock', string];
      const row = this.sources.row(kind, id);
      if (row?.station && maySeeStation(socket.data.viewer, row.station)) rows.push(row);
    }
    if (rows.length > 0)
      socket.emit('devices:diff', { seq: ++this.seq, at: new Date().toISOString(), changes: rows });
  }

  private async snapshot(viewer: Viewer) {
    const seq = this.seq; // taken first: diffs after it are newer than what we read
    const all = await this.sources.devices(viewer);
    const devices = viewer.station === null ? all : all.filter((d) => d.station === viewer.station);
    return { at: new Date().toISOString(), seq, viewer, devices };
  }

  private onConnection(socket: LiveSocket) {
    const { viewer, sessionId } = socket.data;
    void socket.join([...roomsFor(viewer), sessionRoom(sessionRef(sessionId)), userRoom(viewer.username)]);
    this.snapshot(viewer).then(
      (s) => socket.emit('snapshot', s),
      (err: unknown) => this.log.error({ err }, 'snapshot failed'),
    );
    socket.on('view', (view: unknown) => {
      const parsed = ViewArg.safeParse(view);
      if (parsed.success) this.setView(socket, parsed.data.devices);
    });
    socket.on('disconnect', () => this.views.drop(socket.id));
    socket.on('resync', (ack: Ack<Snapshot>) => {
      if (typeof ack !== 'function') return;
      this.snapshot(viewer).then(
        (data) => ack({ ok: true, data }),
        (err: unknown) => {
          this.log.error({ err }, 'resync failed');
          ack({ ok: false, error: 'snapshot failed' });
        },
      );
    });
    socket.on('readiness:watch', (station: unknown, ack: Ack<ReadinessBoard>) => {
      if (typeof ack !== 'function') return;
      const parsed = StationArg.safeParse(station);
      if (!parsed.success) return ack({ ok: false, error: 'invalid station' });
      if (!maySeeReadiness(viewer, parsed.data)) return ack({ ok: false, error: 'forbidden' });
      // One watched station at a time per socket.
      for (const room of socket.rooms) if (room.startsWith('readiness:')) void socket.leave(room);
      void socket.join(readinessRoom(parsed.data));
      this.sources.readiness(parsed.data).then(
        (data) => ack({ ok: true, data }),
        (err: unknown) => {
          this.log.error({ err }, 'readiness snapshot failed');
          ack({ ok: false, error: 'readiness failed' });
        },
      );
    });
  }
}
