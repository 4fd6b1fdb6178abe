// Property-based fuzzing helpers on fast-check: the run's seed and size, arbitraries for a zod
// schema (through z.toJSONSchema: zod-fast-check supports zod 3 only and json-schema-fast-check is
// unmaintained, so this is a small converter for the keywords our schemas use), hostile values,
// and a logger that keeps what the platform logs at error level.
//
// FUZZ_SEED replays a run; FUZZ_RUNS scales it (HTTP requests; MQTT messages are half of it).
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { z, type ZodType } from 'zod';
import { createLogger, type Logger } from '../../src/logger.js';

const DEFAULT_SEED = 20_261_202;
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
/** HTTP requests in a run; the CI-sized run is 10,000. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** Values that exist in the test's data, by the property name that refers to them (`serial`, `code`…). */
export type KnownValues = Record<string, readonly string[]>;

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

export const jsonSchemaOf = (schema: ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

// ---- hostile values ---------------------------------------------------------------------------

export const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', 'ok\uD83D', '\uDE00ok', 'a\uD800b'];
/** The ends of the JS date range (±8.64e15 ms) and just past them, plus impossible calendar dates. */
export const EDGE_DATES = [
  '+275760-09-13T00:00:00.000Z',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00.000Z',
  '-271821-04-19T23:59:59.999Z',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00.000Z',
  '1970-01-01T00:00:00.000Z',
  '2026-02-30T00:00:00.000Z',
  '8640000000000000',
  '8640000000000001',
  '-8640000000000001',
];
const NUMBERISH = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '-0',
  '0x10',
  '1e-400',
  '9007199254740993',
  '-1',
  ' 1',
  '',
];
const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const INJECTION = [
  '$where',
  '{"$gt":""}',
  '$gt',
  '../../etc/passwd',
  '\u0000',
  '<script>x</script>',
  "'; --",
  '%00',
  '*',
  '#',
  '+',
];

/** One code point of any kind, a lone surrogate now and then. */
const anyUnit = fc.oneof(
  { weight: 9, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF') },
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...LONE_SURROGATES, ...EDGE_DATES, ...NUMBERISH, ...KEYS, ...INJECTION),
  fc.string({ unit: anyUnit, maxLength: 40 }),
  fc.integer({ min: 1_000, max: 60_000 }).map((n) => 'x'.repeat(n)),
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -1,
    -0,
    0.5,
    1e308,
    -1e308,
    2 ** 31,
    2 ** 53 + 2,
    -(2 ** 53),
    8.64e15,
    8.64e15 + 1,
    -8.64e15 - 1,
  ),
  fc.double(),
  fc.integer(),
);

/** `[[[…]]]` or `{"a":{"a":…}}` this deep. */
export function nested(depth: number, asArray: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** An object whose own key is `key` (a literal `{ __proto__: … }` would set the prototype instead). */
export function withOwnKey(target: Record<string, unknown>, key: string, value: unknown) {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}),
  fc.constantFrom(...KEYS).map((k) => withOwnKey({}, k, { role: 'admin', polluted: true })),
  fc.tuple(fc.integer({ min: 10, max: 3_000 }), fc.boolean()).map(([d, a]) => nested(d, a)),
  fc.jsonValue({ maxDepth: 3 }),
);

// ---- schema → arbitrary -----------------------------------------------------------------------

const normalDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Anything, for schemas JSON Schema cannot state (z.coerce.date and friends). */
const anything: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: normalDate },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_DATES) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 4_102_444_800_000 }) },
  { weight: 1, arbitrary: hostileValue },
);

function stringOf(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'date-time')
    return fc.oneof(
      { weight: 4, arbitrary: normalDate },
      { weight: 1, arbitrary: fc.constantFrom(...EDGE_DATES) },
    );
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'email') return fc.emailAddress();
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern));
    } catch {
      // a construct stringMatching does not know: fall through to plain strings
    }
  }
  return fc.string({
    unit: anyUnit,
    minLength: s.minLength ?? 0,
    maxLength: Math.min(s.maxLength ?? 40, 200),
  });
}

