// The auditor's screen (issue 19): the audit trail with filters (time range, actor, action, what was
// changed), page by page, newest first; the hash chain's verification as the server computes it; and
// the filtered entries as CSV (a download the server audits).
import { useEffect, useState, type FormEvent } from 'react';
import type { AuditEntryResponse, AuditVerdictResponse } from '../../../src/audit/audit.responses.js';
import { api, type Problem } from '../api.js';
import { FieldError, invalidProps } from '../lib/FieldError.js';
import { fieldErrors, headline, problemOf } from '../lib/problem.js';
import type { Me } from '../lib/types.js';

const PAGE = 50;

interface Filter {
  from: string;
  to: string;
  actor: string;
  action: string;
  targetKind: string;
  targetId: string;
}
const NO_FILTER: Filter = { from: '', to: '', actor: '', action: '', targetKind: '', targetId: '' };

/** `datetime-local` is the browser's local time; the API takes an instant. */
const instant = (local: string) => (local ? new Date(local).toISOString() : '');

/** The filter as the API's query string (empty fields left out). */
export function auditQuery(f: Filter): URLSearchParams {
  const q = new URLSearchParams();
  const values: Record<keyof Filter, string> = { ...f, from: instant(f.from), to: instant(f.to) };
  for (const [k, v] of Object.entries(values)) if (v.trim()) q.set(k, v.trim());
  return q;
}

interface Page {
  items: AuditEntryResponse[];
  total: number;
  /** Where this page starts (the API echoes it): the range shown is the one fetched, never ahead of it. */
  offset: number;
}

const REASONS: Record<AuditVerdictResponse['breaks'][number]['reason'], string> = {
  'seq-gap': 'an entry is missing',
  'link-broken': 'does not name the entry before it',
  'hash-mismatch': 'its content was changed after it was written',
};

