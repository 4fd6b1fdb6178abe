import type { Role } from '../shared/roles.js';

declare global {
  namespace Express {
    /** The authenticated principal that passport puts on req.user. */
    interface User {
      username: string;
      displayName: string;
      role: Role;
      /** Home station (null: force-wide); scopes live feeds. */
      station: string | null;
      via: 'session' | 'token';
      tokenId?: string;
      /** An admin reset the password: only /me, /auth/password and /auth/logout answer until it is changed. */
      mustChangePassword?: true;
    }
  }
}
