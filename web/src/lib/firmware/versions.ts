// Versions and version ranges as the campaign form and compliance use them. Ranges are npm semver
// ranges (what the API checks with semver.satisfies): "<2.4.0", ">=2.0.0 <2.4.0", "2.3.x".
import compare from 'semver/functions/compare.js';
import satisfies from 'semver/functions/satisfies.js';
import valid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';

/** The API's own rule (src/bus/topics.ts FirmwareVersion): major.minor.patch, optional pre-release. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export const isVersion = (v: string) => v.length <= 40 && SEMVER.test(v) && valid(v) !== null;

/** Highest first; anything that is not a version (a device reporting "d-1.3.0") goes last, by text. */
export function byVersionDesc(a: string, b: string): number {
  const va = isVersion(a);
  const vb = isVersion(b);
  if (va && vb) return compare(b, a);
  if (va !== vb) return va ? -1 : 1;
  return a.localeCompare(b);
}

/** Why the range cannot be used, or null when it can (an empty range means "any version"). */
export function rangeProblem(range: string): string | null {
  const r = range.trim();
  if (!r) return null;
  if (r.length > 100) return 'at most 100 characters';
  return validRange(r) === null ? 'not a version range (e.g. <2.4.0 or >=2.0.0 <2.4.0)' : null;
}

/** Whether a reported version is in the range; versions that are not semver never are. */
export function inRange(version: string, range: string): boolean {
  const r = range.trim();
  if (!isVersion(version)) return false;
  if (!r) return true;
  return validRange(r) !== null && satisfies(version, r);
}

/**
 * The known versions (from compliance: what devices of this model run now) the range takes in,
 * highest first, without the target itself (devices already on it are never updated).
 */
export function versionsInRange<T extends { version: string; count: number }>(
  versions: readonly T[],
  range: string,
  target?: string,
): T[] {
  return versions
    .filter((v) => v.version !== target && inRange(v.version, range))
    .sort((a, b) => byVersionDesc(a.version, b.version));
}

/** The usual "from" range for a target: anything older. */
export const olderThan = (target: string) => (isVersion(target) ? `<${target}` : '');

/** The one-line words for a range: "any version", "versions <2.4.0". */
export const describeRange = (range: string | null | undefined) =>
  range?.trim() ? `versions ${range.trim()}` : 'any version';
