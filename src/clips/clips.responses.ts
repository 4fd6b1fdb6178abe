// What the clip routes answer: the API reference's response schemas and the web app's types (the
// reviewer's queue, the player's box overlay, missed faces, the disclosure log). Imports nothing but
// zod and shared building blocks, so the dashboard's type-check and build can read it.
import { z } from 'zod';
import { pageOf, Timestamp } from '../shared/responses.js';

export const CLIP_STATUSES = ['queued', 'processing', 'redacted', 'failed', 'approved', 'rejected'] as const;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const Frame = z.number().int().min(0).meta({ description: 'Frame index in the original, from 0' });

/** A box in the original's pixels: top-left corner, width and height. */
export const BoxResponse = z
  .object({ x: z.number().int(), y: z.number().int(), w: z.number().int(), h: z.number().int() })
  .meta({ id: 'Box' });

/** One revision of a clip's redacted copy: 1 the automatic one, each missed face marked one more. */
export const DerivativeResponse = z
  .object({
    sha256: Sha256Hex,
    size: z.number().int(),
    manifestSha256: Sha256Hex,
    producedBy: z.string(),
    producedAt: Timestamp,
    revision: z.number().int().min(1),
    previous: Sha256Hex.nullable().meta({ description: 'The redacted copy this revision replaces' }),
  })
  .meta({ id: 'ClipDerivative' });
export type DerivativeResponse = z.infer<typeof DerivativeResponse>;

/** The manifest's counts, on the clip (the queue shows them without fetching the manifest). */
export const ManifestSummaryResponse = z
  .object({
    detectionFrames: z.number().int(),
    detections: z.number().int(),
    tracks: z.number().int(),
    framesWithBoxes: z.number().int(),
    detector: z.string(),
    model: z.string(),
    fps: z.number(),
    frames: z.number().int(),
    audio: z.string(),
    revision: z.number().int().optional(),
    manualAdditions: z.number().int().optional().meta({ description: 'Missed faces marked by reviewers' }),
  })
  .loose()
  .meta({ id: 'ManifestSummary' });

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
    id: Sha256Hex.meta({ description: "The original's SHA-256" }),
    camera: z.string(),
    dock: z.string(),
    station: z.string().nullable(),
    holder: z
      .string()
      .nullable()
      .meta({ description: 'Officer who held the camera at recordedFrom (assignment history)' }),
    recordedFrom: Timestamp,
    recordedTo: Timestamp,
    size: z.number().int(),
    status: z.enum(CLIP_STATUSES),
    progress: z.number(),
    failure: z.object({ reason: z.string(), detail: z.string() }).nullable(),
    derivative: DerivativeResponse.nullable().meta({ description: 'The current redacted copy' }),
    manifestSummary: ManifestSummaryResponse.nullable(),
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
      .loose()
      .nullable(),
    evidential: z.boolean(),
    evidentialMark: z
      .object({ evidential: z.boolean(), reason: z.string(), by: z.string(), at: Timestamp })
      .nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .loose()
  .meta({ id: 'Clip' });
export type ClipResponse = z.infer<typeof ClipResponse>;
export const ClipPage = pageOf(ClipResponse);

/** A missed face a reviewer added, as the manifest of the revision that covers it records it. */
export const ManualAdditionResponse = z
  .object({
    mark: z.number().int().min(1),
    frame: Frame,
    box: BoxResponse,
    note: z.string().nullable(),
    by: z.string(),
    at: Timestamp,
    span: z
      .object({ from: Frame, to: Frame })
      .meta({ description: 'Frames the box was tracked over (inclusive)' }),
    /** The padded box pixelated on each frame of the span: [frame, [x, y, w, h]]. */
    track: z.array(z.tuple([z.number().int(), z.tuple([z.number(), z.number(), z.number(), z.number()])])),
  })
  .meta({ id: 'ManualAddition' });
export type ManualAdditionResponse = z.infer<typeof ManualAdditionResponse>;

/** What was done to produce a redacted copy; `frames` holds every box pixelated, for the overlay. */
export const ManifestResponse = z
  .object({
    manifestVersion: z.literal(1),
    detector: z
      .object({
        name: z.string(),
        runtime: z.string(),
        modelPackage: z.string(),
        modelVersion: z.string(),
        modelFile: z.string(),
        modelSha256: z.string(),
      })
      .loose(),
    params: z.record(z.string(), z.unknown()),
    input: z
      .object({
        width: z.number().int(),
        height: z.number().int(),
        frameRate: z.string(),
        codec: z.string(),
        frames: z.number().int(),
        hasAudio: z.boolean(),
      })
      .loose(),
    output: z.object({ codec: z.string(), container: z.string() }),
    audio: z.string(),
    summary: z.record(z.string(), z.number()),
    /** Boxes pixelated on each frame that has any (detected and manual): [frame, [[x, y, w, h], …]]. */
    frames: z.array(
      z.tuple([z.number().int(), z.array(z.tuple([z.number(), z.number(), z.number(), z.number()]))]),
    ),
    timings: z.record(z.string(), z.number()),
    revision: z.number().int().optional().meta({ description: 'Absent: 1, the automatic redaction' }),
    previous: Sha256Hex.nullable().optional(),
    manual: z.array(ManualAdditionResponse).optional(),
  })
  .loose()
  .meta({ id: 'RedactionManifest' });
export type ManifestResponse = z.infer<typeof ManifestResponse>;

/** A reviewer's mark of a face the redaction missed; its revision is re-rendered by a job. */
export const MissedFaceResponse = z
  .object({
    id: z.string().meta({ description: '`{clip}:{mark}`' }),
    clip: Sha256Hex,
    mark: z.number().int().min(1),
    revision: z.number().int().min(2).meta({ description: 'The revision that will cover it' }),
    frame: Frame,
    box: BoxResponse,
    note: z.string().nullable(),
    by: z.string(),
    at: Timestamp,
    derivative: Sha256Hex.nullable().meta({ description: 'Its revision’s redacted copy, once rendered' }),
  })
  .meta({ id: 'MissedFace' });
export type MissedFaceResponse = z.infer<typeof MissedFaceResponse>;
export const MissedFaceList = z.object({ items: z.array(MissedFaceResponse) });
export const DerivativeList = z.object({ items: z.array(DerivativeResponse) });

/** One disclosure (ICO: date, recipient, reason) of an approved redacted copy. */
export const DisclosureResponse = z
  .object({
    id: z.string(),
    clip: Sha256Hex,
    camera: z.string(),
    recordedFrom: Timestamp,
    revision: z.number().int().min(1),
    sha256: Sha256Hex.meta({ description: 'SHA-256 of the exported (redacted) file' }),
    size: z.number().int(),
    recipient: z.string(),
    reason: z.string(),
    by: z.string(),
    at: Timestamp,
    download: z.string().meta({ description: 'API path that serves exactly the exported file' }),
  })
  .meta({ id: 'Disclosure' });
export type DisclosureResponse = z.infer<typeof DisclosureResponse>;
export const DisclosurePage = pageOf(DisclosureResponse);
