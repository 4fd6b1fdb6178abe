import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import { CLIP_STATUSES } from './clips.responses.js';

export { CLIP_STATUSES };
export type ClipStatus = (typeof CLIP_STATUSES)[number];

/**
 * The claim on one revision of a clip's derivative: _id is the original's hash for revision 1 (the
 * automatic redaction) and `{hash}:{revision}` for each re-render after a missed face was marked, so
 * only one insert can win even when two workers finish the same revision (agenda's job locks are not
 * atomic on FerretDB v1). Documents written before revisions existed lack the last three fields:
 * revision 1 of the clip in their _id, with no previous copy.
 */
const derivativeFields = {
  _id: { type: String, required: true },
  sha256: { type: String, required: true },
  size: { type: Number, required: true },
  manifestSha256: { type: String, required: true },
  producedBy: { type: String, required: true },
  producedAt: { type: Date, required: true },
  clip: { type: String, default: null },
  revision: { type: Number, default: null },
  /** The redacted copy (SHA-256) of the revision before, which this one replaces. */
  previous: { type: String, default: null },
};
const derivativeOptions = { collection: 'clip_derivatives', versionKey: false } as const;
export type DerivativeDoc = Stored<typeof derivativeFields, typeof derivativeOptions>;

/**
 * One offloaded clip. Its _id is the SHA-256 of the original: the same clip uploaded twice is one
 * document (the insert claims the hash; FerretDB v1 indexes _id lookups, and unique keys are atomic).
 */
const clipFields = {
  _id: { type: String, required: true },
  camera: { type: String, required: true },
  dock: { type: String, required: true },
  station: { type: String, default: null },
  /** Officer who held the camera when the clip was recorded (from the assignment history). */
  holder: { type: String, default: null },
  recordedFrom: { type: Date, required: true },
  recordedTo: { type: Date, required: true },
  size: { type: Number, required: true },
  status: { type: String, enum: CLIP_STATUSES, required: true },
  progress: { type: Number, default: 0 },
  failure: { type: Schema.Types.Mixed, default: null },
  /** The claimed derivative's fields (see DerivativeDoc), once the clip is redacted. */
  derivative: { type: Schema.Types.Mixed, default: null },
  manifestSummary: { type: Schema.Types.Mixed, default: null },
  review: { type: Schema.Types.Mixed, default: null },
  /**
   * The redaction's risk assessment (src/redaction/risk.ts): whether a person must look before it is
   * approved, and why. Null until redacted (and for clips redacted before assessments existed).
   */
  risk: { type: Schema.Types.Mixed, default: null },
  /** Marked by a reviewer as evidence in a case (the rollout measures the share so marked). */
  evidential: { type: Boolean, default: false },
  /** Who last set or cleared the mark, when and why. */
  evidentialMark: { type: Schema.Types.Mixed, default: null },
};
const clipOptions = { collection: 'clips', timestamps: true, versionKey: false } as const;
export type ClipDoc = Stored<
  typeof clipFields,
  typeof clipOptions,
  {
    failure: { reason: string; detail: string } | null;
    derivative: Omit<DerivativeDoc, '_id'> | null;
    manifestSummary: Record<string, unknown> | null;
    review: {
      decision: 'approved' | 'rejected';
      note: string;
      by: string;
      at: Date;
      /** The risk reasons (codes) the reviewer acknowledged, when the clip was flagged. */
      acknowledged?: string[];
    } | null;
    risk: ClipRisk | null;
    evidentialMark: { evidential: boolean; reason: string; by: string; at: Date } | null;
  }
>;

/** Why a redaction needs a person's review before approval, as the redaction assessed it. */
export interface ClipRisk {
  reviewRequired: boolean;
  reasons: Array<{ code: string; detail: string }>;
  /** The assessment's measures (shares of frames, tracks), for the reviewer's screen. */
  measures: Record<string, number>;
}

const clipSchema = new Schema<ClipDoc>(clipFields, clipOptions);
clipSchema.index({ status: 1, recordedFrom: -1 });
clipSchema.index({ camera: 1, recordedFrom: -1 });

const derivativeSchema = new Schema<DerivativeDoc>(derivativeFields, derivativeOptions);
derivativeSchema.index({ clip: 1 });

export const clipModel = (conn: Connection) => conn.model<ClipDoc>('Clip', clipSchema);
export const derivativeModel = (conn: Connection) =>
  conn.model<DerivativeDoc>('ClipDerivative', derivativeSchema);

/**
 * A redaction output written to evidence storage but not yet claimed (or discarded): noted before the
 * file is committed, cleared after, so a worker killed in between leaves a record of what to remove.
 */
const pendingFields = {
  _id: { type: String, required: true }, // the output's SHA-256
  clip: { type: String, required: true },
  at: { type: Date, required: true },
};
const pendingOptions = { collection: 'clip_outputs_pending', versionKey: false } as const;
export type PendingOutputDoc = Stored<typeof pendingFields, typeof pendingOptions>;

const pendingSchema = new Schema<PendingOutputDoc>(pendingFields, pendingOptions);
pendingSchema.index({ at: 1 });

export const pendingOutputModel = (conn: Connection) =>
  conn.model<PendingOutputDoc>('ClipPendingOutput', pendingSchema);

/**
 * A face the redaction missed, marked by a reviewer on one frame. _id `{clip}:{mark}`: marks are
 * numbered by claiming the next free number with an insert, so two reviewers marking at once get two
 * numbers. Mark n is covered from revision n + 1 on (revision 1 being the automatic redaction).
 */
const missedFaceFields = {
  _id: { type: String, required: true },
  clip: { type: String, required: true },
  mark: { type: Number, required: true },
  revision: { type: Number, required: true },
  frame: { type: Number, required: true },
  box: { type: Schema.Types.Mixed, required: true },
  note: { type: String, default: null },
  by: { type: String, required: true },
  at: { type: Date, required: true },
};
const missedFaceOptions = { collection: 'clip_missed_faces', versionKey: false } as const;
export type MissedFaceDoc = Stored<
  typeof missedFaceFields,
  typeof missedFaceOptions,
  { box: { x: number; y: number; w: number; h: number } }
>;
const missedFaceSchema = new Schema<MissedFaceDoc>(missedFaceFields, missedFaceOptions);
missedFaceSchema.index({ clip: 1 });
export const missedFaceModel = (conn: Connection) =>
  conn.model<MissedFaceDoc>('ClipMissedFace', missedFaceSchema);

/**
 * One disclosure of a clip's approved redacted copy (ICO guidance: date, recipient, reason), with the
 * exported file's hash and size: the download serves exactly that file. Never the original.
 */
const disclosureFields = {
  _id: { type: String, required: true },
  clip: { type: String, required: true },
  camera: { type: String, required: true },
  recordedFrom: { type: Date, required: true },
  revision: { type: Number, required: true },
  sha256: { type: String, required: true },
  size: { type: Number, required: true },
  recipient: { type: String, required: true },
  reason: { type: String, required: true },
  by: { type: String, required: true },
  at: { type: Date, required: true },
};
const disclosureOptions = { collection: 'clip_disclosures', versionKey: false } as const;
export type DisclosureDoc = Stored<typeof disclosureFields, typeof disclosureOptions>;
const disclosureSchema = new Schema<DisclosureDoc>(disclosureFields, disclosureOptions);
disclosureSchema.index({ at: -1 });
disclosureSchema.index({ clip: 1, at: -1 });
export const disclosureModel = (conn: Connection) =>
  conn.model<DisclosureDoc>('ClipDisclosure', disclosureSchema);
