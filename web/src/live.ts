// The live feed: one Socket.IO connection per tab. It keeps the fleet state (snapshot + diffs), the
// watched readiness board and the firmware campaigns pushed to IT, and lets React subscribe
// (useSyncExternalStore). On every (re)connect the server sends a fresh snapshot, so a dropped
// network heals without a reload (the firmware screens fetch again on reconnect).
import { io, type Socket } from 'socket.io-client';
import { useSyncExternalStore } from 'react';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/realtime/events.js';
import { applyDiff, emptyFleet, fromSnapshot, type FleetState } from './lib/devices.js';
import type { CampaignDetail } from './lib/firmware/types.js';
import type { ReadinessAlert, ReadinessBoard } from './lib/types.js';
import { alertsWithBoard } from './lib/readiness-alerts.js';

export type Connection = 'connecting' | 'live' | 'offline' | 'refused';

interface LiveState {
  connection: Connection;
  fleet: FleetState;
  board: ReadinessBoard | null;
  boardError: string | null;
  alerts: ReadinessAlert[];
  /** The latest `firmware:campaign` of each campaign, numbered in order of arrival. */
  campaigns: ReadonlyMap<string, LiveCampaign>;
}

export interface LiveCampaign {
  /** Arrival order across all campaigns: a screen keeps what it fetched unless a push came after. */
  seq: number;
  detail: CampaignDetail;
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: Client | null = null;
let watching: string | null = null;
/**
 * When the fleet was last sent whole: a snapshot's arrival, or a connect (which brings one). One
 * this recent is as good as a new one: opening a screen then asks for none.
 */
let fleetAt = 0;
const FRESH_SNAPSHOT_MS = 5_000;
let campaignSeq = 0;
const initial = (): LiveState => ({
  connection: 'connecting',
  fleet: emptyFleet(),
  board: null,
  boardError: null,
  alerts: [],
  campaigns: new Map(),
});
let state: LiveState = initial();
const listeners = new Set<() => void>();

const set = (patch: Partial<LiveState>) => {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
};

/**
 * The rows each screen shows (`camera:SERIAL`), by screen: the server sends their readings to this
 * tab only (src/realtime/views.ts), so a phone is not sent ten thousand devices' batteries a second.
 */
const shownRows = new Map<string, string[]>();
let viewTimer: ReturnType<typeof setTimeout> | null = null;
const MAX_VIEW = 500;

function sendView() {
  viewTimer = null;
  if (!socket?.connected) return;
  const devices = [...new Set([...shownRows.values()].flat())].slice(0, MAX_VIEW);
  socket.emit('view', { devices });
}

/** A screen shows these rows now (an empty list: none). Sent at most every 200 ms while scrolling. */
export function showRows(screen: string, keys: string[]) {
  const before = shownRows.get(screen);
  if (before && before.length === keys.length && before.every((k, i) => k === keys[i])) return;
  if (keys.length === 0) shownRows.delete(screen);
  else shownRows.set(screen, keys);
  viewTimer ??= setTimeout(sendView, 200);
}

function watchNow(s: Client, station: string) {
  s.emit('readiness:watch', station, (reply) => {
    if (reply.ok)
      set({ board: reply.data, boardError: null, alerts: alertsWithBoard(state.alerts, reply.data) });
    else set({ board: null, boardError: reply.error });
  });
}

/**
 * Opens the feed. Called at start, alongside the session check, so a signed-in user's snapshot is
 * on its way before that check returns; without a session it is refused and opened again at sign-in.
 */
export function startLive() {
  if (socket) return;
  set({ connection: 'connecting' });
  const s: Client = io({ path: '/socket.io', transports: ['websocket'], reconnectionDelayMax: 3000 });
  socket = s;
  s.on('connect', () => {
    performance.mark('live:connected'); // User Timing marks: bench:dashboard reads where load time goes
    fleetAt = Date.now();
    set({ connection: 'live' });
    if (watching) watchNow(s, watching);
    if (shownRows.size > 0) sendView();
  });
  s.on('disconnect', (reason) => {
    set({ connection: 'offline' });
    // The server closes a socket when its session ended or its user's rights changed, and the client
    // never reconnects on its own after that: try once, to be refused (logged out or disabled) or
    // admitted with the new rights.
    if (reason === 'io server disconnect') s.connect();
  });
  s.on('connect_error', (err) => {
    if (err.message === 'unauthenticated') {
      set({ connection: 'refused' });
      s.close();
      if (socket === s) socket = null; // signing in starts it again
    } else set({ connection: 'offline' });
  });
  s.on('snapshot', (snap) => {
    performance.mark('live:snapshot');
    fleetAt = Date.now();
    set({ fleet: fromSnapshot(snap) });
  });
  s.on('devices:diff', (diff) => {
    if (applyDiff(state.fleet, diff)) set({ fleet: { ...state.fleet } });
  });
  s.on('readiness:board', (board) => {
    if (board.station === watching) set({ board, alerts: alertsWithBoard(state.alerts, board) });
  });
  s.on('readiness:alert', (alert) => {
    if (alert.station === watching)
      set({ alerts: alertsWithBoard([alert, ...state.alerts].slice(0, 20), state.board) });
  });
  s.on('firmware:campaign', (detail) => {
    const campaigns = new Map(state.campaigns);
    campaigns.set(detail.id, { seq: ++campaignSeq, detail });
    set({ campaigns });
  });
}

export function stopLive() {
  socket?.close();
  socket = null;
  watching = null;
  shownRows.clear();
  fleetAt = 0;
  state = initial();
}

/** The arrival number of the latest campaign push: a fetch started now is older than any push after it. */
export const campaignPushSeq = () => campaignSeq;

/**
 * Asks for a fresh snapshot. Screens call it on open: diffs add and change rows but never remove
 * them (a camera moved to another station, an import undone). Not while connecting, nor within
 * FRESH_SNAPSHOT_MS of a connect or snapshot: at first load that was a second whole fleet built,
 * sent and parsed (and if the connect's snapshot never comes, a screen opened later still asks).
 */
export function resync() {
  if (!socket?.connected || Date.now() - fleetAt < FRESH_SNAPSHOT_MS) return;
  socket.emit('resync', (reply) => {
    if (reply.ok) {
      fleetAt = Date.now();
      set({ fleet: fromSnapshot(reply.data) });
    }
  });
}

export function watchReadiness(station: string) {
  if (watching !== station) set({ board: null, alerts: [], boardError: null });
  watching = station;
  if (socket?.connected) watchNow(socket, station);
}

export function dismissAlert(a: ReadinessAlert) {
  set({ alerts: state.alerts.filter((x) => x !== a) });
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useLive<T>(select: (s: LiveState) => T): T {
  return useSyncExternalStore(subscribe, () => select(state));
}
