// One register as set-up shows it (stations, docks, cameras, officers): the records in a table,
// filtered by station where the register is large, an Edit button on each row, and the form that
// registers a new one or edits the chosen one.
import { useState, type ReactNode } from 'react';
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

/** How many records a list shows at once; a station filter narrows a large register. */
const LIMIT = 100;

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
  /** The register is paged and filtered by station (all but stations). */
  byStation: boolean;
}) {
  const [station, setStation] = useState(me.station ?? '');
  const [editing, setEditing] = useState<T | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const listPath = byStation
    ? `${path}?limit=${LIMIT}${station ? `&station=${encodeURIComponent(station)}` : ''}`
    : path;
  const list = useGet<T[] | Page<T>>(listPath);
  const items = Array.isArray(list.data) ? list.data : (list.data?.items ?? []);
  const total = Array.isArray(list.data) ? items.length : (list.data?.total ?? 0);
  const headingId = `${path.slice(1)}-list-h`;
  const keyField = fields.find((f) => f.key)?.name ?? 'id';

  const changed = (text: string) => {
    setDone(text);
    list.reload();
    onChanged?.();
  };

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{plural}</h2>
      <Done text={done} />
      {byStation && (
        <div className="inline-form setup-filter">
          <label>
            Station
            <select value={station} onChange={(e) => setStation(e.target.value)}>
              <option value="">Every station</option>
              {stations.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.code} · {s.name}
                </option>
              ))}
            </select>
          </label>
          <p className="muted" data-testid={`${path.slice(1)}-count`}>
            {total > items.length
              ? `Showing ${items.length} of ${total}`
              : `${total} ${(total === 1 ? noun : plural).toLowerCase()}`}
          </p>
        </div>
      )}
      <ProblemNotice problem={list.error} />
      {items.length === 0 && list.data ? (
        <p className="muted">No {plural.toLowerCase()} yet: register the first below.</p>
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
