// The preview shown before a campaign is created (POST /firmware/campaigns/preview): who it will
// touch, from which versions, in which waves, and who it leaves out and why, in a few lines.
import { wavePlan } from './progress.js';
import { groupReasons, type ReasonGroup } from './reasons.js';
import type { Preview } from './types.js';

export interface PreviewSummary {
  /** Nothing would be updated: creating it would make an empty campaign. */
  empty: boolean;
  headline: string;
  stations: string;
  versions: string;
  waves: string;
  excluded: ReasonGroup[];
  /** "5 left out" (with the count beyond the first 100 the API lists); null when none. */
  excludedLine: string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const listed = (rows: Array<{ name: string; count: number }>, max = 6) => {
  const shown = rows.slice(0, max).map((r) => `${r.name} (${r.count})`);
  if (rows.length > max) shown.push(`${rows.length - max} more`);
  return shown.join(', ');
};

export function previewSummary(p: Preview, kind: 'camera' | 'dock' = 'camera'): PreviewSummary {
  const stations = [...p.byStation].sort((a, b) => b.count - a.count || a.station.localeCompare(b.station));
  const versions = [...p.byVersion].sort((a, b) => b.count - a.count || a.version.localeCompare(b.version));
  const excluded = groupReasons(p.excluded);
  // The API lists the first 100 exclusions; the count covers them all.
  const listedCount = excluded.reduce((t, g) => t + g.count, 0);
  if (p.excludedCount > listedCount)
    excluded.push({
      reason: 'others not listed',
      count: p.excludedCount - listedCount,
      examples: [],
    });
  return {
    empty: p.total === 0,
    headline:
      p.total === 0
        ? `No ${kind} would be updated: change the selection.`
        : `${plural(p.total, kind)} at ${plural(stations.length, 'station')} will be updated.`,
    stations: listed(stations.map((s) => ({ name: s.station, count: s.count }))),
    versions: listed(versions.map((v) => ({ name: v.version, count: v.count }))),
    waves: wavePlan(p.waves.map((w) => w.size)),
    excluded,
    excludedLine: p.excludedCount > 0 ? `${p.excludedCount} left out` : null,
  };
}
