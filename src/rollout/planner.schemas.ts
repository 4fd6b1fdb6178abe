import { z } from 'zod';
import { StationCode } from '../people/index.js';
import { PhaseId } from './phases.schemas.js';
import { ISSUE_MODES } from './rollout.types.js';

const Instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((s) => new Date(s));

export const PlanQuery = z
  .object({
    phase: PhaseId,
    /** What-if: another spare share (%) than the phase's own; nothing is saved. */
    sparePercent: z.coerce.number().min(0).max(200).optional(),
    /** What-if: another issue mode than the phase's own; nothing is saved. */
    issueMode: z.enum(ISSUE_MODES).optional(),
    /** The planning window over the rosters (default: four weeks either side of now). */
    from: Instant.optional(),
    to: Instant.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from is not before to', path: ['to'] });

export const IssueListQuery = z.object({ station: StationCode });

export type PlanQueryInput = z.output<typeof PlanQuery>;
