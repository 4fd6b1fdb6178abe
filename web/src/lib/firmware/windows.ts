// Maintenance windows in words ("Mon–Fri 01:00–05:00, ends the next day") and the checks the form
// makes before saving (the API checks the same: days, HH:MM times, an IANA time zone).
import { DAYS, type Day, type MaintenanceWindow } from './types.js';

const NAME: Record<Day, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** "Every day", "Mon–Fri", "Sat, Sun", "Mon, Wed–Fri": runs of three or more days are spans. */
export function describeDays(days: readonly Day[]): string {
  const set = new Set(days);
  if (set.size === 7) return 'Every day';
  if (set.size === 0) return 'No day';
  const idx = DAYS.map((d, i) => (set.has(d) ? i : -1)).filter((i) => i >= 0);
  const runs: number[][] = [];
  for (const i of idx) {
    const last = runs.at(-1);
    if (last && last.at(-1) === i - 1) last.push(i);
    else runs.push([i]);
  }
  return runs
    .flatMap((r) =>
      r.length >= 3 ? [`${NAME[DAYS[r[0]!]!]}–${NAME[DAYS[r.at(-1)!]!]}`] : r.map((i) => NAME[DAYS[i]!]),
    )
    .join(', ');
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The API's rules: `end` before `start` ends the next day; the same time is the whole day. */
export const crossesMidnight = (w: Pick<MaintenanceWindow, 'start' | 'end'>) => w.end < w.start;
export const wholeDay = (w: Pick<MaintenanceWindow, 'start' | 'end'>) =>
  w.start === w.end || (w.start === '00:00' && w.end === '24:00');

export function describeWindow(w: MaintenanceWindow): string {
  if (wholeDay(w)) return `${describeDays(w.days)}, all day`;
  return `${describeDays(w.days)} ${w.start}–${w.end}${crossesMidnight(w) ? ' (ends the next day)' : ''}`;
}

/** Why a window cannot be saved, or null. `end` may be 24:00 (the end of the day). */
export function windowProblem(w: MaintenanceWindow): string | null {
  if (w.days.length === 0) return 'choose at least one day';
  if (!TIME.test(w.start) || !(TIME.test(w.end) || w.end === '24:00'))
    return 'times are HH:MM, from 00:00 (the end may be 24:00)';
  return null;
}

/** Days in week order, without repeats. */
export const orderDays = (days: Iterable<Day>): Day[] => {
  const set = new Set(days);
  return DAYS.filter((d) => set.has(d));
};
