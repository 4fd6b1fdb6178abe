/**
 * `reviewer` approves or rejects face redactions and may view originals. `programme-lead` runs the
 * phased rollout (proposes and runs phases, records savings, spend and concerns, publishes reports);
 * `board` approves phases, decides gate reviews and funds the programme. The two rollout roles see
 * the rollout's aggregates only: no register, no officer, no camera (least privilege).
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

/**
 * The staff who work with the fleet and people registers: everyone who may read them. The rollout
 * roles are not among them (they read the rollout's aggregates only); a new role joins this list
 * by a decision, never by being added to ROLES.
 */
export const STAFF_ROLES: readonly Role[] = ['admin', 'stores', 'it', 'inspector', 'auditor', 'reviewer'];

/** Every signed-in user: for what concerns the user's own session and API tokens only. */
export const EVERY_ROLE: readonly Role[] = ROLES;