export function Audit(_: { me: Me }) {
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const [verdict, setVerdict] = useState<AuditVerdictResponse | null>(null);
  const [verifying, setVerifying] = useState(true);
  /** Bumped by "Verify again". */
  const [verifyRun, setVerifyRun] = useState(0);
  /** Bumped by Clear: the filter form starts afresh. */
  const [formKey, setFormKey] = useState(0);

  useEffect(() => {
    const q = auditQuery(filter);
    q.set('limit', String(PAGE));
    q.set('offset', String(offset));
    let live = true;
    api<Page>(`/audit?${q.toString()}`).then(
      (p) => {
        if (!live) return;
        setPage(p);
        setError(null);
      },
      (e: unknown) => live && setError(problemOf(e)),
    );
    return () => {
      live = false;
    };
  }, [filter, offset]);

  useEffect(() => {
    let live = true;
    api<AuditVerdictResponse>('/audit/verify')
      .then(
        (v) => live && setVerdict(v),
        (e: unknown) => live && setError(problemOf(e)),
      )
      .finally(() => live && setVerifying(false));
    return () => {
      live = false;
    };
  }, [verifyRun]);
  const verify = () => {
    setVerifying(true);
    setVerifyRun((n) => n + 1);
  };

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: keyof Filter) => {
      const v = f.get(k);
      return typeof v === 'string' ? v : '';
    };
    setFilter({
      from: get('from'),
      to: get('to'),
      actor: get('actor'),
      action: get('action'),
      targetKind: get('targetKind'),
      targetId: get('targetId'),
    });
    setOffset(0);
  };

  const fields = fieldErrors(error);
  const exportHref = `/api/v1/audit/export.csv?${auditQuery(filter).toString()}`;
  const shownFrom = page?.offset ?? 0;
  const last = page ? Math.min(shownFrom + PAGE, page.total) : 0;

  return (
    <>
      <h1>Audit trail</h1>
      <section aria-labelledby="verify-h" className="audit-verify">
        <h2 id="verify-h">Chain verification</h2>
        <div role="status" aria-live="polite" data-testid="verdict">
          {!verdict ? (
            <p className="muted">Verifying the chain…</p>
          ) : verdict.ok ? (
            <p className="okmsg">
              Intact: all {verdict.checked.toLocaleString()} entries link and hash as written
              {verdict.reanchored ? ` (${verdict.reanchored} re-anchored)` : ''}.
            </p>
          ) : (
            <div className="error">
              <p>
                Broken at entry {verdict.brokenAt}: {verdict.breakCount} break(s) in{' '}
                {verdict.checked.toLocaleString()} entries; the {verdict.entries.toLocaleString()} before it
                are intact.
              </p>
              <ul>
                {verdict.breaks.slice(0, 10).map((b) => (
                  <li key={`${b.seq}-${b.reason}`}>
                    Entry {b.seq}: {REASONS[b.reason]}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
        <button type="button" className="secondary" onClick={verify} disabled={verifying}>
          {verifying ? 'Verifying…' : 'Verify again'}
        </button>
      </section>

      <form key={formKey} className="grid-form audit-filters" onSubmit={apply} aria-labelledby="filters-h">
        <h2 id="filters-h">Filters</h2>
        <label>
          From{' '}
          <input
            name="from"
            type="datetime-local"
            defaultValue={filter.from}
            {...invalidProps({ id: 'audit-from-err', message: fields.from })}
          />
          <FieldError id="audit-from-err" message={fields.from} />
        </label>
        <label>
          Until{' '}
          <input
            name="to"
            type="datetime-local"
            defaultValue={filter.to}
            {...invalidProps({ id: 'audit-to-err', message: fields.to })}
          />
          <FieldError id="audit-to-err" message={fields.to} />
        </label>
        <label>
          Actor <input name="actor" maxLength={100} defaultValue={filter.actor} placeholder="username" />
        </label>
        <label>
          Action{' '}
          <input name="action" maxLength={100} defaultValue={filter.action} placeholder="e.g. user.update" />
        </label>
        <label>
          Entity type{' '}
          <input
            name="targetKind"
            maxLength={50}
            defaultValue={filter.targetKind}
            placeholder="e.g. camera"
          />
        </label>
        <label>
          Entity id <input name="targetId" maxLength={100} defaultValue={filter.targetId} />
        </label>
        <div className="audit-filter-actions">
          <button type="submit">Apply filters</button>{' '}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setFilter(NO_FILTER);
              setOffset(0);
              setFormKey((k) => k + 1);
            }}
          >
            Clear
          </button>{' '}
          <a className="button secondary" href={exportHref} download>
            Export CSV
          </a>
        </div>
      </form>

      {error !== null && <p className="error">{headline(error)}</p>}

      <section aria-labelledby="entries-h">
        <h2 id="entries-h">Entries</h2>
        <p aria-live="polite" data-testid="range">
          {page
            ? page.total === 0
              ? 'No entries match.'
              : `Entries ${(shownFrom + 1).toLocaleString()}–${last.toLocaleString()} of ${page.total.toLocaleString()}, newest first`
            : 'Loading…'}
        </p>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="entries-h">
          <table className="audit-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Entity</th>
                <th scope="col">What happened</th>
              </tr>
            </thead>
            <tbody>
              {page?.items.map((e) => (
                <tr key={e.seq} data-seq={e.seq}>
                  <th scope="row">{e.seq}</th>
                  <td data-label="When">{new Date(e.ts).toLocaleString()}</td>
                  <td data-label="Actor">
                    {e.actor.id}
                    {e.actor.type !== 'user' && <span className="muted"> ({e.actor.type})</span>}
                  </td>
                  <td data-label="Action">
                    <code>{e.action}</code>
                  </td>
                  <td data-label="Entity">
                    {e.target.kind} <code>{e.target.id}</code>
                  </td>
                  <td>
                    {e.summary}
                    {e.changes && (
                      <details>
                        <summary>Changes</summary>
                        <pre>{JSON.stringify(e.changes, null, 2)}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <nav className="pager" aria-label="Pages of entries">
          <button
            type="button"
            className="secondary"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE))}
          >
            Newer
          </button>{' '}
          <button
            type="button"
            className="secondary"
            disabled={!page || offset + PAGE >= page.total}
            onClick={() => setOffset(offset + PAGE)}
          >
            Older
          </button>
        </nav>
      </section>
    </>
  );
}
