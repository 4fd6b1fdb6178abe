// What the clip routes answer: the API reference's response schemas and the web app's types.
import { z } from 'zod';
import { pageOf, Timestamp } from '../shared/responses.js';
import { CLIP_STATUSES } from './clips.model.js';

const Reason = z.object({
  code: z.string().meta({
    description:
      'Stable: faces-flicker, near-misses, too-dark, too-blurred, not-observed (docs/redaction.md)',
  }),
  detail: z.string().meta({ description: 'What was seen and on which frames, for the reviewer' }),
});

export const ClipRiskResponse = z
  .object({
    reviewRequired: z.boolean().meta({
      description: 'A person must review the redaction, acknowledging the reasons, before approving it',
    }),
    reasons: z.array(Reason),
    measures: z.record(z.string(), z.number()),
  })
  .meta({
    id: 'ClipRisk',
    description: 'The redaction’s risk assessment: signs that a face may have escaped (docs/redaction.md)',
  });

export const ClipResponse = z
  .object({
    id: z.string().meta({ description: 'SHA-256 of the original' }),
    camera: z.string(),
    dock: z.string(),
    station: z.string().nullable(),
    holder: z.string().nullable().meta({ description: 'Officer holding the camera when it recorded' }),
    recordedFrom: Timestamp,
    recordedTo: Timestamp,
    size: z.number().int(),
    status: z.enum(CLIP_STATUSES),
    progress: z.number(),
    failure: z.object({ reason: z.string(), detail: z.string() }).nullable(),
    derivative: z
      .object({
        sha256: z.string(),
        size: z.number().int(),
        manifestSha256: z.string(),
        producedBy: z.string(),
        producedAt: Timestamp,
      })
      .nullable(),
    manifestSummary: z.record(z.string(), z.unknown()).nullable(),
    risk: ClipRiskResponse.nullable().meta({ description: 'Null until redacted' }),
    review: z
      .object({
        decision: z.enum(['approved', 'rejected']),
        note: z.string(),
        by: z.string(),
        at: Timestamp,
        acknowledged: z
          .array(z.string())
          .optional()
          .meta({ description: 'The risk reasons the reviewer acknowledged, when flagged' }),
      })
      .nullable(),
    evidential: z.boolean(),
    evidentialMark: z
      .object({ evidential: z.boolean(), reason: z.string(), by: z.string(), at: Timestamp })
      .nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Clip' });
export type ClipResponse = z.infer<typeof ClipResponse>;

export const ClipPage = pageOf(ClipResponse);
