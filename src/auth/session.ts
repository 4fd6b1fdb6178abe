// Browser sessions: an HttpOnly, SameSite=Strict cookie whose session lives in the database
// (so any API process can serve it), plus a per-session CSRF token for cookie-authenticated writes.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { AppError } from '../errors.js';

declare module 'express-session' {
  interface SessionData {
    csrfToken: string;
  }
}

export const SESSION_COOKIE = 'bwv.sid';

/** One secret for every process sharing the database: the first to start creates it. */
async function sessionSecret(conn: Connection): Promise<string> {
  const settings = conn.collection<{ _id: string; value: string }>('settings');
  try {
    await settings.insertOne({ _id: 'session-secret', value: randomBytes(32).toString('base64url') });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const doc = await settings.findOne({ _id: 'session-secret' });
  if (!doc) throw new Error('session secret missing after insert');
  return doc.value;
}

export interface Sessions {
  middleware: RequestHandler;
  /** Stops the sweep of expired sessions. */
  stop(): void;
}

const SWEEP_EVERY_MS = 10 * 60_000;

export async function sessionMiddleware(conn: Connection, ttlHours: number): Promise<Sessions> {
  const ttl = Math.round(ttlHours * 3600);
  const middleware = session({
    name: SESSION_COOKIE,
    secret: await sessionSecret(conn),
    resave: false,
    saveUninitialized: false,
    rolling: false,
    // Secure whenever the request arrived over TLS (directly or via a trusted proxy).
    cookie: { httpOnly: true, sameSite: 'strict', secure: 'auto', maxAge: ttl * 1000, path: '/' },
    store: MongoStore.create({
      client: conn.getClient(),
      dbName: conn.name,
      collectionName: 'sessions',
      ttl,
      // FerretDB v1 does not expire documents through TTL indexes, so we sweep (below) rather than
      // let connect-mongo's interval do it: that one deletes with w:0, which a stock FerretDB v1
      // answers anyway, putting its connection one reply out of step (docs/database.md, finding 15).
      autoRemove: 'disabled',
      stringify: false,
    }),
  });
  const sessions = conn.collection<{ _id: string; expires?: Date }>('sessions');
  const sweep = setInterval(() => {
    sessions.deleteMany({ expires: { $lt: new Date() } }).catch(() => undefined); // next sweep retries
  }, SWEEP_EVERY_MS).unref();
  return { middleware, stop: () => clearInterval(sweep) };
}

export function issueCsrfToken(
  req: Express.Request & { session: session.Session & Partial<session.SessionData> },
) {
  req.session.csrfToken ??= randomBytes(24).toString('base64url');
  return req.session.csrfToken;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Writes authenticated by the session cookie must echo the session's CSRF token. */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  if (SAFE.has(req.method) || req.user?.via !== 'session') return next();
  const expected = req.session.csrfToken;
  const sent = req.get('x-csrf-token');
  if (
    !expected ||
    !sent ||
    sent.length !== expected.length ||
    !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))
  ) {
    return next(
      new AppError(
        'csrf-token-invalid',
        'Send the X-CSRF-Token header from the login response or GET /api/v1/me',
      ),
    );
  }
  next();
};
