export const ROLES = ['admin', 'stores', 'it', 'inspector', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Everyone who may read the fleet and people registers. */
export const ANY_ROLE: readonly Role[] = ROLES;
