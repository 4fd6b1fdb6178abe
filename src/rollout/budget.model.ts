// The programme's money: the business case and cost lines (one document, replaced whole), funding
// tranches, their releases, recorded savings and spend. A tranche's release is a document of its own
// whose `_id` is the tranche id: whoever inserts it first released the tranche, so however many
// savings are recorded at once, a tranche is released (and audited) once.
import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import { COST_KINDS, type CostLine } from './rollout.types.js';

const budgetFields = {
  /** Always `budget`: one per platform. */
  _id: { type: String, required: true },
  businessCase: {
    total: { type: Number, required: true },
    years: { type: Number, required: true },
    note: { type: String, default: '' },
  },
  costLines: { type: Schema.Types.Mixed, required: true },
};
const budgetOptions = {
  collection: 'rollout_budget',
  timestamps: true,
  versionKey: false,
  minimize: false,
} as const;
export type BudgetDoc = Stored<typeof budgetFields, typeof budgetOptions, { costLines: CostLine[] }>;

const trancheFields = {
  _id: { type: String, required: true },
  name: { type: String, required: true },
  amount: { type: Number, required: true },
  trigger: { type: Number, required: true },
};
const trancheOptions = { collection: 'rollout_tranches', timestamps: true, versionKey: false } as const;
export type TrancheDoc = Stored<typeof trancheFields, typeof trancheOptions>;

const releaseFields = {
  /** The tranche's id: the claim. */
  _id: { type: String, required: true },
  at: { type: Date, required: true },
  /** Cumulative savings the releaser saw. */
  savings: { type: Number, required: true },
};
const releaseOptions = { collection: 'rollout_tranche_releases', versionKey: false } as const;
export type ReleaseDoc = Stored<typeof releaseFields, typeof releaseOptions>;

const savingFields = {
  _id: { type: String, required: true },
  amount: { type: Number, required: true },
  note: { type: String, default: '' },
  at: { type: Date, required: true },
  by: { type: String, required: true },
};
const savingOptions = { collection: 'rollout_savings', timestamps: true, versionKey: false } as const;
export type SavingDoc = Stored<typeof savingFields, typeof savingOptions>;

const spendFields = {
  _id: { type: String, required: true },
  phase: { type: String, required: true },
  kind: { type: String, enum: COST_KINDS, required: true },
  amount: { type: Number, required: true },
  note: { type: String, default: '' },
  at: { type: Date, required: true },
  by: { type: String, required: true },
};
const spendOptions = { collection: 'rollout_spend', timestamps: true, versionKey: false } as const;
export type SpendDoc = Stored<typeof spendFields, typeof spendOptions>;

export const budgetModel = (c: Connection) =>
  c.model<BudgetDoc>('RolloutBudget', new Schema<BudgetDoc>(budgetFields, budgetOptions));
export const trancheModel = (c: Connection) =>
  c.model<TrancheDoc>('RolloutTranche', new Schema<TrancheDoc>(trancheFields, trancheOptions));
export const releaseModel = (c: Connection) =>
  c.model<ReleaseDoc>('RolloutTrancheRelease', new Schema<ReleaseDoc>(releaseFields, releaseOptions));
export const savingModel = (c: Connection) =>
  c.model<SavingDoc>('RolloutSaving', new Schema<SavingDoc>(savingFields, savingOptions));
export const spendModel = (c: Connection) =>
  c.model<SpendDoc>('RolloutSpend', new Schema<SpendDoc>(spendFields, spendOptions));
