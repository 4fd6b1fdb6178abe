// Which screens each role sees (the server enforces the same on every route).
import type { Role } from './types.js';

export type Screen = 'fleet' | 'readiness' | 'stores' | 'admin';

export const SCREENS: Record<Screen, { label: string; roles: readonly Role[] }> = {
  fleet: { label: 'Fleet', roles: ['admin', 'stores', 'it', 'inspector', 'auditor', 'reviewer'] },
  readiness: { label: 'Shift readiness', roles: ['inspector', 'admin', 'auditor'] },
  stores: { label: 'Stores desk', roles: ['stores', 'admin'] },
  admin: { label: 'Admin', roles: ['admin'] },
};

export const screensFor = (role: Role): Screen[] =>
  (Object.keys(SCREENS) as Screen[]).filter((s) => SCREENS[s].roles.includes(role));

/** The first screen a role lands on: the one they use most. */
export const homeFor = (role: Role): Screen =>
  role === 'inspector' ? 'readiness' : role === 'stores' ? 'stores' : role === 'admin' ? 'admin' : 'fleet';
