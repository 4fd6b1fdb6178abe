// Marking a clip evidential, or taking the mark off: reviewers, with a reason (audited).
import { useState } from 'react';
import { api } from '../../api.js';
import type { Clip } from '../../lib/review/types.js';
import { errText } from './common.js';

export function EvidentialToggle({ clip, onChanged }: { clip: Clip; onChanged: (c: Clip) => void }) {
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
      setError(errText(err, 'Could not save'));
    } finally {
      setBusy(false);
    }
  };
  if (!open)
    return (
      // The visible words begin the accessible name (axe: label-content-name-mismatch); the clip
      // follows for screen readers, one button in each row of the queue.
      <button type="button" aria-pressed={clip.evidential} onClick={() => setOpen(true)}>
        {clip.evidential ? 'Evidential ✓' : 'Mark evidential'}
        <span className="visually-hidden">
          {clip.evidential ? ` (unmark clip ${clip.id.slice(0, 12)})` : ` (clip ${clip.id.slice(0, 12)})`}
        </span>
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
