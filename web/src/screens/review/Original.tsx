// The unredacted original, beside the redacted clip, for reviewers and admins only: it loads once a
// reason is given (3–500 characters), and the API writes every range the player asks for to the audit
// trail with that reason. It plays in step with the redacted clip, muted (the redacted one has the
// same audio), unless the viewer unticks that.
import { useEffect, useRef, useState } from 'react';

export function Original({ clipId, redacted }: { clipId: string; redacted: HTMLVideoElement | null }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [given, setGiven] = useState<string | null>(null);
  const [inStep, setInStep] = useState(true);
  const original = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const o = original.current;
    if (!given || !inStep || !redacted || !o) return;
    const seek = () => {
      if (Math.abs(o.currentTime - redacted.currentTime) > 0.02) o.currentTime = redacted.currentTime;
    };
    const play = () => {
      seek();
      void o.play().catch(() => undefined);
    };
    const pause = () => {
      o.pause();
      seek();
    };
    redacted.addEventListener('play', play);
    redacted.addEventListener('pause', pause);
    redacted.addEventListener('seeked', seek);
    seek();
    return () => {
      redacted.removeEventListener('play', play);
      redacted.removeEventListener('pause', pause);
      redacted.removeEventListener('seeked', seek);
    };
  }, [given, inStep, redacted]);

  if (given)
    return (
      <figure className="original">
        <video
          ref={original}
          src={`/api/v1/clips/${clipId}/original?reason=${encodeURIComponent(given)}`}
          controls
          muted
          preload="auto"
          playsInline
          aria-label="Original clip, unredacted"
        />
        <figcaption>
          <strong>Original, unredacted.</strong>{' '}
          <span className="muted">Your reason, in the audit trail: {given}</span>
          <label className="inline">
            <input type="checkbox" checked={inStep} onChange={(e) => setInStep(e.target.checked)} /> Keep in
            step with the redacted clip
          </label>
        </figcaption>
      </figure>
    );
  return (
    <div className="original original-closed">
      <p>
        <strong>Original, unredacted.</strong> It shows every face. Each time it is played the audit trail
        records who watched it and why.
      </p>
      {asking ? (
        <form
          className="grid-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim().length >= 3) setGiven(reason.trim());
          }}
        >
          <label>
            Why do you need to see the original?
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              minLength={3}
              maxLength={500}
              required
              rows={2}
              placeholder="e.g. checking the redaction of the man at the bus stop"
            />
          </label>
          <p>
            <button type="submit" disabled={reason.trim().length < 3}>
              Show the original
            </button>{' '}
            <button type="button" className="secondary" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </p>
        </form>
      ) : (
        <button type="button" className="secondary" onClick={() => setAsking(true)}>
          View the original…
        </button>
      )}
    </div>
  );
}
