import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';

export const CLIP_STATUSES = ['queued', 'processing', 'redacted', 'failed', 'approved', 'rejected'] as const;
export type ClipStatus = (typeof CLIP_STATUSES)[number];

/**
 * The claim on a clip's one derivative: _id is the original's hash, so only one insert can win even
 * when two workers finish the same clip (agenda's job locks are not atomic on FerretDB v1).
 */
const derivativeFields = {
  _id: { type: String, required: true },
  sha256: { type: String, required: true },
  size: { type: Number, required: true },
  manifestSha256: { type: String, required: true },
  producedBy: { type: String, required: true },
  producedAt: { type: Date, required: true },
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
