import { z } from 'zod';
import { Instant } from '../http/dates.js';
import { OfficerNumber, StationCode } from '../people/index.js';

export const Team = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9 -]{1,20}$/, 'letters, digits, spaces or dashes (1–20)');
const When = Instant;
/** Longest shift we accept: catches a roster typo that would put someone on duty for a week. */
export const MAX_SHIFT_HOURS = 16;

const window = <T extends z.ZodType<{ start: Date; end: Date }>>(s: T) =>
  s
    .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] })
    .refine((v) => v.end.getTime() - v.start.getTime() <= MAX_SHIFT_HOURS * 3_600_000, {
      message: `a shift lasts at most ${MAX_SHIFT_HOURS} hours`,
      path: ['end'],
    });

export const ShiftBody = window(
  z.object({
    station: StationCode,
    team: Team,
    start: When,
    end: When,
    officers: z.array(OfficerNumber).max(500).default([]),
  }),
);
export const ShiftOfficersBody = z.object({ officers: z.array(OfficerNumber).max(500) });
export const ShiftParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/) });
export const ShiftQuery = z.object({
  station: StationCode.optional(),
  from: When.optional(),
  to: When.optional(),
});
export const OnDutyParams = z.object({ code: StationCode });
export const OnDutyQuery = z.object({ at: When.optional() });
export const ImportQuery = z.object({ dryRun: z.stringbool().default(false) });

/** One CSV row: one officer on one shift. */
export const RosterRow = window(
  z.object({
    station: StationCode,
    team: Team,
    start: When,
    end: When,
    officer: OfficerNumber,
  }),
);

export type ShiftInput = z.output<typeof ShiftBody>;
export type RosterRowInput = z.output<typeof RosterRow>;
