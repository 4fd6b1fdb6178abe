// Pieces the firmware screens share: loading a resource, a refusal shown with its detail and the
// fields the API names, status badges, and a labelled form field that shows its own problem.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, type Problem } from '../../api.js';
import { showProblem } from '../../lib/firmware/problems.js';
import type { ArtifactStatus, CampaignStatus } from '../../lib/firmware/types.js';
import { campaignPushSeq } from '../../live.js';

export const BASE = '/firmware';

/** Any failure as a problem: the API's own, or one that says the request did not get through. */
export const problemOf = (e: unknown): Problem =>
  e instanceof ApiError ? e.problem : { type: '/problems/client', title: 'Something went wrong', status: 0 };

/**
 * GET a firmware resource. `pushSeq` is the live feed's push count when the fetch started: a
 * campaign pushed after that is newer than what the fetch brought.
 */
export function useResource<T>(path: string | null, refresh: unknown = null) {
  const [state, setState] = useState<{ data: T | null; error: Problem | null; pushSeq: number }>({
    data: null,
    error: null,
    pushSeq: 0,
  });
  const [tick, setTick] = useState(0);
  // `refresh` and `tick` (reload): values that, when they change, ask for the resource again.
  useEffect(() => {
    if (!path) return;
    let current = true;
    const pushSeq = campaignPushSeq();
    api<T>(`${BASE}${path}`).then(
      (data) => current && setState({ data, error: null, pushSeq }),
      (e: unknown) => current && setState((s) => ({ ...s, error: problemOf(e) })),
    );
    return () => {
      current = false;
    };
  }, [path, refresh, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** `value`, changing at most once every `ms` (the last change always comes through). */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = Math.max(0, last.current + ms - Date.now());
    const timer = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return shown;
}

/** A refusal: what the API said (title and detail), advice where we have some, and the fields. */
export function ProblemNotice({ problem, id }: { problem: Problem | null; id?: string }) {
  if (!problem) return null;
  const p = showProblem(problem);
  return (
    <div className="feedback tone-refused fw-problem" role="alert" id={id}>
      <p className="fw-problem-head">{p.headline}</p>
      {p.advice && <p>{p.advice}</p>}
      {p.fields.length > 0 && (
        <ul aria-label="Fields to correct">
          {p.fields.map((f) => (
            <li key={f.path}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Success or refusal of the last action, announced politely (refusals through ProblemNotice). */
export type Outcome = { ok: true; text: string } | { ok: false; problem: Problem } | null;

export function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  return (
    <div aria-live="polite" role="status" className="fw-outcome">
      {outcome?.ok && <p className="okmsg">{outcome.text}</p>}
      {outcome && !outcome.ok && <ProblemNotice problem={outcome.problem} />}
    </div>
  );
}

const STATUS_WORD: Record<ArtifactStatus, string> = {
  approved: 'approved',
  blocked: 'blocked',
  unreviewed: 'not reviewed',
};

export function VersionBadge({ status }: { status: ArtifactStatus }) {
  return <span className={`badge fw-${status}`}>{STATUS_WORD[status]}</span>;
}

const CAMPAIGN_WORD: Record<CampaignStatus, string> = {
  creating: 'being created',
  'awaiting-approval': 'awaiting approval',
  running: 'running',
  paused: 'paused',
  completed: 'completed',
  canceled: 'canceled',
};

export function CampaignBadge({ status }: { status: CampaignStatus }) {
  return (
    <span className={`badge fw-c-${status}`} data-status={status}>
      {CAMPAIGN_WORD[status]}
    </span>
  );
}

/** A labelled input whose problem (from the form's own checks or the API's `errors`) is tied to it. */
export function Field({
  label,
  name,
  error,
  hint,
  wide = false,
  children,
}: {
  label: string;
  /** Across the whole row of its fieldset. */
  wide?: boolean;
  name: string;
  error?: string | undefined;
  hint?: ReactNode;
  /** The control, given the ids and flags to tie it to its hint and error. */
  children: (a: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = `f-${name}`;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ');
  return (
    <div className={wide ? 'fw-field fw-wide' : 'fw-field'}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(error && { 'aria-invalid': true as const }),
        ...(describedBy && { 'aria-describedby': describedBy }),
      })}
      {hint && (
        <span id={`${id}-hint`} className="muted fw-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-err`} className="error fw-hint">
          {error}
        </span>
      )}
    </div>
  );
}

/** A text field of a submitted form, trimmed ('' when missing). */
export const formText = (f: FormData, name: string) => {
  const v = f.get(name);
  return typeof v === 'string' ? v.trim() : '';
};

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

export const bytes = (n: number) =>
  n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1)} MiB`
    : n >= 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${n} B`;
