// The devices of a campaign, a page at a time, filtered by state and wave: which ones wait and
// why, which failed, where each one is.
import { useState } from 'react';
import { STATE_LABEL } from '../../lib/firmware/progress.js';
import { UPDATE_STATES, type DeviceUpdate, type Page, type UpdateState } from '../../lib/firmware/types.js';
import { href } from '../../route.js';
import { ProblemNotice, useResource, useThrottled, when } from './common.js';

const PAGE = 50;

export function CampaignDevices({ id, waves, version }: { id: string; waves: number; version: number }) {
  const [state, setState] = useState<'' | UpdateState>('');
  const [wave, setWave] = useState('');
  const [offset, setOffset] = useState(0);
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  if (state) query.set('state', state);
  if (wave) query.set('wave', wave);
  // `version` changes with each live update of the campaign: the page is fetched again, at most
  // every few seconds (a campaign is pushed up to twice a second).
  const refresh = useThrottled(version, 3_000);
  const { data, error } = useResource<Page<DeviceUpdate>>(
    `/campaigns/${encodeURIComponent(id)}/devices?${query.toString()}`,
    refresh,
  );
  const total = data?.total ?? 0;
  return (
    <section aria-labelledby="devices-h">
      <h3 id="devices-h">Devices</h3>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter devices">
        <label>
          State
          <select
            value={state}
            onChange={(e) => {
              setState(e.target.value as '' | UpdateState);
              setOffset(0);
            }}
          >
            <option value="">Any</option>
            {UPDATE_STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Wave
          <select
            value={wave}
            onChange={(e) => {
              setWave(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">Any</option>
            {Array.from({ length: waves }, (_, i) => (
              <option key={i} value={String(i)}>
                {i}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ProblemNotice problem={error} />
      <div className="table-scroll fw-tall" tabIndex={0} role="region" aria-labelledby="devices-h">
        <table className="fw-stack" data-testid="campaign-devices">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Station</th>
              <th scope="col">Wave</th>
              <th scope="col">From</th>
              <th scope="col">State</th>
              <th scope="col">Why</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((d) => (
              <tr key={`${d.kind}:${d.device}`} data-device={d.device} data-state={d.state}>
                <th scope="row">
                  {d.kind === 'camera' ? (
                    <a href={href('fleet', 'camera', d.device)}>{d.device}</a>
                  ) : (
                    `Dock ${d.device}`
                  )}
                </th>
                <td data-label="Station">{d.station ?? '—'}</td>
                <td data-label="Wave">{d.wave}</td>
                <td data-label="From">{d.fromVersion ?? '—'}</td>
                <td data-label="State">
                  <span className={`badge fw-st fw-st-${d.state}`}>
                    {STATE_LABEL[d.state] ?? d.state}
                    {d.state === 'downloading' && d.progress != null && ` ${Math.round(d.progress)}%`}
                  </span>
                  {d.attempt > 1 && <span className="muted"> (try {d.attempt})</span>}
                </td>
                <td data-label="Why">{d.reason ?? '—'}</td>
                <td data-label="Updated" className="fw-small">
                  {when(d.updatedAt)}
                </td>
              </tr>
            ))}
            {data && data.items.length === 0 && (
              <tr>
                <td colSpan={7}>No device matches.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {total > PAGE && (
        <div className="fw-buttons fw-pager">
          <button
            type="button"
            className="secondary"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE))}
          >
            Previous
          </button>
          <span>
            {offset + 1}–{Math.min(offset + PAGE, total)} of {total}
          </span>
          <button
            type="button"
            className="secondary"
            disabled={offset + PAGE >= total}
            onClick={() => setOffset(offset + PAGE)}
          >
            Next
          </button>
        </div>
      )}
    </section>
  );
}
