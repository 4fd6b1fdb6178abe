import { z } from 'zod';
import { ROLES } from '../shared/roles.js';

// Same rule as people's station codes (kept here so auth does not depend on people).
const StationCode = z.string().regex(/^[A-Z0-9]{2,10}$/, 'upper-case letters and digits (2–10)');

export const Username = z
  .string()
  .regex(/^[a-z0-9._-]{2,64}$/i, 'letters, digits, dot, dash or underscore (2–64)');
export const Password = z.string().min(12, 'at least 12 characters').max(256);

export const LoginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export const TokenBody = z.object({ name: z.string().trim().min(1).max(100) });
export const TokenParams = z.object({ id: z.string().min(1).max(64) });

export const UserBody = z.object({
  username: Username,
  displayName: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  /** Home station; live feeds show only it, and stores/inspector writes are confined to it. Omitted or null: force-wide. */
  station: StationCode.nullable().default(null),
  password: Password,
});
export const UserPatch = z
  .object({
    displayName: z.string().trim().min(1).max(100),
    role: z.enum(ROLES),
    station: StationCode.nullable(),
    active: z.boolean(),
    password: Password,
  })
  .partial()
  .strict();
export const UserParams = z.object({ username: Username });
/** A user's own password change: the current one proves it is them; the new one meets the creation rules. */
export const PasswordChangeBody = z.object({
  currentPassword: z.string().min(1, 'your current password').max(256),
  newPassword: Password,
});
