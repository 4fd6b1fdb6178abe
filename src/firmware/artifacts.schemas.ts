import { z } from 'zod';
import { DEVICE_KINDS, FirmwareVersion } from '../bus/index.js';
import { PageQuery } from '../shared/index.js';

export const Kind = z.enum(DEVICE_KINDS);
/** A model as the register spells it (fleet: 1–60 characters). */
export const Model = z.string().trim().min(1).max(60);
const ArtifactModel = Model.refine((m) => m !== '*', {
  message: 'an artifact is for one model (`*` is for the versions register)',
});

/** `POST /firmware/artifacts?…`: what the body (the artifact's bytes) is. */
export const UploadQuery = z.object({
  kind: Kind,
  model: ArtifactModel,
  version: FirmwareVersion,
  /** Optional here so that its absence is the 422 `firmware-signature-invalid`, not a 400. */
  signature: z.string().max(200).optional(),
  notes: z.string().trim().max(2000).default(''),
});

export const ArtifactQuery = PageQuery.extend({ kind: Kind.optional(), model: Model.optional() });
export const ArtifactParams = z.object({ id: z.string().regex(/^[0-9a-f]{12}$/, '12 hex digits') });

export type UploadQueryInput = z.output<typeof UploadQuery>;
