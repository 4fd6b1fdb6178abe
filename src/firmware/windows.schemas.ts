import { z } from 'zod';
import { StationCode } from '../people/index.js';
import { isTimeZone, WEEKDAYS } from './windows.rules.js';

const Clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 24-hour (00:00 to 24:00)');

const Span = z.strictObject({
  days: z
    .array(z.enum(WEEKDAYS))
    .min(1)
    .transform((d) => WEEKDAYS.filter((w) => d.includes(w))),
  start: Clock.refine((s) => s !== '24:00', { message: 'a window starts before 24:00' }),
  /** Before `start`: the window ends the next day; equal to it: the whole day. */
  end: Clock,
});

export const WindowBody = z.strictObject({
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .refine(isTimeZone, { message: 'an IANA time zone, e.g. Europe/London' }),
  windows: z.array(Span).min(1).max(28),
});

export const WindowParams = z.object({ station: StationCode });

export type WindowInput = z.output<typeof WindowBody>;
