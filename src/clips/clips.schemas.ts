import { z } from 'zod';
import { Instant } from '../http/dates.js';
import { PageQuery } from '../shared/paging.js';
import { CLIP_STATUSES } from './clips.model.js';

const Serial = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ or - (1–40)');
export const Sha256 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 digest in hex (64 characters)')
  .transform((s) => s.toLowerCase());

/** Offload metadata: query string of `POST /clips` (the body is the clip itself). */
export const OffloadQuery = z
  .object({
    camera: Serial,
    recordedFrom: Instant,
    recordedTo: Instant,
    sha256: Sha256,
  })
  .refine((q) => q.recordedTo >= q.recordedFrom, {
    message: 'recordedTo is before recordedFrom',
    path: ['recordedTo'],
  });

export const ClipParams = z.object({ id: Sha256 });
export const ClipQuery = PageQuery.extend({
  status: z.enum(CLIP_STATUSES).optional(),
  camera: Serial.optional(),
  dock: Serial.optional(),
  holder: z.string().max(20).optional(),
  reviewRequired: z
    .stringbool()
    .optional()
    .meta({ description: 'Only clips whose redaction is (or is not) flagged for review' }),
});
export const ReviewBody = z.object({
  decision: z.enum(['approved', 'rejected']),
  note: z.string().trim().min(1).max(2000),
  acknowledged: z.boolean().optional().meta({
    description:
      'The reviewer has looked at every reason the clip is flagged for (`risk.reasons`): required to approve a flagged clip',
  }),
});

/** A reviewer marks a clip as evidential (or takes the mark off), saying why: audited. */
export const EvidentialBody = z.object({
  evidential: z.boolean(),
  reason: z.string().trim().min(3).max(500),
});

/** Why someone needs the unredacted original: recorded in the audit trail with each access. */
export const OriginalQuery = z.object({ reason: z.string().trim().min(3).max(500) });

/** A face the redaction missed: a box drawn on one frame of the original (its pixels). */
export const MissedFaceBody = z.object({
  frame: z.number().int().min(0).max(10_000_000),
  box: z.object({
    x: z.number().int().min(0),
    y: z.number().int().min(0),
    w: z.number().int().min(4).max(10_000),
    h: z.number().int().min(4).max(10_000),
  }),
  note: z.string().trim().min(1).max(500).optional(),
});

/** A disclosure of the approved redacted copy (ICO: date, recipient, reason): the date is now. */
export const DisclosureBody = z.object({
  recipient: z.string().trim().min(2).max(200),
  reason: z.string().trim().min(3).max(1000),
});
export const DisclosureParams = z.object({ id: Sha256, disclosureId: z.uuid() });
/** The disclosure log: `from` ≤ date < `to`, newest first. */
export const DisclosureQuery = PageQuery.extend({
  from: Instant.optional(),
  to: Instant.optional(),
  clip: Sha256.optional(),
});

export type OffloadInput = z.output<typeof OffloadQuery>;
export type MissedFaceInput = z.output<typeof MissedFaceBody>;
export type DisclosureInput = z.output<typeof DisclosureBody>;
export type ClipFilterInput = Omit<z.output<typeof ClipQuery>, 'limit' | 'offset'>;
