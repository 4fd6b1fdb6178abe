import { Schema, type Connection } from 'mongoose';

export const CLIP_STATUSES = ['queued', 'processing', 'redacted', 'failed', 'approved', 'rejected'] as const;
export type ClipStatus = (typeof CLIP_STATUSES)[number];

/**
 * One offloaded clip. Its _id is the SHA-256 of the original: the same clip uploaded twice is one
 * document (the insert claims the hash; FerretDB v1 indexes _id lookups, and unique keys are atomic).
 */
export interface ClipDoc {
  _id: string;
  camera: string;
  dock: string;
  station: string | null;
  /** Officer who held the camera when the clip was recorded (from the assignment history). */
  holder: string | null;
  recordedFrom: Date;
  recordedTo: Date;
  size: number;
  status: ClipStatus;
  progress: number;
  failure: { reason: string; detail: string } | null;
  derivative: {
    sha256: string;
    size: number;
    manifestSha256: string;
    producedBy: string;
    producedAt: Date;
  } | null;
  manifestSummary: Record<string, unknown> | null;
  review: { decision: 'approved' | 'rejected'; note: string; by: string; at: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The claim on a clip's one derivative: _id is the original's hash, so only one insert can win even
 * when two workers finish the same clip (agenda's job locks are not atomic on FerretDB v1).
 */
export interface DerivativeDoc {
  _id: string;
  sha256: string;
  size: number;
  manifestSha256: string;
  producedBy: string;
  producedAt: Date;
}

const clipSchema = new Schema<ClipDoc>(
  {
    _id: { type: String, required: true },
    camera: { type: String, required: true },
    dock: { type: String, required: true },
    station: { type: String, default: null },
    holder: { type: String, default: null },
    recordedFrom: { type: Date, required: true },
    recordedTo: { type: Date, required: true },
    size: { type: Number, required: true },
    status: { type: String, enum: CLIP_STATUSES, required: true },
    progress: { type: Number, default: 0 },
    failure: { type: Schema.Types.Mixed, default: null },
    derivative: { type: Schema.Types.Mixed, default: null },
    manifestSummary: { type: Schema.Types.Mixed, default: null },
    review: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'clips', timestamps: true, versionKey: false },
);
clipSchema.index({ status: 1, recordedFrom: -1 });
clipSchema.index({ camera: 1, recordedFrom: -1 });

const derivativeSchema = new Schema<DerivativeDoc>(
  {
    _id: { type: String, required: true },
    sha256: { type: String, required: true },
    size: { type: Number, required: true },
    manifestSha256: { type: String, required: true },
    producedBy: { type: String, required: true },
    producedAt: { type: Date, required: true },
  },
  { collection: 'clip_derivatives', versionKey: false },
);

export const clipModel = (conn: Connection) => conn.model<ClipDoc>('Clip', clipSchema);
export const derivativeModel = (conn: Connection) =>
  conn.model<DerivativeDoc>('ClipDerivative', derivativeSchema);

/**
 * A redaction output written to evidence storage but not yet claimed (or discarded): noted before the
 * file is committed, cleared after, so a worker killed in between leaves a record of what to remove.
 */
export interface PendingOutputDoc {
  _id: string; // the output's SHA-256
  clip: string;
  at: Date;
}

const pendingSchema = new Schema<PendingOutputDoc>(
  {
    _id: { type: String, required: true },
    clip: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'clip_outputs_pending', versionKey: false },
);
pendingSchema.index({ at: 1 });

export const pendingOutputModel = (conn: Connection) =>
  conn.model<PendingOutputDoc>('ClipPendingOutput', pendingSchema);