function baseOf(s: JsonSchema, known: KnownValues): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union?.length) return fc.oneof(...union.map((u) => baseOf(u, known)));
  if (s.allOf?.[0]) return baseOf(s.allOf[0], known);
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((type) => baseOf({ ...s, type }, known)));
  switch (s.type) {
    case 'string':
      return stringOf(s);
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({
        min: s.minimum ?? s.exclusiveMinimum ?? -1e6,
        max: s.maximum ?? s.exclusiveMaximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? baseOf(s.items, known) : anything, {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 5, 5)),
      });
    case 'object':
      return objectOf(s, known);
    case undefined:
    default:
      return anything;
  }
}

function objectOf(s: JsonSchema, known: KnownValues): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {});
  return fc.record(Object.fromEntries(props.map(([name, p]) => [name, arbitraryFor(p, known, name)])), {
    requiredKeys: s.required ?? [],
  });
}

/** Values the schema accepts (mostly), preferring values that exist when the property names known ones. */
export function arbitraryFor(s: JsonSchema, known: KnownValues, name?: string): fc.Arbitrary<unknown> {
  const base = baseOf(s, known);
  const pool = name === undefined ? undefined : known[name];
  return pool?.length
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: base })
    : base;
}

/** A record of the object schema's properties (empty for none). */
export const objectFor = (
  schema: ZodType | undefined,
  known: KnownValues,
): fc.Arbitrary<Record<string, unknown>> =>
  schema ? objectOf(jsonSchemaOf(schema), known) : fc.constant({});

// ---- running ----------------------------------------------------------------------------------

/** Runs `fn` over the items, `concurrency` at a time, in order of start. */
export async function inPool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Groups failures by kind, with the routes they happened on, how often, and the first example. */
export class Findings {
  private readonly byKey = new Map<string, { example: string; count: number; routes: Set<string> }>();
  add(key: string, route: string, example: string) {
    const f = this.byKey.get(key) ?? { example, count: 0, routes: new Set<string>() };
    f.count++;
    f.routes.add(route);
    this.byKey.set(key, f);
  }
  get size() {
    return this.byKey.size;
  }
  /** One line per kind; FUZZ_SEED replays the run. */
  report(): string[] {
    return [...this.byKey].map(
      ([k, f]) =>
        `${k}: ×${f.count} on ${f.routes.size} route(s) (${[...f.routes].slice(0, 3).join(', ')}…) — e.g. ${f.example} [FUZZ_SEED=${FUZZ_SEED}]`,
    );
  }
}

interface LogLine {
  level: number;
  msg?: string;
  err?: { message?: string; code?: string };
  req?: { method?: string; url?: string };
}

/** A platform logger at `warn` that keeps what it logs at error level: each kind once, with a count. */
export function capturingLogger(): { log: Logger; errors: () => string[] } {
  const seen = new Map<string, { count: number; example: string }>();
  const log = createLogger('warn', {
    write(line: string) {
      const l = JSON.parse(line) as LogLine;
      if (l.level < 50) return;
      const key = `${l.msg} (${l.err?.code ?? ''} ${l.err?.message ?? ''})`;
      const s = seen.get(key) ?? {
        count: 0,
        example: `${l.req?.method ?? ''} ${(l.req?.url ?? '').slice(0, 120)}`,
      };
      s.count++;
      seen.set(key, s);
    },
  });
  return { log, errors: () => [...seen].map(([k, s]) => `${k} ×${s.count}, e.g. ${s.example}`) };
}

/** JSON text of `v`, shortened for a failure message; lone surrogates stay visible as escapes. */
export const excerpt = (v: unknown, max = 240) => {
  const s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s;
};

/** `GET /audit/verify` of a chain with no break and nothing accepted through a re-anchor. */
export const INTACT_CHAIN = {
  ok: true,
  entries: expect.any(Number),
  checked: expect.any(Number),
  breaks: [],
  breakCount: 0,
  reanchored: 0,
};
