// The stores' issue list (issue 17): the station's officers a started personal-issue rollout phase
// puts in scope who still have no camera of their own. Refreshed with the stock after every issue,
// so the clerk sees the list shrink as the wave is equipped.
import { useEffect, useState } from 'react';
import { api } from '../api.js';
import type { IssueList } from '../../../src/rollout/rollout.types.js';

export function StoresIssueList({ station, version }: { station: string; version: unknown }) {
  const [list, setList] = useState<IssueList | null>(null);
  useEffect(() => {
    if (!station) return;
    api<IssueList>(`/rollout/issue-list?station=${encodeURIComponent(station)}`).then(setList, () =>
      setList(null),
    );
  }, [station, version]);
  if (!list) return null;
  const { officers } = list;
  return (
    <section className="card" aria-labelledby="issue-list-h" data-testid="issue-list">
      <h2 id="issue-list-h">Still to equip ({officers.length})</h2>
      {officers.length === 0 ? (
        <p>Every officer the rollout puts in scope here has a personal camera.</p>
      ) : (
        <>
          <p className="muted">
            In scope of the rollout, no personal camera yet. Issue with the loan set to personal.
          </p>
          <ul className="issue-list">
            {officers.slice(0, 50).map((o) => (
              <li key={o.number}>
                <strong>{o.number}</strong> {o.name}
                <span className="muted">
                  {o.team ? ` · team ${o.team}` : ''} · {o.phaseName}
                </span>
              </li>
            ))}
          </ul>
          {officers.length > 50 && <p className="muted">and {officers.length - 50} more.</p>}
        </>
      )}
    </section>
  );
}
