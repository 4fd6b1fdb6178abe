// The queue of clips, newest first: when and by which camera each was recorded, who held the
// camera, the station, its redaction status and whether it is flagged for mandatory review. Filter
// by status; each clip opens its page. Reviewers mark clips evidential here too (with a reason).
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api.js';
import { rendering } from '../../lib/review/frames.js';
import { CLIP_STATUSES, type Clip, type ClipPage, type ClipStatus } from '../../lib/review/types.js';
import type { Me } from '../../lib/types.js';
import { href } from '../../route.js';
import { ClipsNav, errText, isReviewer, RiskFlagText, StatusBadge, when } from './common.js';
import { EvidentialToggle } from './Evidential.js';

const PAGE = 50;
/** While a clip on screen is being redacted, the queue refreshes this often. */
const REFRESH_MS = 4000;

export function Queue({ me }: { me: Me }) {
  const [page, setPage] = useState<ClipPage | null>(null);
  const [offset, setOffset] = useState(0);
  const [status, setStatus] = useState<ClipStatus | ''>('');
  const [error, setError] = useState<string | null>(null);
  const reviewer = isReviewer(me);

  const load = useCallback(() => {
    const filter = status ? `&status=${status}` : '';
    api<ClipPage>(`/clips?limit=${PAGE}&offset=${offset}${filter}`).then(
      (p) => {
        setPage(p);
        setError(null);
      },
      (err: unknown) => setError(errText(err, 'Could not load clips')),
    );
  }, [offset, status]);
  useEffect(load, [load]);
  const busy = page?.items.some(rendering) ?? false;
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(load, REFRESH_MS);
    return () => clearInterval(t);
  }, [busy, load]);

  const changed = (c: Clip) =>
    setPage((p) => p && { ...p, items: p.items.map((x) => (x.id === c.id ? c : x)) });

  return (
    <>
      <h1>Clips</h1>
      <ClipsNav me={me} current="queue" />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="filters">
        <label>
          Status{' '}
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as ClipStatus | '');
              setOffset(0);
            }}
          >
            <option value="">All</option>
            {CLIP_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === 'redacted' ? 'redacted (awaiting review)' : s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {page && (
        <>
          <p className="muted" role="status">
            {page.total} clip{page.total === 1 ? '' : 's'}
            {status ? ` ${status}` : ''}, newest first.
            {reviewer
              ? ' Open a clip to review its redaction; mark it evidential when it is evidence in a case.'
              : ''}
          </p>
          <table className="clips fw-stack">
            <thead>
              <tr>
                <th scope="col">Recorded</th>
                <th scope="col">Camera</th>
                <th scope="col">Held by</th>
                <th scope="col">Station</th>
                <th scope="col">Redaction</th>
                <th scope="col">Risk</th>
                <th scope="col">Evidential</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((c) => (
                <tr key={c.id} data-clip={c.id} data-evidential={c.evidential} data-status={c.status}>
                  <th scope="row">
                    <a
                      href={href('clips', c.id)}
                      aria-label={`Clip recorded ${when(c.recordedFrom)} by ${c.camera}`}
                    >
                      {when(c.recordedFrom)}
                    </a>
                  </th>
                  <td data-label="Camera">{c.camera}</td>
                  <td data-label="Held by">{c.holder ?? '—'}</td>
                  <td data-label="Station">{c.station ?? '—'}</td>
                  <td data-label="Redaction">
                    <StatusBadge clip={c} />
                  </td>
                  <td data-label="Risk">
                    <RiskFlagText clip={c} />
                  </td>
                  <td data-label="Evidential">
                    {reviewer ? (
                      <EvidentialToggle clip={c} onChanged={changed} />
                    ) : c.evidential ? (
                      'Yes'
                    ) : (
                      'No'
                    )}
                    {c.evidentialMark && <span className="muted"> · {c.evidentialMark.reason}</span>}
                  </td>
                </tr>
              ))}
              {page.items.length === 0 && (
                <tr>
                  <td colSpan={7}>{status ? `No ${status} clips.` : 'No clips offloaded yet.'}</td>
                </tr>
              )}
            </tbody>
          </table>
          {page.total > PAGE && (
            <p>
              <button
                type="button"
                className="secondary"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                Newer
              </button>{' '}
              <button
                type="button"
                className="secondary"
                disabled={offset + PAGE >= page.total}
                onClick={() => setOffset(offset + PAGE)}
              >
                Older
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
