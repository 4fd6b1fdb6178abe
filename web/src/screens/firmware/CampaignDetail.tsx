// One campaign as it runs: its status and why it paused, progress over all and wave by wave
// (counts by state), why devices wait, which failed and why, and its devices. Pushed live over
// `firmware:campaign` (the full detail, up to twice a second); fetched again after a reconnect.
import { useEffect, useMemo, useState } from 'react';
import { countsLine, successRate, tally, waveTitle } from '../../lib/firmware/progress.js';
import { groupReasons } from '../../lib/firmware/reasons.js';
import type { CampaignDetail as Detail } from '../../lib/firmware/types.js';
import { describeRange } from '../../lib/firmware/versions.js';
import type { Me } from '../../lib/types.js';
import { useLive } from '../../live.js';
import { href } from '../../route.js';
import { CampaignActions } from './CampaignActions.js';
import { CampaignDevices } from './CampaignDevices.js';
import { CampaignBadge, OutcomeNotice, ProblemNotice, useResource, when, type Outcome } from './common.js';
import { ProgressBar, StateCounts } from './Progress.js';

const devices = (n: number) => `${n} device${n === 1 ? '' : 's'}`;

export function CampaignDetail({ id, me }: { id: string; me: Me }) {
  const fetched = useResource<Detail>(`/campaigns/${encodeURIComponent(id)}`);
  const { reload } = fetched;
  const live = useLive((s) => s.campaigns.get(id));
  const connection = useLive((s) => s.connection);
  const [outcome, setOutcome] = useState<Outcome>(null);
  useEffect(() => {
    if (connection === 'live') reload();
  }, [connection, reload]);
  // What was pushed after the fetch began is newer than what it brought.
  const c = live && live.seq > fetched.pushSeq ? live.detail : (fetched.data ?? live?.detail ?? null);

  const done = (o: Outcome) => {
    setOutcome(o);
    reload();
  };

  if (!c)
    return (
      <>
        <p>
          <a href={href('firmware', 'campaigns')}>← Campaigns</a>
        </p>
        {fetched.error ? <ProblemNotice problem={fetched.error} /> : <p>Loading…</p>}
      </>
    );
  return <Shown c={c} me={me} outcome={outcome} onDone={done} version={live?.seq ?? 0} />;
}

