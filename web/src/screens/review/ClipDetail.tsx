// One clip for review: the redacted copy with the manifest's boxes over it (and the original beside
// it for reviewers and admins, behind a reason), the mandatory-review flag and its reasons, approve
// or reject, mark evidential, mark a missed face (the clip is redacted again as a new revision: the
// page follows it until it arrives), the revisions of the redacted copy and the clip's disclosures.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api.js';
import { decisionOf, parseFrameRate, rendering, riskOf, timeOf } from '../../lib/review/frames.js';
import type { Box, Clip, Derivative, ManifestView, MissedFace } from '../../lib/review/types.js';
import type { Me } from '../../lib/types.js';
import { href } from '../../route.js';
import { ClipsNav, errText, isReviewer, RiskFlagText, seesOriginal, StatusBadge, when } from './common.js';
import { Disclosures } from './Disclosures.js';
import { EvidentialToggle } from './Evidential.js';
import { MissedFaceForm } from './MissedFace.js';
import { Original } from './Original.js';
import { Player } from './Player.js';
import { ReviewForm } from './ReviewForm.js';

/** How often the page asks for the clip while it is being redacted. */
const POLL_MS = 1500;

const revisionOf = (d: Derivative | null | undefined) => d?.revision ?? 1;
const short = (sha: string) => sha.slice(0, 12);

