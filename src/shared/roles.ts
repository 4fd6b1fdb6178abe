/** `reviewer` approves or rejects face redactions and may view originals. */
export const ROLES = ['admin', 'stores', 'it', 'inspector', 'auditor', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

/** Everyone who may read the fleet and people registers. */
export const ANY_ROLE: readonly Role[] = ROLES;
