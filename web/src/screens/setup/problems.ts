// A refusal from the API as the set-up forms show it: each field the problem names, by the form's
// field name. Two sources: `errors[]` of a validation problem (`body.serial` → `serial`), and the
// conflicts whose slug says which field is at fault (`camera-exists` → the serial). Small on
// purpose, so it can merge into a shared helper for every form (issue 19, "field-level errors").
import { ApiError, type Problem } from '../../api.js';
import type { ProblemSlug } from '../../../../src/shared/problem-types.js';

/** Any failure as a problem: the API's own, or one that says the request did not get through. */
export const problemOf = (e: unknown): Problem =>
  e instanceof ApiError ? e.problem : { type: '/problems/client', title: 'Something went wrong', status: 0 };

/** The field a domain refusal is about, so the form marks it like a validation error. */
const FIELD_OF: Partial<Record<ProblemSlug, string>> = {
  'station-exists': 'code',
  'camera-exists': 'serial',
  'asset-tag-exists': 'assetTag',
  'dock-exists': 'id',
  'officer-exists': 'number',
  'unknown-station': 'station',
  'out-of-station-scope': 'station',
  'use-transfer': 'station',
};

const WHERE = /^(?:body|query|params)\./;

/** The first message for each field the problem names, keyed by the field's top-level name. */
export function fieldErrors(p: Problem | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!p) return out;
  for (const e of p.errors ?? []) {
    const field = e.path.replace(WHERE, '');
    const top = field.split('.')[0] ?? field;
    out[top] ??= e.message;
  }
  const byType = FIELD_OF[p.type.replace(/^\/problems\//, '') as ProblemSlug];
  if (byType) out[byType] ??= p.detail ?? p.title;
  return out;
}

/**
 * One line for the whole form: the problem's title and what went wrong this time; for invalid
 * fields, where to look (the API's own detail, "Invalid body", says nothing to a clerk).
 */
export const headline = (p: Problem) =>
  p.type === '/problems/validation-failed' && p.errors?.length
    ? `Nothing was saved: correct the field${p.errors.length === 1 ? '' : 's'} marked`
    : p.detail && p.detail !== p.title
      ? `${p.title}: ${p.detail}`
      : p.title;
