// Approve, block (with a reason) or withdraw one version of a model, as a row's actions. The
// register is data (PUT/DELETE /firmware/versions/:kind/:model/:version), audited by the API; a
// blocked version makes every device running it unfit at once.
import { useState, type FormEvent } from 'react';
import { api } from '../../api.js';
import type { ArtifactStatus, DeviceKind } from '../../lib/firmware/types.js';
import { BASE, problemOf, type Outcome, formText } from './common.js';

export const versionPath = (kind: DeviceKind, model: string, version: string) =>
  `${BASE}/versions/${kind}/${encodeURIComponent(model)}/${encodeURIComponent(version)}`;

export function VersionActions({
  kind,
  model,
  version,
  status,
  onDone,
}: {
  kind: DeviceKind;
  model: string;
  version: string;
  status: ArtifactStatus;
  onDone: (o: Outcome) => void;
}) {
  const [blocking, setBlocking] = useState(false);
  const [busy, setBusy] = useState(false);
  const what = `${model === '*' ? `every ${kind} model` : model} ${version}`;

  const run = async (call: () => Promise<unknown>, text: string) => {
    setBusy(true);
    try {
      await call();
      setBlocking(false);
      onDone({ ok: true, text });
    } catch (e) {
      onDone({ ok: false, problem: problemOf(e) });
    } finally {
      setBusy(false);
    }
  };

  const block = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const reason = formText(new FormData(e.currentTarget), 'reason');
    void run(
      () => api(versionPath(kind, model, version), { method: 'PUT', body: { status: 'blocked', reason } }),
      `Blocked ${what}: devices running it are now unfit`,
    );
  };

  if (blocking)
    return (
      <form className="fw-inline-form" onSubmit={block} aria-label={`Block ${what}`}>
        <label>
          Why block {what}?
          <input name="reason" required maxLength={500} autoFocus />
        </label>
        <div className="fw-buttons">
          <button type="submit" className="danger" disabled={busy}>
            Block {version}
          </button>
          <button type="button" className="secondary" onClick={() => setBlocking(false)}>
            Keep as it is
          </button>
        </div>
      </form>
    );

  return (
    <div className="fw-buttons">
      {status !== 'approved' && (
        <button
          type="button"
          disabled={busy}
          aria-label={`Approve ${what}`}
          onClick={() =>
            void run(
              () => api(versionPath(kind, model, version), { method: 'PUT', body: { status: 'approved' } }),
              `Approved ${what}`,
            )
          }
        >
          Approve
        </button>
      )}
      {status !== 'blocked' && (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          aria-label={`Block ${what}`}
          onClick={() => setBlocking(true)}
        >
          Block
        </button>
      )}
      {status !== 'unreviewed' && (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          aria-label={`Withdraw ${status === 'approved' ? 'approval' : 'block'} of ${what}`}
          onClick={() =>
            void run(
              () => api(versionPath(kind, model, version), { method: 'DELETE' }),
              `${what} is no longer ${status}`,
            )
          }
        >
          Withdraw {status === 'approved' ? 'approval' : 'block'}
        </button>
      )}
    </div>
  );
}
