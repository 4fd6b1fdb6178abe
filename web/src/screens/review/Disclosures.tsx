// The disclosure log of one clip (ICO guidance: date, recipient and reason of every disclosure), and
// disclosing its approved redacted copy to a named recipient. The export's SHA-256 is recorded and the
// download serves exactly that file; the original never leaves.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../api.js';
import type { Clip, Disclosure, DisclosurePage } from '../../lib/review/types.js';
import type { Me } from '../../lib/types.js';
import { href } from '../../route.js';
import { errText, when } from './common.js';

/** May disclose and download what was disclosed (the API's DISCLOSERS). */
export const mayDisclose = (me: Me) => me.role === 'reviewer' || me.role === 'admin';

export const downloadHref = (d: Disclosure) =>
  d.download
    ? d.download.startsWith('/api/')
      ? d.download
      : `/api/v1${d.download}`
    : `/api/v1/clips/${d.clip}/disclosures/${d.id}/file`;

export function DisclosureRecord({ d, me }: { d: Disclosure; me: Me }) {
  return (
    <dl className="disclosure-record" data-disclosure={d.id}>
      <dt>Date</dt>
      <dd>{when(d.at)}</dd>
      <dt>Recipient</dt>
      <dd>{d.recipient}</dd>
      <dt>Reason</dt>
      <dd>{d.reason}</dd>
      <dt>By</dt>
      <dd>{d.by}</dd>
      <dt>SHA-256</dt>
      <dd>
        <code className="hash">{d.sha256}</code>
      </dd>
      {mayDisclose(me) && (
        <>
          <dt>File</dt>
          <dd>
            <a href={downloadHref(d)} download>
              Download the disclosed copy
            </a>
          </dd>
        </>
      )}
    </dl>
  );
}

export function Disclosures({ clip, me }: { clip: Clip; me: Me }) {
  const [page, setPage] = useState<DisclosurePage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [recipient, setRecipient] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<Disclosure | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  const load = useCallback(() => {
    api<DisclosurePage>(`/clips/${clip.id}/disclosures?limit=100`).then(
      (p) => {
        setPage(p);
        setError(null);
      },
      (err: unknown) =>
        setError(
          err instanceof ApiError && err.problem.status === 404 && err.slug !== 'clip-not-found'
            ? 'This server does not keep a disclosure log yet.'
            : errText(err, 'Could not load the disclosures'),
        ),
    );
  }, [clip.id]);
  useEffect(load, [load]);

  const disclose = async () => {
    setBusy(true);
    setFormError(null);
    try {
      const d = await api<Disclosure>(`/clips/${clip.id}/disclosures`, {
        method: 'POST',
        body: { recipient: recipient.trim(), reason: reason.trim() },
      });
      setMade(d);
      setRecipient('');
      setReason('');
      load();
    } catch (err) {
      setFormError(errText(err, 'Could not disclose the clip'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="disclosures-h">
      <h2 id="disclosures-h">Disclosures</h2>
      {mayDisclose(me) && clip.status === 'approved' && (
        <form
          className="grid-form disclose"
          onSubmit={(e) => {
            e.preventDefault();
            void disclose();
          }}
        >
          <p className="fw-hint">
            Export the approved redacted copy to a named recipient. The date, recipient, reason and the
            file&rsquo;s SHA-256 go in the disclosure log; the original is never disclosed.
          </p>
          <label>
            Recipient
            <input
              value={recipient}
              onChange={(e) => setRecipient(e.target.value)}
              minLength={2}
              maxLength={200}
              required
              placeholder="e.g. Crown Prosecution Service, Leeds"
            />
          </label>
          <label>
            Reason
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              minLength={3}
              maxLength={1000}
              required
              rows={2}
              placeholder="e.g. evidence for case 4411"
            />
          </label>
          <p>
            <button type="submit" disabled={busy || recipient.trim().length < 2 || reason.trim().length < 3}>
              Disclose
            </button>
          </p>
          {formError && (
            <p className="error" role="alert">
              {formError}
            </p>
          )}
        </form>
      )}
      {mayDisclose(me) && clip.status !== 'approved' && (
        <p className="muted">Only an approved redaction can be disclosed.</p>
      )}
      {made && (
        <div className="okmsg disclosed" role="status">
          <p>
            <strong>Disclosed.</strong> Recorded in the disclosure log:
          </p>
          <DisclosureRecord d={made} me={me} />
        </div>
      )}
      {error && <p className={error.startsWith('This server') ? 'muted' : 'error'}>{error}</p>}
      {page && page.items.length === 0 && <p className="muted">Never disclosed.</p>}
      {page && page.items.length > 0 && (
        <table className="fw-stack disclosures">
          <thead>
            <tr>
              <th scope="col">Date</th>
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
          </tbody>
        </table>
      )}
      <p>
        <a href={href('clips', 'disclosures')}>The force&rsquo;s disclosure log</a>
      </p>
    </section>
  );
}
