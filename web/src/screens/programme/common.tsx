// Pieces the programme screens share: loading a rollout resource, a refusal shown with the API's
// detail and advice, the phase status badge, and a bar placed by % (the CSP allows no inline style
// attributes, so the width is set through the DOM, as the firmware progress bars do).
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, type Problem } from '../../api.js';
import { ROLLOUT_ADVICE, STATUS_WORD } from '../../lib/rollout/rules.js';
import type { PhaseStatus } from '../../lib/rollout/types.js';
import { fieldOf } from '../../lib/firmware/problems.js';

export const BASE = '/rollout';

export const problemOf = (e: unknown): Problem =>
  e instanceof ApiError ? e.problem : { type: '/problems/client', title: 'Something went wrong', status: 0 };

export const slugOf = (p: Problem) => p.type.replace(/^\/problems\//, '');

/** GET a rollout resource (null path: nothing yet). `refresh`: a value that, changed, asks again. */
export function useRollout<T>(path: string | null, refresh: unknown = null) {
  // `for`: the path the data (or error) answers; while another is asked for, it is loading.
  const [state, setState] = useState<{ data: T | null; error: Problem | null; for: string | null }>({
    data: null,
    error: null,
    for: null,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return;
    let current = true;
    api<T>(`${BASE}${path}`).then(
      (data) => current && setState({ data, error: null, for: path }),
      (e: unknown) => current && setState((s) => ({ ...s, error: problemOf(e), for: path })),
    );
    return () => {
      current = false;
    };
  }, [path, refresh, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: !!path && state.for !== path, reload };
}

/** A refusal: the API's title and detail, our advice for the slug, and the fields it names. */
export function ProblemNotice({ problem, id }: { problem: Problem | null; id?: string }) {
  if (!problem) return null;
  const slug = slugOf(problem);
  const headline =
    problem.detail && problem.detail !== problem.title
      ? `${problem.title}: ${problem.detail}`
      : problem.title;
  const advice = ROLLOUT_ADVICE[slug];
  return (
    <div className="feedback tone-refused fw-problem" role="alert" id={id} data-problem={slug}>
      <p className="fw-problem-head">{headline}</p>
      {advice && <p>{advice}</p>}
      {(problem.errors?.length ?? 0) > 0 && (
        <ul aria-label="Fields to correct">
          {problem.errors?.map((f) => (
            <li key={f.path}>
              <code>{fieldOf(f.path)}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export type Outcome = { ok: true; text: string } | { ok: false; problem: Problem } | null;

export function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  return (
    <div aria-live="polite" role="status" className="fw-outcome">
      {outcome?.ok && <p className="okmsg">{outcome.text}</p>}
      {outcome && !outcome.ok && <ProblemNotice problem={outcome.problem} />}
    </div>
  );
}

export function StatusBadge({ status }: { status: PhaseStatus }) {
  return (
    <span className={`badge ro-${status}`} data-status={status}>
      {STATUS_WORD[status]}
    </span>
  );
}

/** A span positioned by % of its track: `left` and `width` (0..100). */
export function Placed({
  left,
  width,
  className,
  children,
}: {
  left: number;
  width?: number;
  className: string;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    ref.current?.style.setProperty('left', `${left}%`);
    if (width !== undefined) ref.current?.style.setProperty('width', `${width}%`);
  }, [left, width]);
  return (
    <span ref={ref} className={className}>
      {children}
    </span>
  );
}

/** POST/PATCH/PUT to the rollout API, turning the answer into an Outcome. */
export async function send<T = unknown>(
  path: string,
  method: 'POST' | 'PATCH' | 'PUT',
  body?: unknown,
): Promise<{ ok: true; data: T } | { ok: false; problem: Problem }> {
  try {
    const data = await api<T>(`${BASE}${path}`, { method, ...(body !== undefined && { body }) });
    return { ok: true, data };
  } catch (e) {
    return { ok: false, problem: problemOf(e) };
  }
}

/** The text of a submitted form field, trimmed. */
export const formText = (f: FormData, name: string) => {
  const v = f.get(name);
  return typeof v === 'string' ? v.trim() : '';
};
