// The demo force: 12 stations, ~1,300 officers with plausible qualifications, 1,500 cameras and
// 120 docks, generated deterministically (same seed, same force) and loaded through the platform's
// own services (CSV imports for officers and cameras, so the data passes the same validation).
// Used by `npm run seed:demo` and `npm run bench:api`; not run on its own.
import { systemContext } from '../src/shared/index.js';
import { shiftId } from '../src/shifts/index.js';
import type { Platform } from '../src/platform.js';

type Services = Platform['services'];

const STATIONS: Array<[code: string, name: string, weight: number]> = [
  ['CEN', 'Central', 16],
  ['NTH', 'Northgate', 10],
  ['STH', 'Southbank', 10],
  ['EST', 'Eastfield', 9],
  ['WST', 'Westmoor', 9],
  ['HBR', 'Harbour', 8],
  ['AIR', 'Airport', 6],
  ['RVS', 'Riverside', 7],
  ['HLT', 'Hilltop', 6],
  ['MKT', 'Market Street', 7],
  ['VLY', 'Valley', 6],
  ['CST', 'Coast Road', 6],
];
/** How many of each the force has. */
export interface DemoSize {
  officers: number;
  cameras: number;
  docks: number;
  /** Rostered days either side of today (ROSTER_DAYS unless set). */
  rosterDays?: number;
}
export const DEMO: DemoSize = { officers: 1300, cameras: 1500, docks: 120 };
/**
 * A tenth of the force at the same 12 stations (`npm run demo -- --small`): seeds in seconds, for a
 * quick look and the demo's own test. Meant for a data folder of its own: officer numbers and
 * serials are dealt out per station, so a small and a full force in one folder do not line up.
 */
export const DEMO_SMALL: DemoSize = { officers: 130, cameras: 150, docks: 24, rosterDays: 1 };

const FIRST = [
  'Alex',
  'Sam',
  'Jo',
  'Chris',
  'Priya',
  'Tom',
  'Aisha',
  'Ben',
  'Kate',
  'Raj',
  'Emma',
  'Liam',
  'Zoe',
  'Dan',
  'Mia',
  'Owen',
];
const LAST = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Khan',
  'Evans',
  'Patel',
  'Wilson',
  'Hughes',
  'Walker',
  'Wright',
  'Ahmed',
  'Clarke',
  'Hall',
];

/** mulberry32: a small seeded PRNG so every seeded force is identical. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `total` over the stations by weight (largest remainder), so the counts add up exactly. */
function share(total: number): number[] {
  const sum = STATIONS.reduce((a, s) => a + s[2], 0);
  const exact = STATIONS.map((s) => (total * s[2]) / sum);
  const out = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  const left = total - out.reduce((a, b) => a + b, 0);
  for (let k = 0; k < left; k++) out[order[k]![1]]! += 1;
  return out;
}

export function officersCsv(rand = prng(1), size: DemoSize = DEMO): string {
  const lines = ['number,name,station,team,qualifications,active'];
  let n = 0;
  share(size.officers).forEach((count, si) => {
    const station = STATIONS[si]![0];
    for (let i = 0; i < count; i++, n++) {
      const r = rand();
      // ~12% PCSOs; the rest uniformed officers, some with specialist qualifications.
      const quals: string[] = [];
      if (r < 0.12) quals.push('PCSO');
      else {
        quals.push('UNIFORM');
        if (rand() < 0.045)
          quals.push('AFO', 'TASER'); // tens of firearms officers, all Taser-trained
        else if (rand() < 0.22) quals.push('TASER'); // a few hundred Taser officers
        if (rand() < 0.2) quals.push('DOMESTIC_RESPONSE');
        if (rand() < 0.06) quals.push('CUSTODY');
      }
      const name = `${FIRST[Math.floor(rand() * FIRST.length)]} ${LAST[Math.floor(rand() * LAST.length)]}`;
      const team = 'ABCDE'[Math.floor(rand() * 5)];
      lines.push(`${String(100000 + n)},${name},${station},${team},${quals.join(';')},${rand() < 0.97}`);
    }
  });
  return lines.join('\n');
}

