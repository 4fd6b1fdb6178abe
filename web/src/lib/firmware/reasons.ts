// Why devices wait, why they failed, why a preview left them out: the API gives one reason per
// device in words ("officer O123 is on shift", "battery 12% below 30%"). IT wants the few causes
// and how many each holds back, so reasons that differ only by an officer, a campaign, a number
// or a version are grouped, with a few of the originals kept as examples.

export interface ReasonGroup {
  /** The reason with its particulars generalised: "an officer is on shift". */
  reason: string;
  count: number;
  /** Up to three of the original reasons, most frequent first. */
  examples: string[];
}

const GENERAL: Array<[RegExp, string]> = [
  [/\bofficer [A-Za-z0-9-]+/g, 'an officer'],
  [/\bcampaign (?:"[^"]*"|'[^']*'|“[^”]*”|‘[^’]*’|\S+)/g, 'another campaign'],
  [/\b\d+(?:\.\d+)?\s*%/g, 'N%'],
  [/\b\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\b/g, 'a version'],
  [/\b\d+(?:\.\d+)?\s*s\b/g, 'N s'],
];

/** The reason with officer numbers, campaign ids, percentages, versions and seconds generalised. */
export function generalReason(reason: string): string {
  return GENERAL.reduce((r, [re, word]) => r.replace(re, word), reason.trim());
}

/** Groups `{reason, count}` rows (or one row per device) by their general reason, largest first. */
export function groupReasons(rows: Iterable<{ reason: string; count?: number }>): ReasonGroup[] {
  const groups = new Map<string, { count: number; originals: Map<string, number> }>();
  for (const row of rows) {
    const count = row.count ?? 1;
    const key = generalReason(row.reason);
    const g = groups.get(key) ?? { count: 0, originals: new Map<string, number>() };
    g.count += count;
    g.originals.set(row.reason, (g.originals.get(row.reason) ?? 0) + count);
    groups.set(key, g);
  }
  return [...groups.entries()]
    .map(([reason, g]) => ({
      // A group of one kind of reason only: say it as the device did.
      reason: g.originals.size === 1 ? [...g.originals.keys()][0]! : reason,
      count: g.count,
      examples: [...g.originals.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 3)
        .map(([r]) => r),
    }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
