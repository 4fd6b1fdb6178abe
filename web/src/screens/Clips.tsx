// Offloaded clips: when and by which camera they were recorded, their redaction status, and whether
// they are marked evidential. Reviewers set or clear the mark (with a reason, audited); the other
// roles that see clips read it.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api.js';
import type { Me } from '../lib/types.js';

interface Clip {
  id: string;
  camera: string;
  station: string | null;
  recordedFrom: string;
  recordedTo: string;
  status: string;
  evidential: boolean;
  evidentialMark: { evidential: boolean; reason: string; by: string; at: string } | null;
}

interface Page {
  items: Clip[];
  total: number;
}

const PAGE = 50;
const when = (iso: string) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

function EvidentialToggle({ clip, onChanged }: { clip: Clip; onChanged: (c: Clip) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const to = !clip.evidential;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      onChanged(
        await api<Clip>(`/clips/${clip.id}/evidential`, { method: 'PUT', body: { evidential: to, reason } }),
      );
      setOpen(false);
      setReason('');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save');
    } finally {
      setBusy(false);
    }
  };
  if (!open)
    return (
      <button
        type="button"
        aria-pressed={clip.evidential}
        onClick={() => setOpen(true)}
        aria-label={`${clip.evidential ? 'Unmark' : 'Mark'} clip ${clip.id.slice(0, 12)} as evidential`}
      >
        {clip.evidential ? 'Evidential ✓' : 'Mark evidential'}
      </button>
    );
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Why{' '}
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          minLength={3}
          maxLength={500}
          required
          placeholder={to ? 'e.g. evidence in case 4411' : 'e.g. marked by mistake'}
        />
      </label>{' '}
      <button type="submit" disabled={busy || reason.trim().length < 3}>
        {to ? 'Mark evidential' : 'Remove mark'}
      </button>{' '}
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <span className="error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </form>
  );
}

export function Clips({ me }: { me: Me }) {
  const [page, setPage] = useState<Page | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const reviewer = me.role === 'reviewer';

  const load = useCallback(() => {
    api<Page>(`/clips?limit=${PAGE}&offset=${offset}`).then(
      (p) => {
        setPage(p);
        setError(null);
      },
      (err: unknown) => setError(err instanceof ApiError ? err.message : 'Could not load clips'),
    );
  }, [offset]);
  useEffect(load, [load]);

  const changed = (c: Clip) =>
    setPage((p) => p && { ...p, items: p.items.map((x) => (x.id === c.id ? c : x)) });

  return (
    <>
      <h1>Clips</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {page && (
        <>
          <p className="muted">
            {page.total} clip{page.total === 1 ? '' : 's'}
            {reviewer ? '. Mark a clip evidential when it is evidence in a case; say why.' : '.'}
          </p>
          <table className="clips fw-stack">
            <thead>
              <tr>
                <th scope="col">Recorded</th>
                <th scope="col">Camera</th>
                <th scope="col">Station</th>
                <th scope="col">Redaction</th>
                <th scope="col">Evidential</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((c) => (
                <tr key={c.id} data-clip={c.id} data-evidential={c.evidential}>
                  <th scope="row">{when(c.recordedFrom)}</th>
                  <td data-label="Camera">{c.camera}</td>
                  <td data-label="Station">{c.station ?? '—'}</td>
                  <td data-label="Redaction">{c.status}</td>
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
                  <td colSpan={5}>No clips offloaded yet.</td>
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
