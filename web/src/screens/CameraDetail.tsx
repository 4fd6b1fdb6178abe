import { useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import type { Camera } from '../lib/types.js';
import { showRows, useLive } from '../live.js';
import { href } from '../route.js';
import { ShiftChart, type Sample } from './Chart.js';

interface CameraEvent {
  ts?: string;
  at?: string;
  action?: string;
  type?: string;
  summary?: string;
  officer?: string | null;
}

/** The current shift's window, roughly: the last 10 hours up to now (shift-aware once rostered). */
const SHIFT_HOURS = 10;

export function CameraDetail({ serial }: { serial: string }) {
  const live = useLive((s) => s.fleet.devices.get(`camera:${serial}`));
  // This camera's readings come live while its page is open (src/realtime/views.ts).
  useEffect(() => {
    showRows('camera', [`camera:${serial}`]);
    return () => showRows('camera', []);
  }, [serial]);
  const totalMb = live?.storage?.totalMb;
  const [camera, setCamera] = useState<Camera | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [events, setEvents] = useState<CameraEvent[]>([]);
  const [samples, setSamples] = useState<Sample[] | null>(null);
  const [window] = useState(() => ({ from: new Date(Date.now() - SHIFT_HOURS * 3_600_000), to: new Date() }));

  useEffect(() => {
    api<Camera>(`/cameras/${encodeURIComponent(serial)}`).then(setCamera, (e: unknown) =>
      setError(e instanceof ApiError ? e.message : 'Could not load the camera'),
    );
    api<{ items: CameraEvent[] }>(`/cameras/${encodeURIComponent(serial)}/history?limit=10`).then(
      (r) => setEvents(r.items),
      () => setEvents([]),
    );
    api<{ samples: Array<{ t: string; battery?: number; storageUsedMb?: number }> }>(
      `/cameras/${encodeURIComponent(serial)}/telemetry?from=${window.from.toISOString()}&to=${window.to.toISOString()}`,
    ).then(
      (r) =>
        setSamples(
          r.samples.map((s) => ({
            t: s.t,
            ...(s.battery !== undefined && { battery: s.battery }),
            // As a share of capacity (history keeps used MB; capacity from live state, else 64 GB).
            ...(s.storageUsedMb !== undefined && {
              storagePercent: (s.storageUsedMb / (totalMb ?? 64_000)) * 100,
            }),
          })),
        ),
      () => setSamples([]),
    );
  }, [serial, window, totalMb]);

  return (
    <>
      <p>
        <a href={href('fleet')}>← Fleet</a>
      </p>
      <h1>Camera {serial}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="cards">
        <section className="card" aria-labelledby="reg-h">
          <h2 id="reg-h">Register</h2>
          <dl>
            <dt>Status</dt>
            <dd>{camera?.status.replace('_', ' ') ?? '…'}</dd>
            <dt>Holder</dt>
            <dd>{camera ? (camera.holder ?? 'nobody') : '…'}</dd>
            <dt>Station</dt>
            <dd>{camera?.station ?? '…'}</dd>
            <dt>Model / asset tag</dt>
            <dd>{camera ? `${camera.model} / ${camera.assetTag}` : '…'}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="live-h">
          <h2 id="live-h">Live</h2>
          <dl>
            <dt>Health</dt>
            <dd data-testid="detail-health">
              <span className={`badge h-${live?.health ?? 'unknown'}`}>{live?.health ?? 'unknown'}</span>{' '}
              {live?.reasons?.join('; ')}
            </dd>
            <dt>Battery</dt>
            <dd data-testid="detail-battery">
              {live?.battery == null
                ? '—'
                : `${Math.round(live.battery)}%${live.charging ? ' (charging)' : ''}`}
            </dd>
            <dt>Storage</dt>
            <dd>
              {live?.storage
                ? `${Math.round(live.storage.usedMb / 1024)} of ${Math.round(live.storage.totalMb / 1024)} GB`
                : '—'}
            </dd>
            <dt>Firmware</dt>
            <dd>{live?.firmware ?? '—'}</dd>
            <dt>Docked</dt>
            <dd>{live?.docked ? `${live.docked.dock} slot ${live.docked.slot}` : 'no'}</dd>
            <dt>Last seen</dt>
            <dd>{live?.lastSeen ? new Date(live.lastSeen).toLocaleTimeString() : '—'}</dd>
          </dl>
        </section>
      </div>
      <section aria-labelledby="chart-h">
        <h2 id="chart-h">Battery and storage this shift</h2>
        {samples === null ? (
          <p>Loading…</p>
        ) : samples.length === 0 ? (
          <p>No telemetry history for this shift.</p>
        ) : (
          <ShiftChart samples={samples} {...window} />
        )}
      </section>
      <section aria-labelledby="ev-h">
        <h2 id="ev-h">Recent events</h2>
        {events.length === 0 ? (
          <p>No events recorded.</p>
        ) : (
          <ul className="events">
            {events.map((e, i) => (
              <li key={i}>
                <time>{new Date(e.ts ?? e.at ?? '').toLocaleString()}</time>{' '}
                {(e.type ?? e.action ?? '').replace(/[-_]/g, ' ')}
                {e.officer ? ` · officer ${e.officer}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
