// The campaigns: each with its target, status, why it paused, and its progress, newest first.
// Updated live from `firmware:campaign` pushes (each carries the campaign's summary).
import { useEffect, useMemo } from 'react';
import { countsLine } from '../../lib/firmware/progress.js';
import { itemsOf, type CampaignSummary, type Page } from '../../lib/firmware/types.js';
import { useLive } from '../../live.js';
import { href } from '../../route.js';
import { CampaignBadge, ProblemNotice, useResource, when } from './common.js';
import { ProgressBar } from './Progress.js';

export function Campaigns({ manage }: { manage: boolean }) {
  const { data, error, pushSeq, reload } = useResource<CampaignSummary[] | Page<CampaignSummary>>(
    '/campaigns?limit=200',
  );
  const pushed = useLive((s) => s.campaigns);
  const connection = useLive((s) => s.connection);
  // Pushes missed while the connection was down: fetch again when it is back.
  useEffect(() => {
    if (connection === 'live') reload();
  }, [connection, reload]);

  const list = useMemo(() => {
    const byId = new Map((data ? itemsOf(data) : []).map((c) => [c.id, c]));
    for (const [id, live] of pushed) {
      if (live.seq > pushSeq || !byId.has(id)) byId.set(id, { ...byId.get(id), ...live.detail });
    }
    return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }, [data, pushed, pushSeq]);

  return (
    <section aria-labelledby="campaigns-h">
      <div className="fw-bar">
        <h2 id="campaigns-h">Campaigns</h2>
        {manage && (
          <a className="button" href={href('firmware', 'campaigns', 'new')}>
            New campaign
          </a>
        )}
      </div>
      <ProblemNotice problem={error} />
      {data && list.length === 0 && <p>No campaign yet.</p>}
      <ul className="fw-campaigns" aria-label="Campaigns">
        {list.map((c) => (
          <li key={c.id} className="card" data-campaign={c.name}>
            <h3>
              <a href={href('firmware', 'campaigns', c.id)}>{c.name}</a>
            </h3>
            <p>
              <CampaignBadge status={c.status} /> {c.model} ({c.kind}) → <strong>{c.version}</strong>
              {c.rollbackOf && <span className="muted"> · a rollback</span>}
            </p>
            {c.status === 'paused' && c.pausedReason && <p className="fw-paused">Paused: {c.pausedReason}</p>}
            <ProgressBar counts={c.counts} total={c.total} label={`Progress of ${c.name}`} />
            <p className="muted">
              {c.total} device{c.total === 1 ? '' : 's'}: {countsLine(c.counts)}
            </p>
            <p className="muted fw-small">
              Created by {c.createdBy} {when(c.createdAt)}
              {c.approvedBy ? ` · approved by ${c.approvedBy}` : ''}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
