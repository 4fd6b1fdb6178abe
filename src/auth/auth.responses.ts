// What the auth and user routes answer: the API reference's response schemas and the web app's types.
import { z } from 'zod';
import { ROLES } from '../shared/roles.js';
import { Timestamp } from '../shared/responses.js';

export const UserResponse = z
  .object({
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    station: z.string().nullable().meta({ description: 'Set: the user acts for this station only' }),
    active: z.boolean(),
    mustChangePassword: z.boolean().meta({
      description: 'An admin reset the password: the user must choose their own before anything else',
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'User' });
export type UserResponse = z.infer<typeof UserResponse>;

/** POST /auth/login; GET /me adds how the caller authenticated. */
export const SessionResponse = z.object({
  user: UserResponse.extend({ via: z.enum(['session', 'token']).optional() }),
  csrfToken: z.string().optional().meta({ description: 'Send as X-CSRF-Token on writes (sessions only)' }),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const TokenResponse = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().meta({ description: 'The token’s first characters, to recognise it' }),
  createdAt: Timestamp,
  revokedAt: Timestamp.nullable(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;
