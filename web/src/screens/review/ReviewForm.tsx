// Approve or reject a redaction, with a note. A clip flagged for mandatory review shows why, and the
// reviewer ticks that they have checked those things before deciding (the API requires it then).
import { useState } from 'react';
import { api } from '../../api.js';
import { riskOf } from '../../lib/review/frames.js';
import type { Clip } from '../../lib/review/types.js';
import { errText } from './common.js';

export function ReviewForm({ clip, onReviewed }: { clip: Clip; onReviewed: (c: Clip) => void }) {
  const [note, setNote] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const risk = riskOf(clip);
  const flagged = risk?.required === true;
  const ready = note.trim().length > 0 && (!flagged || acknowledged) && !busy;

  const decide = async (decision: 'approved' | 'rejected') => {
    setBusy(true);
    setError(null);
    try {
      onReviewed(
        await api<Clip>(`/clips/${clip.id}/review`, {
          method: 'POST',
          body: { decision, note: note.trim(), ...(flagged && { acknowledged }) },
        }),
      );
    } catch (err) {
      setError(errText(err, 'Could not record the decision'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="decide-h" className="review-decide">
      <h2 id="decide-h">Decide</h2>
      <form className="grid-form" onSubmit={(e) => e.preventDefault()}>
        {flagged && (
          <label className="inline ack">
            <input
              type="checkbox"
              checked={acknowledged}
              onChange={(e) => setAcknowledged(e.target.checked)}
            />{' '}
            I have checked the frames the flags above point to
          </label>
        )}
        <label>
          Note (what you checked, or what is wrong)
          <textarea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={2000}
            rows={3}
            required
          />
        </label>
        <p className="fw-buttons">
          <button type="button" disabled={!ready} onClick={() => void decide('approved')}>
            Approve redaction
          </button>
          <button type="button" className="danger" disabled={!ready} onClick={() => void decide('rejected')}>
            Reject redaction
          </button>
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
