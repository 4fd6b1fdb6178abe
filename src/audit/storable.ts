// What goes into an audit entry is first made storable, so that the hash covers exactly what the
// database will give back (issue 14, finding 1). Found against FerretDB v1 and the MongoDB driver:
// - a lone UTF-16 surrogate is stored as U+FFFD (the driver encodes UTF-8), in values and keys;
// - Dates come back as Dates, undefined as null or gone, NaN closes the connection, ±Infinity is refused;
// - keys containing '.' or NUL, or starting with '$', are refused, so the entry could not be written;
// - -0 comes back as 0 (harmless: the hash's JSON writes both as 0); large numbers round-trip as doubles;
// - nesting about 1,000 deep is refused by SQLite's JSON (MongoDB's own limit is 100).
// The JSON round trip settles the first group, well-formed strings the surrogates, escaped keys and
// deep subtrees written as JSON text the rest.

declare global {
  interface String {
    /** ES2024, in Node 20: each lone surrogate replaced by U+FFFD, as UTF-8 encoding does. */
    toWellFormed(): string;
  }
}

/** JSON value as the audit collection stores and returns it. */
export type Storable = null | boolean | number | string | Storable[] | { [key: string]: Storable };

/** Deep copy of `value` as it will be stored: JSON-safe, every string and key well formed and storable. */
export function storable<T>(value: T): T {
  // bigint has no JSON form and would throw; an audit entry must never fail on its payload.
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return (json === undefined ? null : wellFormed(JSON.parse(json) as Storable)) as T;
}

/** Levels of nesting kept as structure; anything deeper is stored as its JSON text. */
export const MAX_DEPTH = 32;

function wellFormed(value: Storable, depth = 0): Storable {
  if (typeof value === 'string') return value.toWellFormed();
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return JSON.stringify(value).toWellFormed();
  if (Array.isArray(value)) return value.map((v) => wellFormed(v, depth + 1));
  // fromEntries defines own properties, so a `__proto__` key stays data (as JSON.parse made it).
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [storableKey(k), wellFormed(v, depth + 1)]),
  );
}

/**
 * A key the database accepts. The characters it refuses become their look-alikes, MongoDB's own
 * advice: '.' → U+FF0E, a leading '$' → U+FF04, NUL → U+2400.
 */
export function storableKey(key: string): string {
  return key.toWellFormed().replaceAll('.', '\uFF0E').replaceAll('\u0000', '\u2400').replace(/^\$/, '\uFF04');
}
