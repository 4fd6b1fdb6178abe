// The one schema for a date or time a client sends, in a body, a query string or a CSV row.
// JavaScript dates reach the years −271,821 and +275,760; such a date passed `z.coerce.date()` and
// then failed further in, as a 500 (`GET /shifts?from=275760-09-10`), or made a shift whose id
// (`…-+2757600912T00`) `GET /shifts/:id` refuses (issue 14). Nothing this platform records
// (cameras bought, clips recorded, shifts worked, telemetry) falls outside these years.
import { z } from 'zod';

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

const earliest = new Date(Date.UTC(FIRST_YEAR, 0, 1));
const latest = new Date(Date.UTC(LAST_YEAR + 1, 0, 1) - 1);
const outOfRange = `must be between the years ${FIRST_YEAR} and ${LAST_YEAR}`;

/**
 * ISO 8601: a date (`2026-11-25`, midnight UTC) or a date and time (`2026-11-25T07:00:00Z`, or
 * with an offset; without one, the server's local time, as `new Date` reads it).
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

const FORMAT =
  'expected an ISO 8601 date or date-time with a four-digit year, e.g. 2026-11-25 or 2026-11-25T07:00:00Z';

/** `new Date` rolls 2026-02-30 over to 2 March; a calendar date that does not exist is a typo. */
const isCalendarDate = (s: string) => {
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
};

export const Instant = z
  .string({ error: FORMAT })
  .trim()
  .regex(ISO_8601, { error: FORMAT, abort: true })
  // Aborting: a later object-level refine must never see the string in place of a Date.
  .refine(isCalendarDate, { error: 'no such day in the calendar', abort: true })
  .transform((s) => new Date(s))
  .pipe(
    z
      .date({ error: 'not a valid date' })
      .min(earliest, { error: outOfRange })
      .max(latest, { error: outOfRange }),
  );
