// Rollout phases, and the log of their changes.
//
// A phase changes by numbered transitions (the firmware campaigns' pattern, campaigns.model.ts):
// whoever changes it first inserts the log entry `<phase>|<rev>` holding the fields it sets, then
// writes the phase with `rev + 1`. The insert is the claim: of two approvals of the same phase only
// one gets in; the other re-reads and finds the phase approved (FerretDB v1 has no atomic
// conditional update). An entry whose writer died before the second write is applied by the next
// reader ("rolled forward"). Approvals also claim the next entry of the commitments ledger, so two
// phases approved at the same moment cannot both pass the funding check on the same figures.
import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import type { Actor } from '../shared/index.js';
import {
  ISSUE_MODES,
  PHASE_STATUSES,
  type EligibilityRule,
  type GateReview,
  type Phase,
} from './rollout.types.js';

export const PHASE_CHANGES = [
  'proposed',
  'edited',
  'approved',
  'activated',
  'review-started',
  'gate-proceed',
  'gate-extend',
  'gate-hold',
] as const;
export type PhaseChange = (typeof PHASE_CHANGES)[number];

const phaseFields = {
  /** The phase id again: phases are read by id (FerretDB serves only `_id` from an index). */
  _id: { type: String, required: true },
  id: { type: String, required: true },
  order: { type: Number, required: true, unique: true },
  name: { type: String, required: true },
  description: { type: String, default: '' },
  rule: { type: Schema.Types.Mixed, required: true },
  targetHeadcount: { type: Number, required: true },
  plannedStart: { type: String, required: true },
  plannedEnd: { type: String, required: true },
  issueMode: { type: String, enum: ISSUE_MODES, required: true },
  sparePercent: { type: Number, required: true },
  status: { type: String, enum: PHASE_STATUSES, required: true },
  committed: { type: Number, default: null },
  approval: { type: Schema.Types.Mixed, default: null },
  activatedAt: { type: String, default: null },
  completedAt: { type: String, default: null },
  gateReviews: { type: Schema.Types.Mixed, required: true },
  createdBy: { type: String, required: true },
  /** The number of transitions applied; the next one is logged as `<id>|<rev>`. */
  rev: { type: Number, required: true },
};
const phaseOptions = {
  collection: 'rollout_phases',
  timestamps: true,
  versionKey: false,
  minimize: false,
} as const;
export type PhaseDoc = Stored<
  typeof phaseFields,
  typeof phaseOptions,
  { rule: EligibilityRule; gateReviews: GateReview[]; approval: Phase['approval'] }
>;

/** The fields a transition may set. */
export type PhaseSet = Partial<
  Pick<
    PhaseDoc,
    | 'name'
    | 'description'
    | 'rule'
    | 'targetHeadcount'
    | 'plannedStart'
    | 'plannedEnd'
    | 'issueMode'
    | 'sparePercent'
    | 'status'
    | 'committed'
    | 'approval'
    | 'activatedAt'
    | 'completedAt'
    | 'gateReviews'
  >
>;

const transitionFields = {
  /** `<phase>|<rev>`: the claim on that revision. */
  _id: { type: String, required: true },
  phase: { type: String, required: true },
  rev: { type: Number, required: true },
  set: { type: Schema.Types.Mixed, required: true },
  change: { type: String, enum: PHASE_CHANGES, required: true },
  actor: { type: Schema.Types.Mixed, required: true },
  requestId: { type: String, default: null },
  /** The audit entry the change is recorded with (written once, by its key, whoever applies it). */
  audit: { type: Schema.Types.Mixed, required: true },
  at: { type: Date, required: true },
};
const transitionOptions = { collection: 'rollout_phase_log', versionKey: false, minimize: false } as const;
export type PhaseTransitionDoc = Stored<
  typeof transitionFields,
  typeof transitionOptions,
  {
    set: PhaseSet;
    actor: Actor;
    audit: { action: string; summary: string; changes: Record<string, unknown> };
  }
>;

const commitmentFields = {
  /** `c000042`: the 42nd approval; the insert claims the figures it was checked against. */
  _id: { type: String, required: true },
  phase: { type: String, required: true },
  amount: { type: Number, required: true },
  at: { type: Date, required: true },
};
const commitmentOptions = { collection: 'rollout_commitments', versionKey: false } as const;
export type CommitmentDoc = Stored<typeof commitmentFields, typeof commitmentOptions>;

const phaseSchema = new Schema<PhaseDoc>(phaseFields, phaseOptions);
const transitionSchema = new Schema<PhaseTransitionDoc>(transitionFields, transitionOptions);
const commitmentSchema = new Schema<CommitmentDoc>(commitmentFields, commitmentOptions);

export const phaseModel = (conn: Connection) => conn.model<PhaseDoc>('RolloutPhase', phaseSchema);
export const phaseTransitionModel = (conn: Connection) =>
  conn.model<PhaseTransitionDoc>('RolloutPhaseTransition', transitionSchema);
export const commitmentModel = (conn: Connection) =>
  conn.model<CommitmentDoc>('RolloutCommitment', commitmentSchema);
