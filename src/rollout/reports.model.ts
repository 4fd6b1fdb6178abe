// The rollout's progress reports. A draft keeps the input it was made from (ReportInput: aggregates
// only), so its preview and its published version show the same figures. Publication is a document
// of its own whose _id is the report's: the insert is the claim, so of two people publishing the
// same draft at once exactly one succeeds (FerretDB v1 has no atomic conditional update).
import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import type { ReportInput } from './rollout.types.js';

export const REPORT_KINDS = ['on-demand', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

const reportFields = {
  /** `rpt_<24 hex>`, or `rpt_<YYYY-MM>` for the monthly draft (the insert claims the month). */
  _id: { type: String, required: true },
  kind: { type: String, enum: REPORT_KINDS, required: true },
  /** The reported month of a monthly draft (YYYY-MM), null otherwise. */
  month: { type: String, default: null },
  /** As of when the figures were gathered. */
  at: { type: Date, required: true },
  input: { type: Schema.Types.Mixed, required: true },
  /** Username, or `system` for the monthly job. */
  createdBy: { type: String, required: true },
};
const reportOptions = { collection: 'rollout_reports', timestamps: true, versionKey: false } as const;
export type ReportDoc = Stored<typeof reportFields, typeof reportOptions, { input: ReportInput }>;

const publicationFields = {
  /** The report's id. */
  _id: { type: String, required: true },
  sha256Html: { type: String, required: true },
  sha256Pdf: { type: String, required: true },
  bytesHtml: { type: Number, required: true },
  bytesPdf: { type: Number, required: true },
  publishedBy: { type: String, required: true },
  publishedAt: { type: Date, required: true },
};
const publicationOptions = { collection: 'rollout_report_publications', versionKey: false } as const;
export type PublicationDoc = Stored<typeof publicationFields, typeof publicationOptions>;

const reportSchema = new Schema<ReportDoc>(reportFields, reportOptions);
reportSchema.index({ createdAt: -1 });
const publicationSchema = new Schema<PublicationDoc>(publicationFields, publicationOptions);
publicationSchema.index({ publishedAt: -1 });

export const reportModel = (conn: Connection) => conn.model<ReportDoc>('RolloutReport', reportSchema);
export const publicationModel = (conn: Connection) =>
  conn.model<PublicationDoc>('RolloutReportPublication', publicationSchema);
