// The force-wide disclosure log (ICO guidance: date, recipient and reason of every disclosure), newest
// first: for reviewers, admins and auditors.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api.js';
import type { DisclosurePage } from '../../lib/review/types.js';
import type { Me } from '../../lib/types.js';
import { href } from '../../route.js';
import { ClipsNav, errText, when } from './common.js';
import { downloadHref, mayDisclose } from './Disclosures.js';

const PAGE = 50;

export function DisclosureLog({ me }: { me: Me }) {
  const [page, setPage] = useState<DisclosurePage | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<DisclosurePage>(`/disclosures?limit=${PAGE}&offset=${offset}`).then(
      (p) => {
        setPage(p);
        setError(null);
      },
      (err: unknown) => setError(errText(err, 'Could not load the disclosure log')),
    );
  }, [offset]);
  useEffect(load, [load]);

  return (
    <>
      <h1>Disclosure log</h1>
      <ClipsNav me={me} current="disclosures" />
      <p className="muted">
        Every export of a redacted clip outside the force: when, to whom, why, by whom, and the SHA-256 of the
        file that left.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {page && (
        <>
          <p className="muted" role="status">
            {page.total} disclosure{page.total === 1 ? '' : 's'}, newest first.
          </p>
          <table className="fw-stack disclosures">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Clip</th>
                <th scope="col">Recipient</th>
                <th scope="col">Reason</th>
                <th scope="col">By</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((d) => (
                <tr key={d.id} data-disclosure={d.id}>
                  <th scope="row">{when(d.at)}</th>
                  <td data-label="Clip">
                    <a href={href('clips', d.clip)}>
                      {d.camera}, {when(d.recordedFrom)}
                    </a>{' '}
                    <span className="fw-small">rev. {d.revision}</span>
                  </td>
                  <td data-label="Recipient">{d.recipient}</td>
                  <td data-label="Reason">{d.reason}</td>
                  <td data-label="By">{d.by}</td>
                  <td data-label="SHA-256">
                    <code className="hash">{d.sha256}</code>
                    {mayDisclose(me) && (
                      <>
                        {' '}
                        <a
                          href={downloadHref(d)}
                          download
                          aria-label={`Download the copy disclosed to ${d.recipient}`}
                        >
                          Download
                        </a>
                      </>
                    )}
                  </td>
                </tr>
              ))}
              {page.items.length === 0 && (
                <tr>
                  <td colSpan={6}>Nothing disclosed yet.</td>
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
                onClick={() => setOffset(offset - PAGE)}
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
