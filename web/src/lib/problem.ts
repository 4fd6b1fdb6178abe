// A refusal from the API as any form shows it (issue 19): one headline for the status line, and the
// message for each field the problem names (`errors[].path`, e.g. `body.station` or `query.from`),
// so the form can print it beside that input. Field names are the path without `body.`/`query.`/
// `params.` and only the first segment ("errorThreshold.count" marks "errorThreshold").
import { ApiError, type Problem } from '../api.js';

const WHERE = /^(?:body|query|params|headers)(?:\.|$)/;

/** The problem behind an error the API client threw, or null for anything else. */
export const problemOf = (e: unknown): Problem | null => (e instanceof ApiError ? e.problem : null);

/** "Unknown station: No station 'NOPE1'"; a generic line for what is not a problem. */
export function headlineOf(e: unknown): string {
  const p = problemOf(e);
  if (!p) return 'Something went wrong; try again';
  return p.detail && p.detail !== p.title ? `${p.title}: ${p.detail}` : p.title;
}

/** The first message for each field, keyed by the field's top-level name. */
export function fieldErrorsOf(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const err of problemOf(e)?.errors ?? []) {
    const field = err.path.replace(WHERE, '') || err.path;
    const top = field.split('.')[0] ?? field;
    out[top] ??= field === top ? err.message : `${field}: ${err.message}`;
  }
  return out;
}
