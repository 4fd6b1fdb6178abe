import { z } from 'zod';
import { When } from './budget.schemas.js';
import { PhaseId } from './phases.schemas.js';
import { CONCERN_CATEGORIES, CONCERN_OUTCOMES } from './rollout.types.js';

/**
 * A summary must not name anyone: the log is read by the board and counted in the published report.
 * What looks like an officer number, collar number, e-mail address or phone number is refused.
 */
const NoPersonalData = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((s) => !/\d{4,}/.test(s) && !/\S+@\S+/.test(s), {
    message: 'no personal data: no officer, collar or phone numbers, no e-mail addresses',
  });

export const ConcernId = z.string().regex(/^cn_[0-9a-f]{12}$/);
export const ConcernParams = z.object({ id: ConcernId });

export const ConcernBody = z.strictObject({
  phase: PhaseId.nullable().default(null),
  category: z.enum(CONCERN_CATEGORIES),
  summary: NoPersonalData,
  outcome: z.enum(CONCERN_OUTCOMES).default('open'),
  at: When,
});

export const ConcernPatch = z.strictObject({ outcome: z.enum(CONCERN_OUTCOMES) });

export type ConcernInput = z.output<typeof ConcernBody>;
export type ConcernPatchInput = z.output<typeof ConcernPatch>;