export function camerasCsv(rand = prng(2), size: DemoSize = DEMO): string {
  const lines = ['serial,model,assetTag,station,purchaseDate,purchaseCost'];
  let n = 0;
  share(size.cameras).forEach((count, si) => {
    const station = STATIONS[si]![0];
    for (let i = 0; i < count; i++, n++) {
      const newer = rand() < 0.8;
      const day = 1 + Math.floor(rand() * 28);
      const month = 1 + Math.floor(rand() * 12);
      const date = `${newer ? 2025 : 2023}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      lines.push(
        `${newer ? 'VB4' : 'VB3'}-${String(200000 + n)},${newer ? 'VB400' : 'VB300'},BWV-${String(n + 1).padStart(5, '0')},${station},${date},${newer ? 489 : 415}`,
      );
    }
  });
  return lines.join('\n');
}

export interface SeedSummary {
  /** What this run added (zero each when the whole force was there already). */
  stations: number;
  officers: number;
  cameras: number;
  docks: number;
  /** Demo records found already there and kept as they are (stations, officers, cameras, docks). */
  kept: number;
}

/** Keeps the CSV's header and the rows whose first field is not in `have`. */
function missingRows(csv: string, have: ReadonlySet<string>): { csv: string; rows: number; kept: number } {
  const [header, ...rows] = csv.split('\n');
  const missing = rows.filter((r) => !have.has(r.slice(0, r.indexOf(','))));
  return { csv: [header, ...missing].join('\n'), rows: missing.length, kept: rows.length - missing.length };
}

/**
 * Loads the demo force, or what of it is missing: re-running is safe and adds only the stations,
 * officers, cameras and docks not there yet (a station, officer, camera or dock that exists is kept
 * as it is, whoever made it), so a half-finished seed or a station created by hand is no reason to
 * refuse. Goes through the platform's services (CSV imports), so the data passes the same rules.
 */
export async function seedDemo(
  services: Services,
  ctx = systemContext,
  size: DemoSize = DEMO,
): Promise<SeedSummary> {
  const summary: SeedSummary = { stations: 0, officers: 0, cameras: 0, docks: 0, kept: 0 };
  const stations = new Set((await services.people.listStations()).map((s) => s.code));
  for (const [code, name] of STATIONS) {
    if (stations.has(code)) summary.kept++;
    else {
      await services.people.createStation({ code, name }, ctx);
      summary.stations++;
    }
  }
  const officerNumbers = new Set(
    (await services.people.listOfficers({}, 1_000_000, 0)).items.map((o) => o.number),
  );
  const officers = missingRows(officersCsv(prng(1), size), officerNumbers);
  summary.kept += officers.kept;
  if (officers.rows > 0)
    summary.officers = (await services.people.importOfficers(officers.csv, false, ctx)).imported;
  const serials = new Set((await services.fleet.allCameras({})).map((c) => c.serial));
  const cameras = missingRows(camerasCsv(prng(2), size), serials);
  summary.kept += cameras.kept;
  if (cameras.rows > 0)
    summary.cameras = (await services.fleet.importCameras(cameras.csv, false, ctx)).imported;
  const dockIds = new Set((await services.fleet.listDocks({}, 1_000_000, 0)).items.map((d) => d.id));
  for (const [si, count] of share(size.docks).entries()) {
    const station = STATIONS[si]![0];
    for (let i = 1; i <= count; i++) {
      const id = `DOCK-${station}-${String(i).padStart(2, '0')}`;
      if (dockIds.has(id)) {
        summary.kept++;
        continue;
      }
      const big = i % 3 !== 0;
      await services.fleet.createDock(
        { id, station, slots: big ? 14 : 8, model: big ? 'VT-DOCK14' : 'VT-DOCK8' },
        ctx,
      );
      summary.docks++;
    }
  }
  return summary;
}

const DAY_MS = 86_400_000;
/** Three 8-hour shifts a day (UTC): early, late, night. */
const SHIFT_STARTS = [7, 15, 23];
/** Rostered days either side of today, so readiness and the planner have shifts now and next. */
export const ROSTER_DAYS = 7;

/**
 * The demo roster of one station (roster CSV): five teams on a rolling pattern, three on each day
 * (day d, shift k: team (d + k) mod 5), every active officer of the team on its shift, from
 * ROSTER_DAYS before `now` to ROSTER_DAYS after. `skip` holds shift ids already stored.
 */
export function rosterCsv(
  station: string,
  now: Date,
  skip: ReadonlySet<string> = new Set(),
  size: DemoSize = DEMO,
): string {
  const teams = new Map<string, string[]>();
  for (const line of officersCsv(prng(1), size).split('\n').slice(1)) {
    const [number, , s, team, , active] = line.split(',');
    if (s !== station || active !== 'true') continue;
    teams.set(team!, [...(teams.get(team!) ?? []), number!]);
  }
  const today = Math.floor(now.getTime() / DAY_MS);
  const lines = ['station,team,start,end,officer'];
  const days = size.rosterDays ?? ROSTER_DAYS;
  for (let d = today - days; d <= today + days; d++) {
    SHIFT_STARTS.forEach((hour, k) => {
      const team = 'ABCDE'[(d + k) % 5]!;
      const start = new Date(d * DAY_MS + hour * 3_600_000);
      const end = new Date(start.getTime() + 8 * 3_600_000);
      if (skip.has(shiftId(station, team, start))) return;
      for (const officer of teams.get(team) ?? [])
        lines.push(`${station},${team},${start.toISOString()},${end.toISOString()},${officer}`);
    });
  }
  return lines.join('\n');
}

/** Rosters every demo station around `now`; shifts already stored are kept. Answers shifts made. */
export async function seedDemoRoster(
  services: Services,
  now = new Date(),
  ctx = systemContext,
  size: DemoSize = DEMO,
) {
  const days = size.rosterDays ?? ROSTER_DAYS;
  const from = new Date(now.getTime() - (days + 1) * DAY_MS);
  const to = new Date(now.getTime() + (days + 1) * DAY_MS);
  let made = 0;
  for (const [station] of STATIONS) {
    const stored = new Set((await services.shifts.list({ station, from, to })).map((s) => s.id));
    const csv = rosterCsv(station, now, stored, size);
    if (csv.indexOf('\n') < 0) continue;
    made += (await services.shifts.importRoster(csv, false, ctx)).shifts;
  }
  return made;
}
