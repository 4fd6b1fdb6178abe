// The type of a stored document, derived from its schema definition, so that each model file
// states its document once (the fields it gives to `new Schema`) instead of an interface and a
// Schema side by side. mongoose's own inference (`InferRawDocType`) does the work; this only
// corrects the two places where it describes a path more loosely than what is stored:
// - a path with `default: null` is typed optional (`?: T | null | undefined`), although mongoose
//   writes the null into every document it creates: here it is `T | null`, always present;
// - a nested path (an object of paths, no `type`) is typed optional and nullable, although
//   mongoose always stores the object: here it is always present.
// A `Schema.Types.Mixed` path has no shape in the schema (mongoose types it `any`); its type is
// given once, as the third argument, and is the only place that shape is stated. Anything else
// inference gets loose is fixed in the schema itself: `enum: X` for a union of strings,
// `required: true`, `allowNull: false` for an optional path that is never null.
import type { DefaultSchemaOptions, InferRawDocType } from 'mongoose';

type Show<T> = { [K in keyof T]: T[K] };

/** Paths declared with `default: null`. */
type NullDefaulted<Fields> = {
  [K in keyof Fields]: Fields[K] extends { default: null } ? K : never;
}[keyof Fields];

/** A path given by its type alone: `String`, `Date`, `Schema.Types.Mixed`, `[String]`. */
type BarePathType =
  ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown) | readonly unknown[];

/** Paths declared as an object of paths (mongoose's nested paths), not `{ type: … }`. */
type Nested<Fields> = {
  [K in keyof Fields]: Fields[K] extends { type: unknown } | BarePathType
    ? never
    : Fields[K] extends object
      ? K
      : never;
}[keyof Fields];

type Inferred<Fields, Options> = InferRawDocType<Fields, Omit<DefaultSchemaOptions, keyof Options> & Options>;

/**
 * The plain document (what `.lean()` and `toObject()` return) that a schema made of `Fields` and
 * `Options` stores: `_id` included (an ObjectId unless the fields declare it), the timestamps when
 * `Options` asks for them, and the Mixed paths typed by `Mixed`.
 */
export type Stored<Fields, Options = object, Mixed = object> = Show<
  Omit<Inferred<Fields, Options>, NullDefaulted<Fields> | Nested<Fields> | keyof Mixed> & {
    [K in Exclude<NullDefaulted<Fields>, keyof Mixed> & keyof Inferred<Fields, Options>]: Exclude<
      Inferred<Fields, Options>[K],
      undefined
    >;
  } & {
    [K in Exclude<Nested<Fields>, keyof Mixed> & keyof Inferred<Fields, Options>]: NonNullable<
      Inferred<Fields, Options>[K]
    >;
  } & Mixed
>;
