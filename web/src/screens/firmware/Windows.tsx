// Maintenance windows: when each station's devices may be updated, weekly, in the station's own
// time zone. A station without a window may be updated at any time. The engine checks the window
// at the moment of sending; a device outside it waits (and says so) rather than failing.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api } from '../../api.js';
import { fieldErrors } from '../../lib/firmware/problems.js';
import {
  DAYS,
  itemsOf,
  type Day,
  type MaintenanceWindow,
  type Page,
  type StationWindows,
} from '../../lib/firmware/types.js';
import { describeWindow, orderDays, windowProblem } from '../../lib/firmware/windows.js';
import type { Station } from '../../lib/types.js';
import { BASE, OutcomeNotice, problemOf, ProblemNotice, useResource, type Outcome } from './common.js';

const ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/London'];
  }
})();
const HERE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function Windows({ manage }: { manage: boolean }) {
  const windows = useResource<StationWindows[] | Page<StationWindows>>('/windows');
  const [stations, setStations] = useState<Station[] | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const { reload } = windows;
  useEffect(() => {
    void api<Station[]>('/stations').then(setStations, () => setStations([]));
  }, []);
  const byStation = useMemo(
    () => new Map((windows.data ? itemsOf(windows.data) : []).map((w) => [w.station, w])),
    [windows.data],
  );
  const codes = useMemo(
    () => [...new Set([...(stations ?? []).map((s) => s.code), ...byStation.keys()])].sort(),
    [stations, byStation],
  );

  const done = (o: Outcome) => {
    setOutcome(o);
    if (o?.ok) {
      setEditing(null);
      reload();
    }
  };

  return (
    <section aria-labelledby="windows-h">
      <h2 id="windows-h">Maintenance windows</h2>
      <p className="muted">
        Devices are updated only inside their station&apos;s window, in the station&apos;s time zone. No
        window: any time.
      </p>
      <OutcomeNotice outcome={outcome} />
      <ProblemNotice problem={windows.error} />
      <ul className="fw-windows" aria-label="Stations">
        {codes.map((code) => {
          const w = byStation.get(code);
          return (
            <li key={code} className="card" data-station={code}>
              <h3>{code}</h3>
              {editing === code ? (
                <WindowEditor station={code} current={w} onDone={done} onClose={() => setEditing(null)} />
              ) : (
                <>
                  {w && w.windows.length > 0 ? (
                    <>
                      <ul className="fw-window-list">
                        {w.windows.map((x, i) => (
                          <li key={i}>{describeWindow(x)}</li>
                        ))}
                      </ul>
                      <p className="muted fw-small">
                        {w.timeZone}
                        {w.updatedBy && ` · set by ${w.updatedBy}`}
                      </p>
                    </>
                  ) : (
                    <p>Any time (no window).</p>
                  )}
                  {manage && (
                    <div className="fw-buttons">
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Edit the window of ${code}`}
                        onClick={() => setEditing(code)}
                      >
                        {w ? 'Edit' : 'Set a window'}
                      </button>
                      {w && (
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Remove the window of ${code}`}
                          onClick={() =>
                            void api(`${BASE}/windows/${encodeURIComponent(code)}`, {
                              method: 'DELETE',
                            }).then(
                              () => done({ ok: true, text: `${code} may now be updated at any time` }),
                              (e: unknown) => done({ ok: false, problem: problemOf(e) }),
                            )
                          }
                        >
                          Remove
                        </button>
                      )}
                    </div>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const blank = (): MaintenanceWindow => ({
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '01:00',
  end: '05:00',
});

function WindowEditor({
  station,
  current,
  onDone,
  onClose,
}: {
  station: string;
  current: StationWindows | undefined;
  onDone: (o: Outcome) => void;
  onClose: () => void;
}) {
  const [timeZone, setTimeZone] = useState(current?.timeZone ?? HERE);
  const [rows, setRows] = useState<MaintenanceWindow[]>(
    current?.windows.length ? current.windows : [blank()],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const edit = (i: number, patch: Partial<MaintenanceWindow>) =>
    setRows((r) => r.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  const toggle = (i: number, d: Day, on: boolean) =>
    edit(i, { days: orderDays(on ? [...rows[i]!.days, d] : rows[i]!.days.filter((x) => x !== d)) });

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const mine: Record<string, string> = {};
    rows.forEach((w, i) => {
      const p = windowProblem(w);
      if (p) mine[`windows.${i}`] = `Window ${i + 1}: ${p}`;
    });
    setErrors(mine);
    if (Object.keys(mine).length) return;
    setBusy(true);
    try {
      await api(`${BASE}/windows/${encodeURIComponent(station)}`, {
        method: 'PUT',
        body: { timeZone, windows: rows },
      });
      onDone({ ok: true, text: `Saved the window of ${station}` });
    } catch (err) {
      const p = problemOf(err);
      setErrors(fieldErrors(p));
      onDone({ ok: false, problem: p });
    } finally {
      setBusy(false);
    }
  };

  const id = `win-${station}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <form onSubmit={(e) => void save(e)} aria-label={`Window of ${station}`} className="fw-window-form">
      <label>
        Time zone
        <select
          value={timeZone}
          onChange={(e) => setTimeZone(e.target.value)}
          aria-invalid={errors.timeZone ? true : undefined}
        >
          {(ZONES.includes(timeZone) ? ZONES : [timeZone, ...ZONES]).map((z) => (
            <option key={z}>{z}</option>
          ))}
        </select>
      </label>
      {errors.timeZone && <p className="error">{errors.timeZone}</p>}
      <p className="muted fw-hint">
        An end before the start ends the next day; the same time for both is the whole day.
      </p>
      {rows.map((w, i) => (
        <fieldset key={i} className="fw-window-row">
          <legend>
            Window {i + 1}: {describeWindow(w)}
          </legend>
          <div className="fw-checks" role="group" aria-label={`Days of window ${i + 1}`}>
            {DAYS.map((d) => (
              <label key={d} className="inline">
                <input
                  type="checkbox"
                  checked={w.days.includes(d)}
                  onChange={(e) => toggle(i, d, e.target.checked)}
                />
                {d}
              </label>
            ))}
          </div>
          <div className="fw-pair">
            <label htmlFor={`${id}-${i}-start`}>
              From
              <input
                id={`${id}-${i}-start`}
                type="time"
                value={w.start}
                required
                onChange={(e) => edit(i, { start: e.target.value })}
              />
            </label>
            <label htmlFor={`${id}-${i}-end`}>
              to
              <input
                id={`${id}-${i}-end`}
                type="time"
                value={w.end}
                required
                onChange={(e) => edit(i, { end: e.target.value })}
              />
            </label>
            {rows.length > 1 && (
              <button
                type="button"
                className="secondary"
                aria-label={`Remove window ${i + 1}`}
                onClick={() => setRows((r) => r.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            )}
          </div>
          {errors[`windows.${i}`] && <p className="error">{errors[`windows.${i}`]}</p>}
        </fieldset>
      ))}
      {errors.windows && <p className="error">{errors.windows}</p>}
      <div className="fw-buttons">
        <button type="button" className="secondary" onClick={() => setRows((r) => [...r, blank()])}>
          Add a window
        </button>
        <button type="submit" disabled={busy}>
          Save window
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
