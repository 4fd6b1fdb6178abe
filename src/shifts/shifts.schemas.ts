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

// Guarded: a refine must never see a field that failed (it read `.getTime()` of what was not a Date).
const bothDates = (v: { start: unknown; end: unknown }) => v.start instanceof Date && v.end instanceof Date;
const window = <T extends z.ZodType<{ start: Date; end: Date }>>(s: T) =>
  s
    .refine((v) => !bothDates(v) || v.end > v.start, { message: 'end must be after start', path: ['end'] })
    .refine((v) => !bothDates(v) || v.end.getTime() - v.start.getTime() <= MAX_SHIFT_HOURS * 3_600_000, {
      message: `a shift lasts at most ${MAX_SHIFT_HOURS} hours`,
      path: ['end'],
    });

/** A time of day as rosters write it (`07:00`, `7:00`, `23:30`). */
const CLOCK = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const NEEDS_DATE =
  'a time alone (07:00) needs the shift’s date: add a date (2026-11-25), or write 2026-11-25T07:00';
const Day = z.preprocess(
  (v) => (v === '' ? undefined : v), // a roster's empty date cell
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date, e.g. 2026-11-25')
    .optional()
    .meta({ description: 'The shift’s date, when start and end are times of day (07:00)' }),
);

/** The day's date at that local time (the server's time zone, as an ISO time without offset reads). */
const onDay = (day: Date, clock: string) => {
  const [, h, m] = CLOCK.exec(clock)!;
  const d = new Date(day);
  d.setHours(Number(h), Number(m), 0, 0);
  return d;
};

/*
 * Start and end as a roster writes them: ISO 8601 instants, or times of day (`07:00`). A time is on
 * the shift's `date` when one is given; an end time without one is on the start's day, or the day
 * after when that is not after the start (a night shift, 22:00 to 07:00). A start time without a
 * date is refused by name, on its field.
 */
const times = { date: Day, start: z.string().trim(), end: z.string().trim() };
function resolveTimes<T extends { date?: string | undefined; start: string; end: string }>(
  v: T,
  ctx: z.RefinementCtx,
): Omit<T, 'date' | 'start' | 'end'> & { start: Date; end: Date } {
  const { date, start: rawStart, end: rawEnd, ...rest } = v;
  const at = (field: 'start' | 'end', raw: string, base: Date | null): Date | undefined => {
    if (CLOCK.test(raw)) {
      if (base) return onDay(base, raw);
      ctx.addIssue({ code: 'custom', path: [field], message: NEEDS_DATE, input: raw });
      return undefined;
    }
    const parsed = When.safeParse(raw);
    if (parsed.success) return parsed.data;
    for (const i of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: [field], message: i.message, input: raw });
    return undefined;
  };
  let day: Date | null = null;
  if (date !== undefined) {
    const parsed = When.safeParse(date);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: parsed.error.issues[0]!.message, input: date });
      return z.NEVER;
    }
    // A date alone is midnight UTC; its times are local, on that calendar day.
    day = new Date(parsed.data.getUTCFullYear(), parsed.data.getUTCMonth(), parsed.data.getUTCDate());
  }
  const start = at('start', rawStart, day);
  let end = at('end', rawEnd, day ?? start ?? null);
  if (start === undefined || end === undefined) return z.NEVER;
  if (CLOCK.test(rawEnd) && end <= start) end = new Date(end.getTime() + 24 * 3_600_000);
  return { ...rest, start, end };
}

export const ShiftBody = window(
  z
    .object({
      station: StationCode,
      team: Team,
      officers: z.array(OfficerNumber).max(500).default([]),
      ...times,
    })
    .transform(resolveTimes),
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
  z.object({ station: StationCode, team: Team, officer: OfficerNumber, ...times }).transform(resolveTimes),
);

export type ShiftInput = z.output<typeof ShiftBody>;
export type RosterRowInput = z.output<typeof RosterRow>;
