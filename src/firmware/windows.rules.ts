// Maintenance windows: when a station lets the engine update its devices, as weekly spans in the
// station's own time zone (pure; engine.eligibility.ts asks `insideWindow` at the moment of sending).
// A span whose end is before its start crosses midnight: `fri 22:00–02:00` runs from Friday 22:00
// to Saturday 02:00, and `days` names the day it starts on. `start == end` is the whole day.
// Local time comes from Intl with the IANA zone, so summer time is the zone's own business: a
// 01:00–03:00 window in Europe/London is two hours of wall-clock time on most nights, one on the
// night the clocks go forward and three on the night they go back.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WindowSpan {
  days: Weekday[];
  /** `HH:MM`, 24-hour, local time. */
  start: string;
  /** `HH:MM`; before `start`: the span ends the next day. `24:00` is the end of the day. */
  end: string;
}

export interface MaintenanceWindow {
  station: string;
  /** IANA time zone, e.g. `Europe/London`. */
  timeZone: string;
  windows: WindowSpan[];
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string) {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone (an IANA name such as `Europe/London`, or `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes since local midnight of `HH:MM` (`24:00` is 1440). */
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The weekday and minute of the day at `now` in `timeZone`. */
export function localTime(now: Date, timeZone: string): { day: Weekday; minutes: number } {
  const parts = formatFor(timeZone).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = part('weekday').toLowerCase().slice(0, 3) as Weekday;
  return { day, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

const previous = (day: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;

/** Whether `now` falls inside one of the window's spans (in its time zone). */
export function insideWindow(w: Pick<MaintenanceWindow, 'timeZone' | 'windows'>, now: Date): boolean {
  const { day, minutes } = localTime(now, w.timeZone);
  return w.windows.some((span) => {
    const start = minutesOf(span.start);
    const end = minutesOf(span.end);
    if (start === end) return span.days.includes(day);
    if (start < end) return span.days.includes(day) && minutes >= start && minutes < end;
    // Crosses midnight: the evening of a listed day, or the early hours after one.
    return (
      (span.days.includes(day) && minutes >= start) || (span.days.includes(previous(day)) && minutes < end)
    );
  });
}

/** `mon,tue 01:00–05:00; sat 00:00–00:00 (Europe/London)`: how a waiting reason names the window. */
export function describeWindow(w: Pick<MaintenanceWindow, 'timeZone' | 'windows'>): string {
  const spans = w.windows.map((s) => `${s.days.join(',')} ${s.start}–${s.end}`);
  return `${spans.join('; ')} ${w.timeZone}`;
}
