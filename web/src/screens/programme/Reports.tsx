// The progress reports: generate a draft from today's data, preview it as the public would read it
// (in a sandboxed frame), download its PDF, and publish it: the HTML and PDF are then stored
// write-once and their SHA-256 hashes, shown here, are in the audit trail.
import { useState } from 'react';
import { canGenerateReports, canPublishReports, dayTime as when } from '../../lib/rollout/rules.js';
import { itemsOf, type ListOf, type ReportSummary } from '../../lib/rollout/types.js';
import type { Me } from '../../lib/types.js';
import { BASE, OutcomeNotice, ProblemNotice, send, useRollout, type Outcome } from './common.js';

const file = (id: string, ext: 'html' | 'pdf') => `/api/v1${BASE}/reports/${encodeURIComponent(id)}.${ext}`;

export function Reports({ me }: { me: Me }) {
  const { data, error, reload } = useRollout<ListOf<ReportSummary>>('/reports');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // Newest first; the preview shows the chosen one, else the newest.
  const reports = itemsOf(data)
    .slice()
    .sort((a, b) => b.generatedAt.localeCompare(a.generatedAt));
  // A just-generated report shows once the list has it, never another in its place meanwhile.
  const report = chosen ? reports.find((r) => r.id === chosen) : reports[0];
  // A regenerated draft has the same id: a new frame source makes the browser fetch it again.
  const [nonce, setNonce] = useState(0);

  const generate = async () => {
    setBusy(true);
    const r = await send<ReportSummary>('/reports', 'POST');
    setBusy(false);
    if (r.ok) {
      setChosen(r.data.id);
      setNonce((n) => n + 1);
      setOutcome({ ok: true, text: 'Draft generated from today’s data: preview it below.' });
      reload();
    } else setOutcome({ ok: false, problem: r.problem });
  };

  const publish = async (id: string) => {
    setBusy(true);
    const r = await send<ReportSummary>(`/reports/${encodeURIComponent(id)}/publish`, 'POST');
    setBusy(false);
    setConfirming(false);
    if (r.ok) {
      setChosen(id);
      // The frame now shows the stored, published version.
      setNonce((n) => n + 1);
      setOutcome({
        ok: true,
        text: 'Published: the HTML and PDF are stored write-once; their hashes are audited.',
      });
      reload();
    } else setOutcome({ ok: false, problem: r.problem });
  };

  return (
    <>
      <div className="fw-bar">
        <h2>Progress reports</h2>
        {canGenerateReports(me.role) && (
          <button type="button" onClick={() => void generate()} disabled={busy}>
            Generate draft
          </button>
        )}
      </div>
      <ProblemNotice problem={error} />
      <OutcomeNotice outcome={outcome} />
      {data && reports.length === 0 && <p>No report yet. A draft is also made each month.</p>}
      {reports.length > 0 && (
        <div className="table-scroll">
          <table className="ro-stack" data-testid="reports">
            <thead>
              <tr>
                <th scope="col">Generated</th>
                <th scope="col">Status</th>
                <th scope="col">Published</th>
                <th scope="col">Open</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr
                  key={r.id}
                  data-report={r.id}
                  data-status={r.status}
                  aria-current={r === report ? 'true' : undefined}
                >
                  <th scope="row">
                    {when(r.generatedAt)}
                    {r.month ? ` (monthly, ${r.month})` : ''}
                  </th>
                  <td data-label="Status">
                    <span className={`badge ro-report-${r.status}`}>{r.status}</span>
                  </td>
                  <td data-label="Published">
                    {r.publication
                      ? `${when(r.publication.publishedAt)} by ${r.publication.publishedBy}`
                      : '—'}
                  </td>
                  <td data-label="Open">
                    <button type="button" aria-pressed={r === report} onClick={() => setChosen(r.id)}>
                      Preview
                      <span className="visually-hidden"> the report of {when(r.generatedAt)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report && (
        <section
          aria-labelledby="preview-h"
          className="ro-report"
          data-testid="report-preview"
          data-report={report.id}
          data-status={report.status}
        >
          <h3 id="preview-h">
            {report.status === 'published' ? 'Published report' : 'Draft report'} of{' '}
            {when(report.generatedAt)}
          </h3>
          {report.publication && (
            <dl className="ro-hashes" data-testid="hashes">
              <dt>HTML SHA-256</dt>
              <dd>
                <code>{report.publication.sha256Html}</code>
              </dd>
              <dt>PDF SHA-256</dt>
              <dd>
                <code>{report.publication.sha256Pdf}</code>
              </dd>
            </dl>
          )}
          <div className="fw-buttons">
            <a className="button secondary" href={file(report.id, 'pdf')} download>
              Download PDF
            </a>
            <a href={file(report.id, 'html')} target="_blank" rel="noopener">
              Open the HTML in a new tab
            </a>
            {canPublishReports(me.role) && report.status === 'draft' && !confirming && (
              <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
                Publish…
              </button>
            )}
          </div>
          {confirming && report.status === 'draft' && (
            <div className="fw-inline-form" role="group" aria-label="Confirm publishing">
              <p>
                Publish this draft? Its HTML and PDF are stored as they are now and can never be changed;
                where the force publishes reports, anyone may read it.
              </p>
              <div className="fw-buttons">
                <button type="button" disabled={busy} onClick={() => void publish(report.id)}>
                  Yes, publish
                </button>
                <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                  No
                </button>
              </div>
            </div>
          )}
          {/* No scripts in the report; the sandbox keeps it so. */}
          <iframe
            key={`${report.id}-${nonce}`}
            className="ro-frame"
            title={`Report preview: ${report.status} of ${when(report.generatedAt)}`}
            src={`${file(report.id, 'html')}${nonce ? `?v=${nonce}` : ''}`}
            sandbox=""
          />
        </section>
      )}
    </>
  );
}
