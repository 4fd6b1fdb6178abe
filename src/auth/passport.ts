// passport strategies: username/password (login, then a session) and bearer API tokens.
import passport from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { User } from './users.repository.js';
import type { UsersService } from './users.service.js';

const principal = (u: User, via: 'session' | 'token', tokenId?: string): Express.User => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  station: u.station ?? null,
  via,
  ...(tokenId && { tokenId }),
  ...(u.mustChangePassword === true && { mustChangePassword: true as const }),
});

export function configurePassport(users: UsersService): passport.PassportStatic {
  const p = new passport.Passport() as passport.PassportStatic;
  p.use(
    new LocalStrategy((username, password, done) => {
      users.authenticate(username, password).then(
        (u) => done(null, u ? principal(u, 'session') : false),
        (err: unknown) => done(err),
      );
    }),
  );
  p.use(
    new BearerStrategy((token, done) => {
      users.userForToken(token).then(
        (found) => done(null, found ? principal(found.user, 'token', found.tokenId) : false),
        (err: unknown) => done(err),
      );
    }),
  );
  p.serializeUser((user, done) => done(null, user.username));
  // Re-read on every request so a disabled user or changed role takes effect at once.
  p.deserializeUser((username: string, done) => {
    users.activeUser(username).then(
      (u) => done(null, u ? principal(u, 'session') : false),
      (err: unknown) => done(err),
    );
  });
  return p;
}

const invalidToken = () => new AppError('invalid-token', 'The bearer token is unknown or revoked');

export const hasBearerToken = (req: Request) => /^bearer /i.test(req.get('authorization') ?? '');

/** A request with `Authorization: Bearer …` is authenticated by its token alone, never the cookie. */
export function bearerAuth(p: passport.PassportStatic): RequestHandler {
  return (req, res, next) => {
    if (!hasBearerToken(req)) return next();
    const authenticate = p.authenticate(
      'bearer',
      { session: false },
      (err: unknown, user: Express.User | false) => {
        if (err) return next(err);
        if (!user) return next(invalidToken());
        req.user = user;
        next();
      },
    ) as RequestHandler;
    void authenticate(req, res, next);
  };
}
