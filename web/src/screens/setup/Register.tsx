// One register as set-up shows it (stations, docks, cameras, officers): the records in a table,
// searched by text and filtered by station, a page of them at a time ("Showing 101–200 of 1,500",
// a force holds 1,500 cameras), an Edit button on each row, and the form that registers a new one
// or edits the chosen one. Paged registers search and page through the API (`q`, `limit`,
// `offset`); stations, a short list the API answers whole, are searched and paged here.
import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../../api.js';
import type { Me, Station } from '../../lib/types.js';
import { Done, ProblemNotice, RecordForm, useGet, type FieldSpec } from './common.js';

interface Page<T> {
  items: T[];
  total: number;
}

export interface Column<T> {
  label: string;
  value: (item: T) => ReactNode;
}

/** How many records a list shows at once. */
const LIMIT = 100;
const count = (n: number) => n.toLocaleString('en-GB');

/** What the list shows now, for actions beside it (e.g. the docks' label sheet). */
export interface RegisterView<T> {
  station: string;
  search: string;
  items: T[];
  total: number;
}

export function Register<T extends Record<string, unknown>>({
  me,
  stations,
  onChanged,
  noun,
  plural,
  path,
  keyOf,
  columns,
  fields,
  byStation,
  searchHint,
  matches,
  actions,
}: {
  me: Me;
  stations: Station[];
  /** After a change (the stations list is shared by every tab). */
  onChanged?: () => void;
  noun: string;
  plural: string;
  /** The collection, e.g. `/cameras`; a record is `${path}/${key}`. */
  path: string;
  keyOf: (item: T) => string;
  columns: Column<T>[];
  fields: FieldSpec[];
  /** The register is paged, searched and filtered by station in the API (all but stations). */
  byStation: boolean;
  /** What the search box looks in, e.g. "Serial or asset tag" (the API's `q`). */
  searchHint: string;
  /** For a register the API answers whole: does the record match the search text (lower case)? */
  matches?: (item: T, text: string) => boolean;
  actions?: (view: RegisterView<T>) => ReactNode;
}) {
  const [station, setStation] = useState(me.station ?? '');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<T | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const query = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
  if (station) query.set('station', station);
  if (search) query.set('q', search);
  const list = useGet<T[] | Page<T>>(byStation ? `${path}?${query.toString()}` : path);
  // The API's page, or the whole list searched and paged here.
  const data = list.data;
  const found = Array.isArray(data)
    ? data.filter((item) => !search || !matches || matches(item, search.toLowerCase()))
    : null;
  const page = Array.isArray(data) ? null : data;
  const items: T[] = found ? found.slice(offset, offset + LIMIT) : (page?.items ?? []);
  const total = found ? found.length : (page?.total ?? 0);
  const id = path.slice(1);
  const headingId = `${id}-list-h`;
  const keyField = fields.find((f) => f.key)?.name ?? 'id';
  const what = (n: number) => (n === 1 ? noun : plural).toLowerCase();
  const range =
    total > items.length
      ? `Showing ${count(offset + 1)}–${count(offset + items.length)} of ${count(total)}${search ? ` matching “${search}”` : ''}`
      : search
        ? `${count(total)} ${what(total)} matching “${search}”`
        : `${count(total)} ${what(total)}`;
  const onSearch = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = new FormData(e.currentTarget).get('q');
    setSearch(typeof text === 'string' ? text.trim() : '');
    setOffset(0);
  };

  const changed = (text: string) => {
    setDone(text);
    list.reload();
    onChanged?.();
  };

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{plural}</h2>
      <Done text={done} />
      <div className="inline-form setup-filter">
        <form
          role="search"
          aria-label={`Search ${plural.toLowerCase()}`}
          className="setup-search"
          onSubmit={onSearch}
        >
          <label htmlFor={`${id}-q`}>Find {plural.toLowerCase()}</label>
          <span className="setup-search-row">
            <input
              id={`${id}-q`}
              name="q"
              type="search"
              maxLength={50}
              autoComplete="off"
              aria-describedby={`${id}-q-hint`}
            />
            <button type="submit" className="secondary">
              Search
            </button>
          </span>
          <span id={`${id}-q-hint`} className="muted fw-hint">
            {searchHint}, or part of one
          </span>
        </form>
        {byStation && (
          <label>
            Station
            <select
              value={station}
              onChange={(e) => {
                setStation(e.target.value);
                setOffset(0);
              }}
            >
              <option value="">Every station</option>
              {stations.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.code} · {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {actions?.({ station, search, items, total })}
      </div>
      <div className="setup-range">
        <p className="muted" data-testid={`${id}-count`} aria-live="polite">
          {list.data ? range : ''}
        </p>
        {total > LIMIT && (
          <nav aria-label={`Pages of ${plural.toLowerCase()}`} className="setup-pager">
            <button
              type="button"
              className="secondary"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - LIMIT))}
            >
              Previous {LIMIT}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={offset + LIMIT >= total}
              onClick={() => setOffset(offset + LIMIT)}
            >
              Next {LIMIT}
            </button>
          </nav>
        )}
      </div>
      <ProblemNotice problem={list.error} />
      {items.length === 0 && list.data ? (
        <p className="muted">
          {search
            ? `No ${plural.toLowerCase()} match “${search}”.`
            : `No ${plural.toLowerCase()} yet: register the first below.`}
        </p>
      ) : (
        <div className="table-scroll setup-table" tabIndex={0} role="region" aria-labelledby={headingId}>
          <table>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.label} scope="col">
                    {c.label}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={keyOf(item)} data-key={keyOf(item)}>
                  {columns.map((c, i) =>
                    i === 0 ? (
                      <th key={c.label} scope="row">
                        {c.value(item)}
                      </th>
                    ) : (
                      <td key={c.label}>{c.value(item)}</td>
                    ),
                  )}
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Edit ${noun.toLowerCase()} ${keyOf(item)}`}
                      onClick={() => {
                        setDone(null);
                        setEditing(item);
                      }}
                    >
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <RecordForm
          key={`edit-${keyOf(editing)}`}
          id={`${path.slice(1)}-edit`}
          title={`Edit ${noun.toLowerCase()} ${keyOf(editing)}`}
          fields={fields}
          initial={editing}
          stations={stations}
          submitLabel="Save changes"
          submit={(body) => api(`${path}/${encodeURIComponent(keyOf(editing))}`, { method: 'PATCH', body })}
          onDone={() => {
            changed(`${noun} ${keyOf(editing)} saved`);
            setEditing(null);
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <RecordForm
          key="new"
          id={`${path.slice(1)}-new`}
          title={`Register ${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun.toLowerCase()}`}
          fields={fields}
          initial={null}
          stations={stations}
          defaultStation={me.station}
          submitLabel={`Register ${noun.toLowerCase()}`}
          submit={(body) => api(path, { method: 'POST', body })}
          onDone={(body) => changed(`${noun} ${String(body[keyField])} registered`)}
        />
      )}
    </section>
  );
}
