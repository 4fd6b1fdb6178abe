import type { Role } from '../auth/roles.js';

declare global {
  namespace Express {
    /** The authenticated principal that passport puts on req.user. */
    interface User {
      username: string;
      displayName: string;
      role: Role;
      via: 'session' | 'token';
      tokenId?: string;
    }
  }
}