export function ClipDetail({ id, me }: { id: string; me: Me }) {
  const [clip, setClip] = useState<Clip | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [manifest, setManifest] = useState<ManifestView | null>(null);
  const [derivatives, setDerivatives] = useState<Derivative[] | null>(null);
  const [showBoxes, setShowBoxes] = useState(true);
  const [marking, setMarking] = useState(false);
  const [draft, setDraft] = useState<Box | null>(null);
  const [frame, setFrame] = useState(0);
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const onVideo = useCallback((v: HTMLVideoElement | null) => {
    videoRef.current = v;
    setVideo(v);
  }, []);
  /** A missed face was marked: the revision that will cover it, until its redacted copy arrives. */
  const [awaiting, setAwaiting] = useState<MissedFace | null>(null);
  const reviewer = isReviewer(me);

  const load = useCallback(() => {
    api<Clip>(`/clips/${id}`).then(
      (c) => {
        setClip(c);
        setError(null);
      },
      (err: unknown) => setError(errText(err, 'Could not load the clip')),
    );
  }, [id]);
  useEffect(load, [load]);

  const current = clip?.derivative?.sha256 ?? null;
  useEffect(() => {
    if (!current) return;
    let live = true;
    api<ManifestView>(`/clips/${id}/manifest`).then(
      (m) => live && setManifest(m),
      () => live && setManifest(null),
    );
    // The revisions of the redacted copy (the review API); before it, the current copy alone.
    api<{ items: Derivative[] }>(`/clips/${id}/derivatives`).then(
      (d) => live && setDerivatives(d.items),
      () => live && setDerivatives(null),
    );
    return () => {
      live = false;
    };
  }, [id, current]);

  // Follow a clip being redacted (first time, or again after a missed face) until its copy arrives.
  const pending =
    awaiting !== null && clip !== null && revisionOf(clip.derivative) < awaiting.revision ? awaiting : null;
  const busy = clip !== null && (rendering(clip) || pending !== null);
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(load, POLL_MS);
    return () => clearInterval(t);
  }, [busy, load]);

  const fps = manifest ? parseFrameRate(manifest.input.frameRate) : (clip?.manifestSummary?.fps ?? null);
  const pixels = manifest
    ? { w: manifest.input.width, h: manifest.input.height }
    : video && video.videoWidth > 0
      ? { w: video.videoWidth, h: video.videoHeight }
      : null;

  const step = (by: number) => {
    const v = videoRef.current;
    if (!v || !fps) return;
    v.pause();
    v.currentTime = timeOf(Math.max(0, frame + by), fps);
  };
  const startMarking = () => {
    videoRef.current?.pause();
    setDraft(null);
    setMarking(true);
  };

  if (error && !clip)
    return (
      <>
        <p>
          <a href={href('clips')}>← Clips</a>
        </p>
        <p className="error" role="alert">
          {error}
        </p>
      </>
    );
  if (!clip) return <p className="loading">Loading…</p>;
  const risk = riskOf(clip);
  const decision = decisionOf(clip);
  const history = derivatives ?? (clip.derivative ? [clip.derivative] : []);

  return (
    <>
      <p>
        <a href={href('clips')}>← Clips</a>
      </p>
      <h1>
        Clip from {clip.camera}, {when(clip.recordedFrom)}
      </h1>
      <ClipsNav me={me} current="clip" />
      <dl className="clip-facts">
        <div>
          <dt>Camera</dt>
          <dd>{clip.camera}</dd>
        </div>
        <div>
          <dt>Held by</dt>
          <dd>{clip.holder ?? '—'}</dd>
        </div>
        <div>
          <dt>Station</dt>
          <dd>{clip.station ?? '—'}</dd>
        </div>
        <div>
          <dt>Recorded</dt>
          <dd>
            {when(clip.recordedFrom)} –{' '}
            {new Date(clip.recordedTo).toLocaleTimeString([], { timeStyle: 'short' })}
          </dd>
        </div>
        <div>
          <dt>Redaction</dt>
          <dd data-testid="clip-status">
            <StatusBadge clip={clip} />
            {clip.derivative && <span className="fw-small"> revision {revisionOf(clip.derivative)}</span>}
          </dd>
        </div>
        <div>
          <dt>Evidential</dt>
          <dd>{clip.evidential ? 'Yes' : 'No'}</dd>
        </div>
      </dl>

      {risk?.required && (
        <div className="risk-panel" data-testid="risk-panel">
          <h2>Flagged for mandatory review</h2>
          <p>The detector saw signs that it may have missed faces. Check these before approving:</p>
          <RiskFlagText clip={clip} long />
        </div>
      )}
      {clip.failure && (
        <p className="error" role="alert">
          Redaction failed: {clip.failure.reason} ({clip.failure.detail})
        </p>
      )}
      {(rendering(clip) || pending) && (
        <p className="rerender" role="status" data-testid="rerendering">
          {pending
            ? `Redacting again to cover the face you marked (revision ${pending.revision})…`
            : `Redacting… ${Math.round(clip.progress * 100)}%`}
        </p>
      )}

      {clip.derivative && (
        <section aria-labelledby="player-h">
          <h2 id="player-h">Redacted clip</h2>
          <div className={`player-pair${seesOriginal(me) ? ' two' : ''}`}>
            <figure>
              <Player
                key={clip.derivative.sha256}
                src={`/api/v1/clips/${clip.id}/redacted`}
                manifest={manifest}
                fps={fps}
                showBoxes={showBoxes}
                marking={marking}
                draft={draft}
                onDraft={setDraft}
                onFrame={setFrame}
                onVideo={onVideo}
                label={`Redacted clip, revision ${revisionOf(clip.derivative)}`}
              />
              <figcaption className="player-bar">
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={showBoxes}
                    onChange={(e) => setShowBoxes(e.target.checked)}
                  />{' '}
                  Show redacted boxes
                </label>
                <span className="fw-small" aria-live="polite">
                  Frame {frame}
                  {manifest ? ` of ${manifest.input.frames}` : ''}
                </span>
                <span className="step">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => step(-1)}
                    disabled={!fps || frame === 0}
                  >
                    ◀ Frame
                  </button>
                  <button type="button" className="secondary" onClick={() => step(1)} disabled={!fps}>
                    Frame ▶
                  </button>
                </span>
                {reviewer && !marking && !rendering(clip) && !pending && (
                  <button type="button" onClick={startMarking} disabled={!fps || !pixels}>
                    Mark a missed face
                  </button>
                )}
              </figcaption>
            </figure>
            {seesOriginal(me) && <Original clipId={clip.id} redacted={video} />}
          </div>
          {marking && fps && pixels && (
            <MissedFaceForm
              clip={clip}
              frame={frame}
              fps={fps}
              pixels={pixels}
              draft={draft}
              onDraft={setDraft}
              onCancel={() => {
                setMarking(false);
                setDraft(null);
              }}
              onMarked={(m) => {
                setMarking(false);
                setDraft(null);
                setAwaiting(m);
                load();
              }}
            />
          )}
          {manifest?.manual && manifest.manual.length > 0 && (
            <>
              <h3>Missed faces marked by reviewers</h3>
              <ul className="manual-marks">
                {manifest.manual.map((m) => (
                  <li key={m.mark}>
                    Frame {m.frame}: box {m.box.x}, {m.box.y}, {m.box.w} × {m.box.h}, followed over frames{' '}
                    {m.span.from}–{m.span.to}; by {m.by}
                    {m.note ? ` (“${m.note}”)` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}

      {reviewer && clip.status === 'redacted' && !pending && <ReviewForm clip={clip} onReviewed={setClip} />}
      {decision && (
        <p className={decision.decision === 'approved' ? 'okmsg' : 'error'} data-testid="decision">
          Redaction {decision.decision} by {decision.by}, {when(decision.at)}: {decision.note}
        </p>
      )}

      <section aria-labelledby="evidential-h">
        <h2 id="evidential-h">Evidential</h2>
        {clip.evidentialMark && (
          <p className="muted">
            {clip.evidentialMark.evidential ? 'Marked' : 'Unmarked'} by {clip.evidentialMark.by},{' '}
            {when(clip.evidentialMark.at)}: {clip.evidentialMark.reason}
          </p>
        )}
        {reviewer ? (
          <EvidentialToggle clip={clip} onChanged={setClip} />
        ) : (
          <p>{clip.evidential ? 'Marked as evidence in a case.' : 'Not marked as evidence.'}</p>
        )}
      </section>

      {history.length > 0 && (
        <section aria-labelledby="revisions-h">
          <h2 id="revisions-h">Redacted copies</h2>
          <ol className="revisions" reversed>
            {[...history]
              .sort((a, b) => revisionOf(b) - revisionOf(a))
              .map((d) => {
                const replaced = history.find((p) => p.sha256 === d.previous);
                return (
                  <li key={d.sha256} id={`rev-${d.sha256}`} data-revision={revisionOf(d)}>
                    <strong>Revision {revisionOf(d)}</strong>
                    {d.sha256 === current && ' (shown above)'}, {when(d.producedAt)} by {d.producedBy}.{' '}
                    <span className="fw-small">
                      SHA-256 <code className="hash">{short(d.sha256)}…</code>
                    </span>
                    {d.previous && (
                      <>
                        {' '}
                        Replaces{' '}
                        {replaced ? (
                          <a
                            href={`#rev-${d.previous}`}
                            onClick={(e) => {
                              e.preventDefault();
                              document.getElementById(`rev-${d.previous}`)?.scrollIntoView();
                            }}
                          >
                            revision {revisionOf(replaced)}
                          </a>
                        ) : (
                          <code className="hash">{short(d.previous)}…</code>
                        )}
                        .
                      </>
                    )}
                  </li>
                );
              })}
          </ol>
        </section>
      )}

      {(me.role === 'reviewer' || me.role === 'admin' || me.role === 'auditor') && (
        <Disclosures clip={clip} me={me} />
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
