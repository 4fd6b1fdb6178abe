import { z } from 'zod';
import { ROLES } from './roles.js';

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
  password: Password,
});
export const UserPatch = z
  .object({
    displayName: z.string().trim().min(1).max(100),
    role: z.enum(ROLES),
    active: z.boolean(),
    password: Password,
  })
  .partial()
  .strict();
export const UserParams = z.object({ username: Username });
