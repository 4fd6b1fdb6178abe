import { useEffect, useState } from 'react';
import { api } from '../api.js';
import type { Me, OfficerReadiness, Rag, Station } from '../lib/types.js';
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
            <td>
              <span className={`badge rag-${o.rag}`}>{RAG_WORD[o.rag]}</span>
            </td>
            <th scope="row">
              {o.name} <span className="muted">{o.officer}</span>
            </th>
            <td>{o.camera ?? '—'}</td>
            <td>
              {o.battery == null ? '—' : `${Math.round(o.battery)}%`}
              {o.batteryMinutesLeft != null && <span className="muted"> · ~{o.batteryMinutesLeft} min</span>}
            </td>
            <td>{o.reasons.length ? o.reasons.join('; ') : 'Working'}</td>
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

export function Readiness({ me }: { me: Me }) {
  const [stations, setStations] = useState<Station[]>([]);
  const [station, setStation] = useState<string>(me.station ?? '');
  const board = useLive((s) => s.board);
  const boardError = useLive((s) => s.boardError);
  const alerts = useLive((s) => s.alerts);

  useEffect(() => {
    if (me.station) return;
    void api<Station[]>('/stations').then((list) => {
      setStations(list);
      setStation((s) => s || list[0]?.code || '');
    });
  }, [me.station]);

  useEffect(() => {
    if (station) watchReadiness(station);
  }, [station]);

  return (
    <>
      <h1>Shift readiness{station ? ` at ${station}` : ''}</h1>
      {!me.station && (
        <label className="inline">
          Station{' '}
          <select value={station} onChange={(e) => setStation(e.target.value)}>
            {stations.map((s) => (
              <option key={s.code} value={s.code}>
                {s.code} · {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
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
      {boardError && (
        <p className="error" role="alert">
          Cannot show readiness: {boardError}
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
          <p className="muted">
            {board.shift
              ? `Team ${board.shift.team}, ${new Date(board.shift.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}–${new Date(board.shift.end).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
              : 'No shift on duty now.'}{' '}
            Updated {new Date(board.at).toLocaleTimeString()}.
          </p>
          <OfficerTable
            officers={board.officers}
            empty={
              board.scoped
                ? 'Nobody in the rollout scope is on duty at this station now.'
                : 'Nobody is on duty at this station now.'
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
