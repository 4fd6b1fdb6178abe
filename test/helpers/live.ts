// Browser-like sessions for live-feed tests: a user of a role (and home station) logged in with a
// cookie, and Socket.IO clients that present it exactly as a browser on the same origin would.
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/realtime/index.js';
import type { Role } from '../../src/shared/roles.js';
import type { TestApp } from './app.js';

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Session {
  username: string;
  password: string;
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

let adminHeaders: WeakMap<TestApp, Record<string, string>> = new WeakMap();

export async function sessionFor(app: TestApp, role: Role, station: string | null = null): Promise<Session> {
  let admin = adminHeaders.get(app);
  if (!admin) {
    admin = await app.as('admin');
    adminHeaders.set(app, admin);
  }
  const username = `${role}-${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await app
    .http()
    .post('/api/v1/users')
    .set(admin)
    .send({ username, displayName: username, role, station, password })
    .expect(201);
  return logIn(app, username, password);
}

/** A new browser session for an existing user (another tab on another device, say). */
export async function logIn(app: TestApp, username: string, password: string): Promise<Session> {
  const login = await app.http().post('/api/v1/auth/login').send({ username, password }).expect(200);
  const setCookie = login.headers['set-cookie'] as unknown as string[];
  const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
  const csrf = login.body.csrfToken as string;
  return { username, password, cookie, csrf, headers: { Cookie: cookie, 'X-CSRF-Token': csrf } };
}

export function connect(app: TestApp, cookie?: string): LiveClient {
  return io(app.url, {
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
}

/** Resolves with the next occurrence of the event (rejects after ms). */
export function next<E extends keyof ServerToClientEvents>(
  socket: LiveClient,
  event: E,
  ms = 5000,
  pred: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${String(event)}' within ${ms} ms`)), ms);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!pred(...args)) return;
      clearTimeout(timer);
      (socket.off as (e: string, h: unknown) => void)(event, handler);
      resolve(args[0]);
    };
    (socket.on as (e: string, h: unknown) => void)(event, handler);
  });
}

export function connectError(socket: LiveClient, ms = 5000): Promise<Error> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connect_error')), ms);
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      resolve(err);
    });
  });
}

/** Resolves with the reason of the socket's next disconnect (rejects after ms). */
export function disconnected(socket: LiveClient, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not disconnected within ${ms} ms`)), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

export const resetAdmins = () => {
  adminHeaders = new WeakMap();
};
