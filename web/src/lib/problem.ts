// A refusal from the API as any form shows it (issue 19, "field-level errors"): one headline for the
// status line, and the message for each field the problem names, so the form prints it beside that
// input. Two sources of field messages: `errors[].path` of the problem (`body.station`,
// `query.from`: the path without `body.`/`query.`/`params.`, keyed by its first segment, so
// "errorThreshold.count" marks "errorThreshold"), and the domain refusals whose slug says which field
// is at fault (`camera-exists` → the serial), marked with the problem's detail.
import { ApiError, type Problem } from '../api.js';
import type { ProblemSlug } from '../../../src/shared/problem-types.js';

/** Any failure as a problem: the API's own, or one that says the request did not get through. */
export const problemOf = (e: unknown): Problem =>
  e instanceof ApiError
    ? e.problem
    : { type: '/problems/client', title: 'Something went wrong; try again', status: 0 };

/** The field a domain refusal is about (by the form's field name), so it is marked like a validation error. */
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

const WHERE = /^(?:body|query|params|headers)(?:\.|$)/;

/** The first message for each field the problem names, keyed by the field's top-level name. */
export function fieldErrors(p: Problem | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!p) return out;
  for (const err of p.errors ?? []) {
    const field = err.path.replace(WHERE, '') || err.path;
    const top = field.split('.')[0] ?? field;
    out[top] ??= field === top ? err.message : `${field}: ${err.message}`;
  }
  const byType = FIELD_OF[p.type.replace(/^\/problems\//, '') as ProblemSlug];
  if (byType) out[byType] ??= p.detail ?? p.title;
  return out;
}

/**
 * One line for the whole form. For invalid input, where to look: the API's own detail ("Invalid
 * body: …") repeats the field messages shown beside the fields. "Not accepted" rather than
 * "Nothing was saved": the same rule heads a search form (Audit's filters) and a register form.
 * Anything else: the problem's title and what went wrong this time ("Unknown station: No station
 * 'NOPE1'").
 */
export function headline(p: Problem): string {
  if (p.type === '/problems/validation-failed' && p.errors?.length) {
    const n = Object.keys(fieldErrors(p)).length;
    return `Not accepted: correct the ${n === 1 ? 'field' : `${n} fields`} marked`;
  }
  return p.detail && p.detail !== p.title ? `${p.title}: ${p.detail}` : p.title;
}
