// Which change a phase's status allows, pure: planned → approved → active → in review → complete,
// a gate review's "extend" back to active and "hold" staying in review.
import type { GateDecision, PhaseStatus } from './rollout.types.js';

export type PhaseAction = 'edit' | 'approve' | 'activate' | 'review' | 'gate';

const FROM: Record<PhaseAction, PhaseStatus> = {
  edit: 'planned',
  approve: 'planned',
  activate: 'approved',
  review: 'active',
  gate: 'in-review',
};

/** The status the action needs the phase to be in. */
export const requiredStatus = (a: PhaseAction): PhaseStatus => FROM[a];

export const allows = (status: PhaseStatus, a: PhaseAction) => FROM[a] === status;

/** The status a gate decision leaves the phase in. */
export function afterGate(d: GateDecision): PhaseStatus {
  switch (d) {
    case 'proceed':
      return 'complete';
    case 'extend':
      return 'active';
    case 'hold':
      return 'in-review';
  }
}

/** Officers in scope come from phases that have started (docs/rollout.md "Scope"). */
export const isStarted = (s: PhaseStatus) => s === 'active' || s === 'in-review' || s === 'complete';
