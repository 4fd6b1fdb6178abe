import { useEffect, useMemo, useState } from 'react';
import { api } from '../api.js';
import type { Me, OfficerReadiness, Rag, ReadinessBoard, Station } from '../lib/types.js';
import { dismissAlert, useLive, watchReadiness } from '../live.js';

const RAG_WORD: Record<Rag, string> = { green: 'Ready', amber: 'At risk', red: 'Not ready' };

function OfficerTable({ officers, empty }: { officers: OfficerReadiness[]; empty: string }) {
  return (
    <table className="readiness">
      <thead>
        <tr>
          <th scope="col">State</th>
          <th scope="col">Officer</th>
          <th scope="col">Camera</th>
          <th scope="col">Battery</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {officers.map((o) => (
          <tr
            key={o.officer}
            data-officer={o.officer}
            data-rag={o.rag}
            data-in-scope={o.inScope}
            data-camera-health={o.cameraHealth ?? ''}
          >
            <td data-label="State">
              <span className={`badge rag-${o.rag}`}>{RAG_WORD[o.rag]}</span>
            </td>
            <th scope="row">
              {o.name} <span className="muted">{o.officer}</span>
            </th>
            <td data-label="Camera">{o.camera ?? '—'}</td>
            <td data-label="Battery">
              {o.battery == null ? '—' : `${Math.round(o.battery)}%`}
              {o.batteryMinutesLeft != null && <span className="muted"> · ~{o.batteryMinutesLeft} min</span>}
            </td>
            <td data-label="Why" data-field="why">
              {o.reasons.length ? o.reasons.join('; ') : 'Working'}
            </td>
          </tr>
        ))}
        {officers.length === 0 && (
          <tr>
            <td colSpan={5}>{empty}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

type When = 'now' | 'next' | 'at';

const hhmm = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const day = (iso: string) =>
  new Date(iso).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' });
/** `<input type="datetime-local">`'s value for a moment, in local time. */
const localInput = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

/**
 * Where an admin or auditor (no home station) lands: a station with a shift on now, so the first
 * screen shows people (the first station alphabetically often had nobody on duty).
 */
async function stationOnShiftNow(stations: Station[]): Promise<string> {
  const now = new Date();
  const shifts = await api<Array<{ station: string }>>(
    `/shifts?from=${encodeURIComponent(now.toISOString())}&to=${encodeURIComponent(new Date(now.getTime() + 1000).toISOString())}`,
  ).catch(() => []);
  const on = new Set(shifts.map((s) => s.station));
  return stations.find((s) => on.has(s.code))?.code ?? stations[0]?.code ?? '';
}

/**
 * What a duty inspector reads first, in ten seconds: who is not ready and why, who is at risk,
 * the station's docks that are offline and its cameras with faults waiting.
 */
function Attention({ board, station }: { board: ReadinessBoard; station: string }) {
  const fleet = useLive((s) => s.fleet);
  const { docksOffline, faults } = useMemo(() => {
    const docksOffline: string[] = [];
    const faults: string[] = [];
    for (const d of fleet.devices.values()) {
      if (d.station !== station) continue;
      // A dock not heard from (never, or not since it went away) cannot issue or offload.
      if (d.kind === 'dock' && d.online !== true) docksOffline.push(d.id);
      if (d.kind === 'camera' && (d.status === 'faulty' || d.health === 'fault')) faults.push(d.id);
    }
    return { docksOffline: docksOffline.sort(), faults: faults.sort() };
  }, [fleet, station]);
  const red = board.officers.filter((o) => o.rag === 'red');
  const amber = board.officers.filter((o) => o.rag === 'amber');
  const list = (ids: string[]) =>
    ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
  return (
    <section className="attention" aria-labelledby="attention-h" data-testid="attention">
      <h2 id="attention-h">Needs attention</h2>
      <ul>
        <li className={red.length ? 'att-red' : 'att-ok'} data-testid="att-red">
          <strong>{red.length} not ready</strong>
          {red.length > 0 && (
            <ul>
              {red.slice(0, 8).map((o) => (
                <li key={o.officer}>
                  {o.name} ({o.officer}): {o.reasons.join('; ')}
                </li>
              ))}
              {red.length > 8 && <li>and {red.length - 8} more below</li>}
            </ul>
          )}
        </li>
        <li className={amber.length ? 'att-amber' : 'att-ok'} data-testid="att-amber">
          <strong>{amber.length} at risk</strong>
          {amber.length > 0 &&
            `: ${amber
              .slice(0, 3)
              .map((o) => o.name)
              .join(', ')}${amber.length > 3 ? '…' : ''}`}
        </li>
        <li className={docksOffline.length ? 'att-red' : 'att-ok'} data-testid="att-docks">
          <strong>
            {docksOffline.length} dock{docksOffline.length === 1 ? '' : 's'} offline
          </strong>
          {docksOffline.length > 0 && `: ${list(docksOffline)}`}
        </li>
        <li className={faults.length ? 'att-amber' : 'att-ok'} data-testid="att-faults">
          <strong>
            {faults.length} camera{faults.length === 1 ? '' : 's'} with a fault waiting
          </strong>
          {faults.length > 0 && `: ${list(faults)}`}
        </li>
      </ul>
    </section>
  );
}

export function Readiness({ me }: { me: Me }) {
  const [stations, setStations] = useState<Station[]>([]);
  const [station, setStation] = useState<string>(me.station ?? '');
  const [when, setWhen] = useState<When>('now');
  const [at, setAt] = useState(() => localInput(new Date(Date.now() + 8 * 3_600_000)));
  // The board read for another moment than now, with the request it answers (a stale answer is not shown).
  const [other, setOther] = useState<{ query: string; board: ReadinessBoard | null; error: string | null }>({
    query: '',
    board: null,
    error: null,
  });
  const liveBoard = useLive((s) => s.board);
  const boardError = useLive((s) => s.boardError);
  const alerts = useLive((s) => s.alerts);

  useEffect(() => {
    if (me.station) return;
    void api<Station[]>('/stations').then(async (list) => {
      setStations(list);
      const landing = await stationOnShiftNow(list);
      setStation((s) => s || landing);
    });
  }, [me.station]);

  // Now: the live board. Another moment: read once when chosen, and again every half minute.
  useEffect(() => {
    if (station) watchReadiness(station);
  }, [station]);
  const chosen = new Date(at);
  const query =
    !station || when === 'now' || (when === 'at' && Number.isNaN(chosen.getTime()))
      ? ''
      : `/stations/${encodeURIComponent(station)}/readiness?${when === 'next' ? 'shift=next' : `at=${encodeURIComponent(chosen.toISOString())}`}`;
  useEffect(() => {
    if (!query) return;
    let live = true;
    const read = () =>
      api<ReadinessBoard>(query).then(
        (board) => live && setOther({ query, board, error: null }),
        (e: unknown) =>
          live && setOther({ query, board: null, error: e instanceof Error ? e.message : String(e) }),
      );
    void read();
    const timer = setInterval(() => void read(), 30_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [query]);

  const board = when === 'now' ? liveBoard : other.query === query ? other.board : null;
  const error = when === 'now' ? boardError : other.query === query ? other.error : null;
  const shiftWords = !board
    ? ''
    : board.shift
      ? `Team ${board.shift.team}, ${day(board.shift.start)} ${hhmm(board.shift.start)}–${hhmm(board.shift.end)}.`
      : when === 'next'
        ? 'No shift starts at this station in the next 7 days.'
        : when === 'at'
          ? `No shift on duty at ${day(board.at)} ${hhmm(board.at)}.`
          : 'No shift on duty now.';

  return (
    <>
      <h1>Shift readiness{station ? ` at ${station}` : ''}</h1>
      <form
        className="readiness-when"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Which station and shift"
      >
        {!me.station && (
          <label>
            Station
            <select value={station} onChange={(e) => setStation(e.target.value)}>
              {stations.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.code} · {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <fieldset className="segmented">
          <legend>Shift</legend>
          {(
            [
              ['now', 'Now'],
              ['next', 'Next shift'],
              ['at', 'Pick a time'],
            ] as const
          ).map(([value, text]) => (
            <label key={value}>
              <input
                type="radio"
                name="when"
                value={value}
                checked={when === value}
                onChange={() => setWhen(value)}
              />
              {text}
            </label>
          ))}
        </fieldset>
        {when === 'at' && (
          <label>
            Date and time
            <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
          </label>
        )}
      </form>
      {when === 'now' && (
        <div className="alerts" role="alert" aria-live="assertive">
          {alerts.map((a) => (
            <div key={`${a.officer}-${a.at}`} className={`alert rag-${a.to}`}>
              <strong>
                {a.name} ({a.officer}) is now {RAG_WORD[a.to].toLowerCase()}
              </strong>
              : {a.reasons.join('; ')}
              <button
                type="button"
                className="secondary"
                onClick={() => dismissAlert(a)}
                aria-label={`Dismiss alert for ${a.name}`}
              >
                Dismiss
              </button>
            </div>
          ))}
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          Cannot show readiness: {error}
        </p>
      )}
      {board && (
        <>
          <p className="headline" data-testid="headline">
            <strong>
              {board.working} of {board.onDuty}
            </strong>{' '}
            {board.scoped ? 'officers in the rollout scope' : 'officers'} on shift have a working camera
          </p>
          <p className="muted" data-testid="shift">
            {shiftWords}{' '}
            {when === 'now'
              ? `Updated ${new Date(board.at).toLocaleTimeString()}.`
              : 'Cameras as they are now: each must last to the end of that shift.'}
          </p>
          <Attention board={board} station={station} />
          <OfficerTable
            officers={board.officers}
            empty={
              board.scoped
                ? 'Nobody in the rollout scope is on duty at this station then.'
                : when === 'now'
                  ? 'Nobody is on duty at this station now.'
                  : 'Nobody is on duty at this station then.'
            }
          />
          {board.outOfScope.length > 0 && (
            <details className="out-of-scope" data-testid="out-of-scope">
              <summary>Not in rollout scope ({board.outOfScope.length})</summary>
              <p className="muted">
                On duty but not eligible under a rollout phase that has started: not counted above.
              </p>
              <OfficerTable officers={board.outOfScope} empty="" />
            </details>
          )}
        </>
      )}
    </>
  );
}