function Shown({
  c,
  me,
  outcome,
  onDone,
  version,
}: {
  c: Detail;
  me: Me;
  outcome: Outcome;
  onDone: (o: Outcome) => void;
  version: number;
}) {
  const t = tally(c.counts, c.total);
  const waiting = useMemo(() => groupReasons(c.waiting), [c.waiting]);
  const failures = useMemo(() => groupReasons(c.failures), [c.failures]);
  const canary = (c.canarySize ?? 1) > 0;
  const rate = successRate(c.counts);
  return (
    <section aria-labelledby="campaign-h" data-campaign-status={c.status}>
      <p>
        <a href={href('firmware', 'campaigns')}>← Campaigns</a>
      </p>
      <h2 id="campaign-h">
        {c.name} <CampaignBadge status={c.status} />
      </h2>
      <p>
        {c.total} {c.kind}
        {c.total === 1 ? '' : 's'} of model {c.model} → <strong>{c.version}</strong>, from{' '}
        {describeRange(c.fromRange)}
        {c.rollbackOf && (
          <>
            {' '}
            · rolls back <a href={href('firmware', 'campaigns', c.rollbackOf)}>an earlier campaign</a>
          </>
        )}
      </p>
      <p className="muted fw-small">
        Created by {c.createdBy} {when(c.createdAt)} ·{' '}
        {c.approvedBy ? `approved by ${c.approvedBy}` : 'not approved yet'}
      </p>
      {c.status === 'paused' && (
        <p className="feedback tone-error fw-paused" data-testid="paused-reason">
          Paused: {c.pausedReason ?? 'no reason given'}
        </p>
      )}
      <OutcomeNotice outcome={outcome} />
      <CampaignActions c={c} me={me} onDone={onDone} />

      <h3 id="overall-h">Progress</h3>
      <ProgressBar counts={c.counts} total={c.total} label={`Progress of ${c.name}`} />
      <p role="status" aria-live="polite" aria-atomic="true" data-testid="overall">
        {t.finished} of {t.total} finished ({t.percentFinished}%): {countsLine(c.counts)}
        {rate !== null && `. Success rate ${rate}%`}
      </p>
      <StateCounts counts={c.counts} testId="overall-states" />

      <h3>Waves</h3>
      <ol className="fw-waves" aria-label="Waves">
        {c.waves.map((w) => (
          <li
            key={w.index}
            className={`card fw-wave fw-wave-${w.status}`}
            data-wave={w.index}
            data-wave-status={w.status}
            aria-current={w.index === c.currentWave && c.status !== 'completed' ? 'step' : undefined}
          >
            <h4>{waveTitle(w, c.waves.length, canary)}</h4>
            <ProgressBar counts={w.counts} total={w.size} label={`Progress of wave ${w.index}`} />
            <StateCounts counts={w.counts} />
          </li>
        ))}
      </ol>

      <div className="cards">
        <section className="card" aria-labelledby="waiting-h">
          <h3 id="waiting-h">Why devices wait</h3>
          {waiting.length === 0 ? (
            <p>No device is waiting.</p>
          ) : (
            <ul className="fw-reasons" data-testid="waiting">
              {waiting.map((g) => (
                <li key={g.reason}>
                  <strong>{devices(g.count)}</strong>: {g.reason}
                  {g.examples.length > 1 && <span className="muted"> (e.g. {g.examples.join('; ')})</span>}
                </li>
              ))}
            </ul>
          )}
          <p className="muted fw-small">
            A waiting device is not a failure: it is sent the update as soon as it is eligible.
          </p>
        </section>
        <section className="card" aria-labelledby="failures-h">
          <h3 id="failures-h">Failures</h3>
          {failures.length === 0 ? (
            <p>No device has failed.</p>
          ) : (
            <ul className="fw-reasons" data-testid="failure-reasons">
              {failures.map((g) => (
                <li key={g.reason}>
                  <strong>{devices(g.count)}</strong>: {g.reason}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {c.failures.length > 0 && (
        <>
          <h3 id="failed-h">Latest failures</h3>
          <div className="table-scroll fw-tall" tabIndex={0} role="region" aria-labelledby="failed-h">
            <table className="fw-stack" data-testid="failures">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">Why</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {c.failures.map((f) => (
                  <tr key={`${f.device}|${f.at}`}>
                    <th scope="row">{f.device}</th>
                    <td data-label="Why">{f.reason}</td>
                    <td data-label="When" className="fw-small">
                      {when(f.at)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <CampaignDevices id={c.id} waves={c.waves.length} version={version} />

      <details className="fw-settings">
        <summary>Settings</summary>
        <dl>
          <dt>Stations</dt>
          <dd>{c.stations?.length ? c.stations.join(', ') : 'every station'}</dd>
          <dt>Devices</dt>
          <dd>{c.devices?.length ? `${c.devices.length} listed` : 'every device that matches'}</dd>
          <dt>Waves</dt>
          <dd>
            canary {c.canarySize ?? '—'}, then {c.groups?.map((g) => `${g}%`).join(', ') ?? '—'}
            {c.approveEachWave ? '; a person approves each wave' : ''}
          </dd>
          <dt>Success threshold</dt>
          <dd>{c.successThreshold ?? '—'}%</dd>
          <dt>Error threshold</dt>
          <dd>
            {[
              c.errorThreshold?.count != null && `${c.errorThreshold.count} devices`,
              c.errorThreshold?.percent != null && `${c.errorThreshold.percent}%`,
            ]
              .filter(Boolean)
              .join(' or ') || '—'}
          </dd>
          <dt>Per device</dt>
          <dd>
            battery ≥ {c.minBattery ?? '—'}% or charging; {c.stepTimeoutS ?? '—'} s per step;{' '}
            {c.maxRetries ?? '—'} retries
          </dd>
        </dl>
      </details>
    </section>
  );
}
