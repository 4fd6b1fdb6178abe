// Label sheets: the API draws each camera's label (QR code of the serial, asset tag under it) and
// each dock's (QR code of its id, its station under it) as SVG that prints sharp. Choose a
// station's cameras (all, or some) and open the sheet to print it; a station's docks, or every
// dock, likewise. `#/setup/labels/A,B,C` arrives with cameras chosen (after an import).
import { useState } from 'react';
import type { Camera, Me, Station } from '../../lib/types.js';
import { ProblemNotice, useGet } from './common.js';
import type { Dock } from './registers.js';
import type { RegisterView } from './Register.js';

/** The most labels one chosen sheet holds (the API's limit). */
const MAX_CHOSEN = 200;

const sheetUrl = (serials: string[]) =>
  `/api/v1/cameras/labels.svg?serials=${serials.map(encodeURIComponent).join(',')}`;

/** The dock label sheet: the docks named, else a station's, else every dock. */
const dockSheetUrl = ({ ids, station }: { ids?: string[]; station?: string }) =>
  ids
    ? `/api/v1/docks/labels.svg?ids=${ids.map(encodeURIComponent).join(',')}`
    : `/api/v1/docks/labels.svg${station ? `?station=${encodeURIComponent(station)}` : ''}`;

/**
 * Beside the docks list: the label sheet of the docks it shows (those found by a search, else the
 * station's, else every dock).
 */
export function DockLabelsLink({ station, search, items, total }: RegisterView<Dock>) {
  if (total === 0) return null;
  const [href, text] =
    search && items.length === total
      ? [
          dockSheetUrl({ ids: items.map((d) => d.id) }),
          total === 1 ? 'Print labels for the dock found' : `Print labels for the ${total} docks found`,
        ]
      : station
        ? [dockSheetUrl({ station }), `Print labels for every dock at ${station}`]
        : [dockSheetUrl({}), 'Print labels for every dock'];
  return (
    <a className="button secondary" href={href} target="_blank" rel="noopener">
      {text}
    </a>
  );
}

export function Labels({ me, stations, initial }: { me: Me; stations: Station[]; initial: string[] }) {
  const [station, setStation] = useState(initial.length > 0 ? '' : (me.station ?? ''));
  const [chosen, setChosen] = useState<string[]>(initial.slice(0, MAX_CHOSEN));
  const list = useGet<{ items: Camera[]; total: number }>(
    station ? `/cameras?limit=500&station=${encodeURIComponent(station)}` : null,
  );
  const cameras = station ? (list.data?.items ?? []) : [];
  const toggle = (serial: string, on: boolean) =>
    setChosen((c) => (on ? [...c, serial].slice(0, MAX_CHOSEN) : c.filter((s) => s !== serial)));

  return (
    <section aria-labelledby="labels-h">
      <h2 id="labels-h">Label sheets</h2>
      <p className="muted">
        A camera’s label carries its QR code (what the stores desk scans) and its asset tag; a dock’s, its id
        as a QR code and its station. Open a sheet and print it from the browser at 100% scale: labels are 40
        mm wide.
      </p>
      <div className="inline-form setup-filter">
        <label>
          Station
          <select value={station} onChange={(e) => setStation(e.target.value)}>
            <option value="">Choose…</option>
            {stations.map((s) => (
              <option key={s.code} value={s.code}>
                {s.code} · {s.name}
              </option>
            ))}
          </select>
        </label>
        {station && (
          <a
            className="button secondary"
            href={`/api/v1/stations/${encodeURIComponent(station)}/labels.svg`}
            target="_blank"
            rel="noopener"
          >
            Open the sheet of every camera at {station}
          </a>
        )}
        <DockSheet station={station} />
      </div>
      <ProblemNotice problem={list.error} />
      <h3 id="camera-labels-h">Camera labels</h3>
      {station && list.data && cameras.length === 0 && (
        <p className="muted">No cameras registered at {station} yet.</p>
      )}
      {cameras.length > 0 && (
        <fieldset className="setup-label-choice">
          <legend>
            Cameras at {station}
            {list.data && list.data.total > cameras.length
              ? ` (first ${cameras.length} of ${list.data.total})`
              : ''}
          </legend>
          <div className="fw-buttons">
            <button
              type="button"
              className="secondary"
              onClick={() =>
                setChosen((c) => [...new Set([...c, ...cameras.map((x) => x.serial)])].slice(0, MAX_CHOSEN))
              }
            >
              Choose all
            </button>
            <button type="button" className="secondary" onClick={() => setChosen([])}>
              Choose none
            </button>
          </div>
          <div className="fw-checks">
            {cameras.map((c) => (
              <label key={c.serial}>
                <input
                  type="checkbox"
                  checked={chosen.includes(c.serial)}
                  onChange={(e) => toggle(c.serial, e.target.checked)}
                />{' '}
                {c.assetTag} <span className="muted">({c.serial})</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div className="setup-chosen" aria-live="polite">
        {chosen.length === 0 ? (
          <p className="muted">No cameras chosen.</p>
        ) : (
          <>
            <p>
              <a className="button" href={sheetUrl(chosen)} target="_blank" rel="noopener">
                Open the label sheet for {chosen.length} chosen camera{chosen.length === 1 ? '' : 's'}
              </a>
            </p>
            <img
              className="setup-sheet-preview"
              src={sheetUrl(chosen)}
              alt={`Label sheet preview: ${chosen.join(', ')}`}
            />
          </>
        )}
      </div>
    </section>
  );
}

/** The dock labels part: the sheet of the chosen station's docks, or of every dock. */
function DockSheet({ station }: { station: string }) {
  const docks = useGet<{ total: number }>(
    `/docks?limit=1${station ? `&station=${encodeURIComponent(station)}` : ''}`,
  );
  const total = docks.data?.total ?? null;
  const where = station ? ` at ${station}` : '';
  if (total === null) return null;
  if (total === 0) return <p className="muted">No docks registered{where} yet.</p>;
  return (
    <a className="button secondary" href={dockSheetUrl({ station })} target="_blank" rel="noopener">
      Open the sheet of {total === 1 ? 'the dock' : `all ${total} docks`}
      {where}
    </a>
  );
}
