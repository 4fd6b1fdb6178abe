// Which screens each role sees (the server enforces the same on every route).
import { PROGRAMME_ROLES } from './rollout/rules.js';
import { ROLES } from '../../../src/shared/roles.js';
import type { Role } from './types.js';

export type Screen =
  | 'fleet'
  | 'readiness'
  | 'stores'
  | 'clips'
  | 'firmware'
  | 'programme'
  | 'admin'
  | 'setup'
  | 'audit'
  | 'account';

export const SCREENS: Record<Screen, { label: string; roles: readonly Role[] }> = {
  fleet: { label: 'Fleet', roles: ['admin', 'stores', 'it', 'inspector', 'auditor', 'reviewer'] },
  readiness: { label: 'Shift readiness', roles: ['inspector', 'admin', 'auditor'] },
  stores: { label: 'Stores desk', roles: ['stores', 'admin'] },
  // Who sees clips (the server's clip viewers). Reviewers review them there (the queue, each clip's
  // player, missed faces, disclosures) and land on it; admins see originals; auditors read the log.
  clips: { label: 'Clips', roles: ['admin', 'inspector', 'auditor', 'reviewer'] },
  // IT and admins manage firmware; the auditor reads it (no action is offered).
  firmware: { label: 'Firmware', roles: ['it', 'admin', 'auditor'] },
  // The phased rollout (issue 17): the programme lead runs it, the board decides, the auditor reads.
  programme: { label: 'Programme', roles: PROGRAMME_ROLES },
  admin: { label: 'Admin', roles: ['admin'] },
  // Registering stations, docks, cameras and officers, CSV imports, labels (issue 19): the API's
  // register editors. Last, so the nav's order for everyone else is unchanged.
  setup: { label: 'Set-up', roles: ['stores', 'admin'] },
  // The audit trail, its verification and CSV export (issue 19): the server's audit readers.
  audit: { label: 'Audit', roles: ['auditor', 'admin'] },
  // Everyone's own account: the password change the first-run message and an admin's reset ask for.
  account: { label: 'My account', roles: ROLES },
};

export const screensFor = (role: Role): Screen[] =>
  (Object.keys(SCREENS) as Screen[]).filter((s) => SCREENS[s].roles.includes(role));

const HOME: Partial<Record<Role, Screen>> = {
  inspector: 'readiness',
  stores: 'stores',
  admin: 'admin',
  it: 'firmware',
  'programme-lead': 'programme',
  board: 'programme',
  reviewer: 'clips',
  // The audit trail is the auditor's work (issue 19).
  auditor: 'audit',
};

/** The first screen a role lands on: the one they use most. */
export const homeFor = (role: Role): Screen => HOME[role] ?? 'fleet';
