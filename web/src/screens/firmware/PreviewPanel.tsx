// What a campaign would do, shown before it is created: how many devices, where, from which
// versions, in which waves, and who is left out and why.
import { previewSummary } from '../../lib/firmware/preview.js';
import type { DeviceKind, Preview } from '../../lib/firmware/types.js';

export function PreviewPanel({ preview, kind }: { preview: Preview; kind: DeviceKind }) {
  const s = previewSummary(preview, kind);
  return (
    <div className={`fw-preview ${s.empty ? 'tone-error' : 'tone-ok'}`} data-testid="preview">
      <p className="fw-preview-head">{s.headline}</p>
      {!s.empty && (
        <dl>
          <dt>Stations</dt>
          <dd>{s.stations}</dd>
          <dt>From versions</dt>
          <dd>{s.versions || '—'}</dd>
          <dt>Waves</dt>
          <dd data-testid="preview-waves">{s.waves}</dd>
        </dl>
      )}
      {s.excludedLine && (
        <details>
          <summary>{s.excludedLine}</summary>
          <ul>
            {s.excluded.map((g) => (
              <li key={g.reason}>
                <strong>{g.count}</strong>: {g.reason}
                {g.examples.length > 1 && <span className="muted"> (e.g. {g.examples.join('; ')})</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
      {preview.sample.length > 0 && (
        <details>
          <summary>
            {preview.sample.length < preview.total
              ? `The first ${preview.sample.length} devices`
              : `All ${preview.total} devices`}
          </summary>
          <p className="fw-sample">{preview.sample.join(', ')}</p>
        </details>
      )}
    </div>
  );
}
