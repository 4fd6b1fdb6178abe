// Marking a face the redaction missed, on the frame the player is paused on: drag a box over the
// video, or type it (x, y, width, height in the video's own pixels: the keyboard way). The API tracks
// it across frames and re-renders the clip as a new revision of the redacted copy.
import { useState } from 'react';
import { api } from '../../api.js';
import { clampBox } from '../../lib/review/frames.js';
import type { Box, Clip, MissedFace } from '../../lib/review/types.js';
import { errText } from './common.js';

const FIELDS = [
  ['x', 'Left (x)'],
  ['y', 'Top (y)'],
  ['w', 'Width'],
  ['h', 'Height'],
] as const;
/** The API's smallest box side. */
const MIN_SIDE = 4;

type Fields = Record<keyof Box, string>;
const fieldsOf = (b: Box | null): Fields =>
  b ? { x: String(b.x), y: String(b.y), w: String(b.w), h: String(b.h) } : { x: '', y: '', w: '', h: '' };

export function MissedFaceForm(props: {
  clip: Clip;
  frame: number;
  fps: number;
  pixels: { w: number; h: number };
  draft: Box | null;
  onDraft: (b: Box | null) => void;
  onMarked: (m: MissedFace) => void;
  onCancel: () => void;
}) {
  const { clip, frame, fps, pixels, draft, onDraft } = props;
  // What was typed, for the draft it made: a drag makes a new draft, and the fields show that.
  const [typed, setTyped] = useState<{ forDraft: Box | null; fields: Fields } | null>(null);
  const fields = typed && typed.forDraft === draft ? typed.fields : fieldsOf(draft);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const edit = (k: keyof Box, v: string) => {
    const next = { ...fields, [k]: v };
    const n = { x: Number(next.x), y: Number(next.y), w: Number(next.w), h: Number(next.h) };
    if (Object.values(next).every((s) => s.trim() !== '') && Object.values(n).every(Number.isFinite)) {
      const box = clampBox(n, pixels);
      setTyped({ forDraft: box, fields: next });
      onDraft(box);
    } else setTyped({ forDraft: draft, fields: next });
  };
  const ok = draft !== null && draft.w >= MIN_SIDE && draft.h >= MIN_SIDE;

  const submit = async () => {
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      const marked = await api<MissedFace>(`/clips/${clip.id}/missed-faces`, {
        method: 'POST',
        body: { frame, box: draft, ...(note.trim() && { note: note.trim() }) },
      });
      props.onMarked(marked);
    } catch (err) {
      setError(errText(err, 'Could not mark the face'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="missed-face grid-form"
      aria-labelledby="missed-h"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="missed-h">Mark a missed face</h3>
      <p className="fw-hint">
        Frame <strong data-testid="mark-frame">{frame}</strong> ({(frame / fps).toFixed(2)} s). Drag across
        the face on the video, or type its box in the video&rsquo;s pixels ({pixels.w} × {pixels.h}). It will
        be followed across the frames around it and the clip redacted again.
      </p>
      <div className="box-fields">
        {FIELDS.map(([k, label]) => (
          <label key={k}>
            {label}
            <input
              type="number"
              inputMode="numeric"
              min={0}
              max={k === 'x' || k === 'w' ? pixels.w : pixels.h}
              step={1}
              value={fields[k]}
              onChange={(e) => edit(k, e.target.value)}
              required
            />
          </label>
        ))}
      </div>
      <label>
        Note (optional)
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
      </label>
      {draft && !ok && (
        <p className="error" role="alert">
          The box must be at least {MIN_SIDE} pixels each way.
        </p>
      )}
      <p className="fw-buttons">
        <button type="submit" disabled={!ok || busy}>
          Mark face and redact again
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
