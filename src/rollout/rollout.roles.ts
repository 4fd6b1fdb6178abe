// Who may do what under /rollout (docs/rollout.md "Roles"). The programme lead runs the programme,
// the board funds and decides it, admins may do everything, auditors read everything, inspectors
// read the phases; stores read the issue list of officers to equip. The rollout roles never see an
// officer: what the API answers them is aggregates.
export const ROLLOUT_READERS = ['programme-lead', 'board', 'admin', 'auditor'] as const;
export const PHASE_READERS = ['programme-lead', 'board', 'admin', 'auditor', 'inspector'] as const;
export const PROGRAMME_LEADS = ['programme-lead', 'admin'] as const;
export const BOARD = ['board', 'admin'] as const;
export const LEAD_OR_BOARD = ['programme-lead', 'board', 'admin'] as const;
export const ISSUE_LIST_READERS = ['stores', 'admin'] as const;
