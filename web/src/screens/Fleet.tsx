import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import {
  countByStation,
  filterDevices,
  healthOf,
  NO_FILTER,
  reportedLost,
  type DeviceFilter,
  type ReportedLost,
  type StationCounts,
} from '../lib/devices.js';
import type { LiveDevice, Me } from '../lib/types.js';
import { resync, showRows, useLive } from '../live.js';
import { href } from '../route.js';

const STATUSES = ['in_stock', 'issued', 'faulty', 'in_repair', 'lost', 'retired'] as const;
const HEALTHS = ['ok', 'warning', 'fault', 'offline', 'unknown'] as const;
const label = (s: string) => s.replace('_', ' ');
const ROW = 44;
/** On a phone a row has a second line: the health badge and its reasons (issue 19). */
const PHONE_ROW = 64;
const PHONE = '(max-width: 700px)';

const phoneQuery = () => window.matchMedia(PHONE);
const onPhoneChange = (cb: () => void) => {
  const q = phoneQuery();
  q.addEventListener('change', cb);
  return () => q.removeEventListener('change', cb);
};
/** Whether the phone layout applies (the stylesheet's breakpoint for the device list). */
const useNarrow = () => useSyncExternalStore(onPhoneChange, () => phoneQuery().matches);

export function Fleet({ me }: { me: Me }) {
  const fleet = useLive((s) => s.fleet);
  const [filter, setFilter] = useState<DeviceFilter>(NO_FILTER);
  const deferred = useDeferredValue(filter);
  // Recomputed per diff batch (at most ~4 a second), not per device message.
  const all = useMemo(() => [...fleet.devices.values()], [fleet]);
  const counts = useMemo(() => countByStation(all), [all]);
  const lost = useMemo(() => reportedLost(all), [all]);
  const shown = useMemo(() => filterDevices(all, deferred), [all, deferred]);
  const stations = useMemo(
    () => [...new Set(all.map((d) => d.station).filter(Boolean))].sort() as string[],
    [all],
  );
  useEffect(resync, []);
  const set = (patch: Partial<DeviceFilter>) => setFilter((f) => ({ ...f, ...patch }));

  return (
    <>
      <h1>Fleet{me.station ? ` at ${me.station}` : ''}</h1>
      <LostBanner cameras={lost} />
      <section aria-labelledby="counts-h">
        <h2 id="counts-h">Cameras by station</h2>
        {/* Focusable, so a keyboard can scroll it on a narrow screen (WCAG 2.1.1). */}
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="counts-h">
          <table className="counts">
            <thead>
              <tr>
                <th scope="col">Station</th>
                <th scope="col">Total</th>
                {STATUSES.map((s) => (
                  <th scope="col" key={s}>
                    {label(s)}
                  </th>
                ))}
                {HEALTHS.map((h) => (
                  <th scope="col" key={h} className={`h-${h}`}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {counts.stations.map((c) => (
                <CountsRow key={c.station} c={c} />
              ))}
              {counts.inTransit && <CountsRow c={counts.inTransit} transit />}
              {counts.stations.length === 0 && !counts.inTransit && (
                <tr>
                  <td colSpan={2 + STATUSES.length + HEALTHS.length}>No cameras yet.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
      {counts.inTransit && (
        <p className="muted">
          Cameras in transit count at neither station until the receiving station books them in.
        </p>
      )}
      <section aria-labelledby="list-h">
        <h2 id="list-h">Devices</h2>
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <label>
            Search serial or officer
            <input type="search" value={filter.text} onChange={(e) => set({ text: e.target.value })} />
          </label>
          <label>
            Kind
            <select
              value={filter.kind}
              onChange={(e) => set({ kind: e.target.value as DeviceFilter['kind'] })}
            >
              <option value="all">All</option>
              <option value="camera">Cameras</option>
              <option value="dock">Docks</option>
            </select>
          </label>
          {!me.station && (
            <label>
              Station
              <select value={filter.station} onChange={(e) => set({ station: e.target.value })}>
                <option value="">All</option>
                {stations.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
          )}
          <label>
            Status
            <select value={filter.status} onChange={(e) => set({ status: e.target.value })}>
              <option value="">Any</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {label(s)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Health
            <select value={filter.health} onChange={(e) => set({ health: e.target.value })}>
              <option value="">Any</option>
              {HEALTHS.map((h) => (
                <option key={h}>{h}</option>
              ))}
            </select>
          </label>
        </form>
        <p role="status" aria-live="polite" className="muted" data-testid="device-count">
          {shown.length} of {all.length} devices
        </p>
        <DeviceList devices={shown} />
      </section>
    </>
  );
}

function CountsRow({ c, transit = false }: { c: StationCounts; transit?: boolean }) {
  return (
    <tr className={transit ? 'counts-transit' : undefined} data-station={transit ? undefined : c.station}>
      <th scope="row">{transit ? 'In transit' : c.station}</th>
      <td>{c.total}</td>
      {STATUSES.map((s) => (
        <td key={s}>{c.byStatus[s] ?? 0}</td>
      ))}
      {HEALTHS.map((h) => (
        <td key={h}>{c.byHealth[h] ?? 0}</td>
      ))}
    </tr>
  );
}

/**
 * Cameras reported lost or stolen that report in (issue 19: one was online and showed "ok", and
 * nobody was told). Their rows are shown rows, so the server sends their reasons (where they are).
 */
function LostBanner({ cameras }: { cameras: ReportedLost[] }) {
  const keys = cameras.map((c) => `camera:${c.id}`).join(',');
  useEffect(() => showRows('fleet-lost', keys ? keys.split(',') : []), [keys]);
  useEffect(() => () => showRows('fleet-lost', []), []);
  if (cameras.length === 0) return null;
  return (
    <div role="alert" className="lost-alert" data-testid="lost-alert">
      <p className="lost-alert-title">
        <span aria-hidden="true">⚠ </span>
        {cameras.length === 1
          ? 'A camera reported lost or stolen is reporting in'
          : `${cameras.length} cameras reported lost or stolen are reporting in`}
      </p>
      <ul>
        {cameras.map((c) => (
          <li key={c.id} data-camera={c.id}>
            {c.kind ?? 'Lost or stolen'} camera <a href={href('fleet', 'camera', c.id)}>{c.id}</a> online
            {c.where ? ` ${c.where}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DeviceList({ devices }: { devices: LiveDevice[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const narrow = useNarrow();
  const v = useVirtualizer({
    count: devices.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => (narrow ? PHONE_ROW : ROW),
    // Rows are measured: on a phone a long reason wraps onto more lines.
    getItemKey: (i) => {
      const d = devices[i];
      return d ? `${d.kind}:${d.id}` : i;
    },
    overscan: 10,
  });
  useEffect(() => v.measure(), [narrow, v]);
  const items = v.getVirtualItems();
  // Only the rows on screen get live readings (src/realtime/views.ts): say which they are.
  const keys = items.map((i) => devices[i.index]).map((d) => (d ? `${d.kind}:${d.id}` : ''));
  const shownKey = keys.join(',');
  useEffect(() => showRows('fleet', shownKey ? shownKey.split(',') : []), [shownKey]);
  useEffect(() => () => showRows('fleet', []), []);
  return (
    <div role="table" aria-label="Devices" aria-rowcount={devices.length + 1} className="devices">
      <div role="rowgroup">
        <div role="row" className="drow dhead" aria-rowindex={1}>
          {['Serial', 'Station', 'Status', 'Holder', 'Health', 'Battery', 'Storage', 'Firmware'].map((h) => (
            <span role="columnheader" key={h}>
              {h}
            </span>
          ))}
        </div>
      </div>
      <div ref={scroller} className="dscroll" role="rowgroup" tabIndex={0} aria-label="Device rows (scroll)">
        <div className="dspace" ref={(el) => el?.style.setProperty('height', `${v.getTotalSize()}px`)}>
          {items.map((item) => {
            const d = devices[item.index]!;
            return (
              <div
                role="row"
                aria-rowindex={item.index + 2}
                key={`${d.kind}:${d.id}`}
                className="drow"
                data-index={item.index}
                ref={(el) => {
                  if (!el) return;
                  el.style.setProperty('transform', `translateY(${item.start}px)`);
                  v.measureElement(el);
                }}
                data-device={d.id}
              >
                <span role="cell">
                  {d.kind === 'camera' ? <a href={href('fleet', 'camera', d.id)}>{d.id}</a> : `Dock ${d.id}`}
                </span>
                <span role="cell">{d.station ?? '—'}</span>
                <span role="cell">
                  {d.status ? label(d.status) : '—'}
                  {d.inTransit && <span className="tag transit">in transit</span>}
                </span>
                <span role="cell">{d.holder ?? '—'}</span>
                <span role="cell" className="dhealth">
                  <span className={`badge h-${healthOf(d)}`} title={d.reasons?.join('; ') || undefined}>
                    {healthOf(d)}
                  </span>
                  {/* Read aloud everywhere; seen on a phone, where there is no hover (issue 19). */}
                  {d.reasons && d.reasons.length > 0 && (
                    <span className="dreason" data-field="reasons">
                      {d.reasons.join('; ')}
                    </span>
                  )}
                </span>
                <span role="cell" data-field="battery">
                  {d.battery == null ? '—' : `${Math.round(d.battery)}%${d.charging ? ' ⚡' : ''}`}
                </span>
                <span role="cell">
                  {d.storage ? `${Math.round((d.storage.usedMb / d.storage.totalMb) * 100)}%` : '—'}
                </span>
                <span role="cell">{d.firmware ?? '—'}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
