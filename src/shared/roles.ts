/** `reviewer` approves or rejects face redactions and may view originals. */
/**
 * `programme-lead` and `board` run and govern the phased rollout (issue 17); they read aggregates under
 * /rollout only. (Helper R's stand-in for helper P's roles change: take P's at the merge.)
 */
export const ROLES = [
  'admin',
  'stores',
  'it',
  'inspector',
  'auditor',
  'reviewer',
  'programme-lead',
  'board',
] as const;
export type Role = (typeof ROLES)[number];

/** Everyone who may read the fleet and people registers. */
export const ANY_ROLE: readonly Role[] = ROLES;
