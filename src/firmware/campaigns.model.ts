// Firmware campaigns, and the log of their transitions.
//
// A campaign changes by numbered transitions: whoever changes it (a person through the API, the
// engine) first inserts the log entry `<campaign>|<rev>` holding the fields it sets, then writes the
// campaign with `rev + 1`. The insert is the claim: of two changes decided on the same revision
// only one gets in, the other re-reads and decides again (FerretDB v1 has no atomic conditional
// update). A writer that died between the two writes leaves its entry: the next one to find it
// applies it first ("rolls it forward"), so the campaign never loses a decided change.
import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import type { Actor } from '../shared/index.js';
import type { Wave } from './engine.waves.js';

export const CAMPAIGN_STATUSES = [
  /** Being created (memberships claimed, updates written); a crash here is cleaned up by the engine. */
  'creating',
  'awaiting-approval',
  'running',
  'paused',
  'completed',
  'canceled',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_CHANGES = [
  'created',
  'approved',
  'wave-started',
  'wave-awaiting-approval',
  'paused',
  'resumed',
  'canceled',
  'completed',
] as const;
export type CampaignChange = (typeof CAMPAIGN_CHANGES)[number];

const campaignFields = {
  _id: { type: String, required: true },
  id: { type: String, required: true },
  name: { type: String, required: true },
  kind: { type: String, enum: ['camera', 'dock'] as const, required: true },
  model: { type: String, required: true },
  artifact: { type: String, required: true },
  version: { type: String, required: true },
  fromRange: { type: String, default: null },
  stations: { type: [String], default: [] },
  devices: { type: [String], default: [] },
  canarySize: { type: Number, required: true },
  groups: { type: [Number], required: true },
  successThreshold: { type: Number, required: true },
  errorThreshold: { type: Schema.Types.Mixed, required: true },
  approveEachWave: { type: Boolean, required: true },
  stepTimeoutS: { type: Number, required: true },
  maxRetries: { type: Number, required: true },
  minBattery: { type: Number, required: true },
  status: { type: String, enum: CAMPAIGN_STATUSES, required: true },
  pausedReason: { type: String, default: null },
  /** Who or what paused it: a person, the error threshold, or a wave below the success threshold. */
  pauseKind: { type: String, enum: ['user', 'errors', 'wave'] as const, default: null },
  currentWave: { type: Number, default: null },
  waves: { type: Schema.Types.Mixed, required: true },
  /** Devices in the campaign (the waves' sizes add up to it). */
  total: { type: Number, required: true },
  /** Failures counted before the last resume: the error threshold counts only newer ones. */
  failuresAcknowledged: { type: Number, default: 0 },
  createdBy: { type: String, required: true },
  approvedBy: { type: String, default: null },
  rollbackOf: { type: String, default: null },
  /** Until completed, or canceled with every update ended: the engine follows open campaigns only. */
  open: { type: Boolean, required: true },
  /** The number of transitions applied; the next one is logged as `<id>|<rev>`. */
  rev: { type: Number, required: true },
};
const campaignOptions = { collection: 'firmware_campaigns', timestamps: true, versionKey: false } as const;
export type CampaignDoc = Stored<
  typeof campaignFields,
  typeof campaignOptions,
  { errorThreshold: { count: number | null; percent: number | null }; waves: Wave[] }
>;

const campaignSchema = new Schema<CampaignDoc>(campaignFields, campaignOptions);
campaignSchema.index({ open: 1 });
campaignSchema.index({ createdAt: -1 });

/** The fields a transition may set. */
export type CampaignSet = Partial<
  Pick<
    CampaignDoc,
    | 'status'
    | 'pausedReason'
    | 'pauseKind'
    | 'currentWave'
    | 'waves'
    | 'failuresAcknowledged'
    | 'approvedBy'
    | 'open'
    | 'total'
  >
>;

const transitionFields = {
  /** `<campaign>|<rev>`: the claim on that revision. */
  _id: { type: String, required: true },
  campaign: { type: String, required: true },
  rev: { type: Number, required: true },
  set: { type: Schema.Types.Mixed, required: true },
  /** What people and webhooks are told; null: a quiet change (the engine closing an ended campaign). */
  change: { type: String, enum: CAMPAIGN_CHANGES, default: null },
  wave: { type: Number, default: null },
  reason: { type: String, default: null },
  actor: { type: Schema.Types.Mixed, required: true },
  requestId: { type: String, default: null },
  /** The audit entry the change is recorded with (written once, by its key, whoever applies it). */
  audit: { type: Schema.Types.Mixed, default: null },
  at: { type: Date, required: true },
};
const transitionOptions = {
  collection: 'firmware_campaign_log',
  versionKey: false,
  minimize: false,
} as const;
export type TransitionDoc = Stored<
  typeof transitionFields,
  typeof transitionOptions,
  {
    set: CampaignSet;
    actor: Actor;
    audit: { action: string; summary: string; changes: Record<string, unknown> } | null;
  }
>;
const transitionSchema = new Schema<TransitionDoc>(transitionFields, transitionOptions);

export const campaignModel = (conn: Connection) =>
  conn.model<CampaignDoc>('FirmwareCampaign', campaignSchema);
export const transitionModel = (conn: Connection) =>
  conn.model<TransitionDoc>('FirmwareCampaignTransition', transitionSchema);
