// Pieces the set-up tabs share: a GET with reload, the outcome of the last action, and one form
// that registers or edits a record from a list of field specs, marking each field the API names.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type Problem } from '../../api.js';
import type { Station } from '../../lib/types.js';
import { fieldErrors, headline, problemOf } from '../../lib/problem.js';

/** GET `path` (null: nothing yet); `reload` asks again. */
export function useGet<T>(path: string | null) {
  const [state, setState] = useState<{ data: T | null; error: Problem | null }>({ data: null, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return;
    let current = true;
    api<T>(path).then(
      (data) => current && setState({ data, error: null }),
      (e: unknown) => current && setState((s) => ({ ...s, error: problemOf(e) })),
    );
    return () => {
      current = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** A refusal: the API's title and detail, and each field it names. */
export function ProblemNotice({ problem }: { problem: Problem | null }) {
  if (!problem) return null;
  return (
    <div className="feedback tone-refused fw-problem" role="alert">
      <p className="fw-problem-head">{headline(problem)}</p>
      {problem.errors && problem.errors.length > 0 && (
        <ul aria-label="Fields to correct">
          {problem.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <code>{e.path.replace(/^(?:body|query|params)\./, '')}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Done({ text }: { text: string | null }) {
  return (
    <div role="status" aria-live="polite" className="fw-outcome">
      {text && <p className="okmsg">{text}</p>}
    </div>
  );
}

export interface FieldSpec {
  name: string;
  label: string;
  kind?: 'text' | 'number' | 'date' | 'station' | 'checks' | 'check' | 'textarea';
  required?: boolean;
  /** The API's pattern, so the browser says so before sending (the API judges anyway). */
  pattern?: string;
  hint?: string;
  options?: readonly string[];
  /** The record's identity: given when registering, never changed after. */
  key?: boolean;
  /** Not offered when editing (a camera's station: only a transfer moves it). */
  createOnly?: boolean;
  /** What an empty input sends: null or '' (a field that may be empty), or nothing (the API's default). */
  empty?: 'null' | 'blank' | 'omit';
}

type Values = Record<string, unknown>;

const asInput = (spec: FieldSpec, v: unknown): string => {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return '';
  return spec.kind === 'date' ? v.slice(0, 10) : v;
};

function read(f: FormData, spec: FieldSpec): unknown {
  if (spec.kind === 'checks') return f.getAll(spec.name).map(String);
  if (spec.kind === 'check') return f.get(spec.name) === 'on';
  const raw = f.get(spec.name);
  const v = typeof raw === 'string' ? raw.trim() : '';
  if (v === '') return spec.empty === 'null' ? null : spec.empty === 'blank' ? '' : undefined;
  return spec.kind === 'number' ? Number(v) : v;
}

const same = (spec: FieldSpec, a: unknown, b: unknown) =>
  spec.kind === 'date' ? asInput(spec, a) === asInput(spec, b) : JSON.stringify(a) === JSON.stringify(b);

/**
 * Registers (no `initial`) or edits (`initial` = the record) with the fields given. An edit sends
 * only what changed. A refusal marks the fields the API names and says what went wrong.
 */
export function RecordForm({
  id,
  title,
  fields,
  initial,
  stations,
  defaultStation,
  submitLabel,
  submit,
  onDone,
  onCancel,
}: {
  id: string;
  title: string;
  fields: FieldSpec[];
  initial: Values | null;
  stations: Station[];
  defaultStation?: string | null | undefined;
  submitLabel: string;
  submit: (body: Values) => Promise<unknown>;
  onDone: (body: Values) => void;
  onCancel?: () => void;
}) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(problem);
  const editing = initial !== null;

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const body: Values = {};
    for (const spec of fields) {
      if (editing && (spec.key || spec.createOnly)) continue;
      const v = read(f, spec);
      if (v === undefined) continue;
      if (editing && same(spec, v, initial[spec.name])) continue;
      body[spec.name] = v;
    }
    if (editing && Object.keys(body).length === 0) {
      setProblem({ type: '/problems/client', title: 'Nothing to change', status: 0 });
      return;
    }
    setBusy(true);
    submit(body).then(
      () => {
        setBusy(false);
        setProblem(null);
        if (!editing) form.reset();
        onDone(body);
      },
      (err: unknown) => {
        setBusy(false);
        setProblem(problemOf(err));
      },
    );
  };

  return (
    <form className="grid-form setup-form" aria-labelledby={`${id}-h`} onSubmit={onSubmit} noValidate>
      <h3 id={`${id}-h`}>{title}</h3>
      {fields.map((spec) => {
        const fid = `${id}-${spec.name}`;
        const error = errors[spec.name];
        const describedBy = [spec.hint ? `${fid}-hint` : '', error ? `${fid}-err` : '']
          .filter(Boolean)
          .join(' ');
        const aria = {
          ...(error && { 'aria-invalid': true as const }),
          ...(describedBy && { 'aria-describedby': describedBy }),
        };
        const initialValue = initial?.[spec.name];
        const locked = editing && (spec.key || spec.createOnly);
        const note = (
          <>
            {spec.hint && (
              <span id={`${fid}-hint`} className="muted fw-hint">
                {spec.hint}
              </span>
            )}
            {error && (
              <span id={`${fid}-err`} className="error fw-hint" data-field-error={spec.name}>
                {error}
              </span>
            )}
          </>
        );
        if (spec.kind === 'checks') {
          const chosen = new Set((initialValue as string[] | undefined) ?? []);
          return (
            <fieldset key={spec.name} className="fw-wide setup-checks" {...aria}>
              <legend>{spec.label}</legend>
              <div className="fw-checks">
                {spec.options?.map((o) => (
                  <label key={o}>
                    <input type="checkbox" name={spec.name} value={o} defaultChecked={chosen.has(o)} /> {o}
                  </label>
                ))}
              </div>
              {note}
            </fieldset>
          );
        }
        if (spec.kind === 'check') {
          return (
            <div key={spec.name} className="fw-field">
              <label htmlFor={fid}>
                <input
                  id={fid}
                  type="checkbox"
                  name={spec.name}
                  defaultChecked={initialValue === undefined ? true : Boolean(initialValue)}
                  {...aria}
                />{' '}
                {spec.label}
              </label>
              {note}
            </div>
          );
        }
        const common = {
          id: fid,
          name: spec.name,
          required: spec.required,
          disabled: locked,
          ...aria,
        };
        return (
          <div key={spec.name} className={spec.kind === 'textarea' ? 'fw-field fw-wide' : 'fw-field'}>
            <label htmlFor={fid}>{spec.label}</label>
            {spec.kind === 'station' ? (
              <select
                {...common}
                defaultValue={asInput(spec, initialValue ?? defaultStation ?? '')}
                key={stations.length}
              >
                <option value="">Choose…</option>
                {stations.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.code} · {s.name}
                  </option>
                ))}
              </select>
            ) : spec.kind === 'textarea' ? (
              <textarea {...common} rows={2} defaultValue={asInput(spec, initialValue)} />
            ) : (
              <input
                {...common}
                type={spec.kind === 'number' ? 'number' : spec.kind === 'date' ? 'date' : 'text'}
                {...(spec.kind === 'number' && { min: 0, step: 'any' })}
                {...(spec.pattern && { pattern: spec.pattern })}
                defaultValue={asInput(spec, initialValue)}
                autoComplete="off"
              />
            )}
            {note}
          </div>
        );
      })}
      <div className="fw-buttons fw-wide">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <div className="fw-wide">
        <ProblemNotice problem={problem} />
      </div>
    </form>
  );
}
