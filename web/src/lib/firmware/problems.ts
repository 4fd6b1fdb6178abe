// A refusal from the API as the firmware screens show it: the problem's title and detail, advice
// for the refusals IT meets, and each field the API names (`errors[].path`, e.g. `body.groups` or
// `query.version`) with its message, so a form can mark the field too.
import type { Problem } from '../../api.js';
import { FIRMWARE_ADVICE } from './rules.js';

export interface FieldProblem {
  /** The field as the form names it: the path without `body.`/`query.`/`params.` ("groups", "errorThreshold.count"). */
  field: string;
  /** The path as the API gave it. */
  path: string;
  message: string;
}

export interface ShownProblem {
  /** "Not allowed for your role: only IT may approve" */
  headline: string;
  advice: string | null;
  fields: FieldProblem[];
}

const WHERE = /^(?:body|query|params|headers)(?:\.|$)/;

export const fieldOf = (path: string) => path.replace(WHERE, '') || path;

export function showProblem(p: Pick<Problem, 'type' | 'title' | 'detail' | 'errors'>): ShownProblem {
  const slug = p.type.replace(/^\/problems\//, '');
  return {
    headline: p.detail && p.detail !== p.title ? `${p.title}: ${p.detail}` : p.title,
    advice: FIRMWARE_ADVICE[slug] ?? null,
    fields: (p.errors ?? []).map((e) => ({ field: fieldOf(e.path), path: e.path, message: e.message })),
  };
}

/**
 * The first message for each form field, by the field's top-level name ("errorThreshold.count"
 * marks "errorThreshold", "groups.1" marks "groups").
 */
export function fieldErrors(p: Pick<Problem, 'errors'> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of p?.errors ?? []) {
    const field = fieldOf(e.path);
    const top = field.split('.')[0] ?? field;
    const message = field === top ? e.message : `${field}: ${e.message}`;
    out[top] ??= message;
  }
  return out;
}
