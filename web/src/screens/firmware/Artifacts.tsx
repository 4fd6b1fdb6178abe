// Artifacts and the versions register: every uploaded file with its status (approved, blocked,
// not reviewed), the upload form, and the register itself, where a version may be approved or
// blocked for one model or for every model of a kind (`*`), with or without an artifact.
import { useMemo, useState, type FormEvent } from 'react';
import { api } from '../../api.js';
import { byVersionDesc } from '../../lib/firmware/versions.js';
import {
  itemsOf,
  type Artifact,
  type DeviceKind,
  type Page,
  type VersionEntry,
} from '../../lib/firmware/types.js';
import {
  bytes,
  OutcomeNotice,
  problemOf,
  ProblemNotice,
  useResource,
  VersionBadge,
  when,
  type Outcome,
  formText,
} from './common.js';
import { UploadArtifact } from './UploadArtifact.js';
import { VersionActions, versionPath } from './VersionActions.js';

export function Artifacts({ manage }: { manage: boolean }) {
  const artifacts = useResource<Artifact[] | Page<Artifact>>('/artifacts?limit=500');
  const versions = useResource<VersionEntry[] | Page<VersionEntry>>('/versions?limit=500');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [kind, setKind] = useState<'' | DeviceKind>('');

  const list = useMemo(
    () =>
      (artifacts.data ? itemsOf(artifacts.data) : [])
        .filter((a) => !kind || a.kind === kind)
        .sort(
          (a, b) =>
            a.kind.localeCompare(b.kind) ||
            a.model.localeCompare(b.model) ||
            byVersionDesc(a.version, b.version),
        ),
    [artifacts.data, kind],
  );
  const register = useMemo(
    () =>
      (versions.data ? itemsOf(versions.data) : [])
        .filter((v) => !kind || v.kind === kind)
        .sort(
          (a, b) =>
            a.kind.localeCompare(b.kind) ||
            a.model.localeCompare(b.model) ||
            byVersionDesc(a.version, b.version),
        ),
    [versions.data, kind],
  );
  const models = useMemo(() => [...new Set(list.map((a) => a.model))].sort(), [list]);

  const done = (o: Outcome) => {
    setOutcome(o);
    if (o?.ok) {
      artifacts.reload();
      versions.reload();
    }
  };

  return (
    <>
      <section aria-labelledby="artifacts-h">
        <div className="fw-bar">
          <h2 id="artifacts-h">Artifacts</h2>
          <label className="inline">
            Kind{' '}
            <select value={kind} onChange={(e) => setKind(e.target.value as '' | DeviceKind)}>
              <option value="">All</option>
              <option value="camera">Cameras</option>
              <option value="dock">Docks</option>
            </select>
          </label>
        </div>
        <OutcomeNotice outcome={outcome} />
        <ProblemNotice problem={artifacts.error} />
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="artifacts-h">
          <table className="fw-stack" data-testid="artifacts">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Size · SHA-256</th>
                <th scope="col">Signed by key</th>
                <th scope="col">Uploaded</th>
                <th scope="col">Notes</th>
                {manage && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.id} data-artifact={`${a.model} ${a.version}`} data-status={a.status}>
                  <th scope="row">
                    {a.model} <span className="muted">({a.kind})</span>
                  </th>
                  <td data-label="Version">{a.version}</td>
                  <td data-label="Status">
                    <VersionBadge status={a.status} />
                  </td>
                  <td data-label="Size">
                    {bytes(a.size)} · <code>{a.sha256.slice(0, 16)}…</code>
                  </td>
                  <td data-label="Key">
                    <code>{a.keyFingerprint.slice(0, 16)}</code>
                  </td>
                  <td data-label="Uploaded">
                    {a.uploadedBy}
                    <br />
                    <span className="muted">{when(a.uploadedAt)}</span>
                  </td>
                  <td data-label="Notes" className="fw-notes">
                    {a.notes || '—'}
                  </td>
                  {manage && (
                    <td data-label="Actions">
                      <VersionActions
                        kind={a.kind}
                        model={a.model}
                        version={a.version}
                        status={a.status}
                        onDone={done}
                      />
                    </td>
                  )}
                </tr>
              ))}
              {list.length === 0 && (
                <tr>
                  <td colSpan={manage ? 8 : 7}>
                    {artifacts.data ? 'No artifact uploaded yet.' : 'Loading…'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {manage && <UploadArtifact models={models} onDone={done} />}
      </section>

      <section aria-labelledby="register-h">
        <h2 id="register-h">Versions register</h2>
        <p className="muted">
          Approve a version before a campaign rolls it out. A device on a blocked version is unfit on every
          screen until it is updated. <code>*</code> means every model of that kind.
        </p>
        <ProblemNotice problem={versions.error} />
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="register-h">
          <table className="fw-stack" data-testid="versions">
            <thead>
              <tr>
                <th scope="col">Kind · model</th>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Reason</th>
                <th scope="col">By</th>
                {manage && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {register.map((v) => (
                <tr key={`${v.kind}|${v.model}|${v.version}`} data-version={`${v.model} ${v.version}`}>
                  <th scope="row">
                    {v.kind} · {v.model === '*' ? 'every model' : v.model}
                  </th>
                  <td data-label="Version">{v.version}</td>
                  <td data-label="Status">
                    <VersionBadge status={v.status} />
                  </td>
                  <td data-label="Reason">{v.reason || '—'}</td>
                  <td data-label="By">
                    {v.by}
                    <br />
                    <span className="muted">{when(v.at)}</span>
                  </td>
                  {manage && (
                    <td data-label="Actions">
                      <VersionActions
                        kind={v.kind}
                        model={v.model}
                        version={v.version}
                        status={v.status}
                        onDone={done}
                      />
                    </td>
                  )}
                </tr>
              ))}
              {register.length === 0 && (
                <tr>
                  <td colSpan={manage ? 6 : 5}>
                    {versions.data ? 'No version approved or blocked yet.' : 'Loading…'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {manage && <SetVersionStatus onDone={done} />}
      </section>
    </>
  );
}

/** A version by hand: block one devices run that was never uploaded, or one for every model. */
function SetVersionStatus({ onDone }: { onDone: (o: Outcome) => void }) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<'approved' | 'blocked'>('blocked');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const text = (k: string) => formText(f, k);
    const kind = text('kind') as DeviceKind;
    const model = text('model') || '*';
    const version = text('version');
    const reason = text('reason');
    setBusy(true);
    try {
      await api(versionPath(kind, model, version), {
        method: 'PUT',
        body: { status, ...(reason && { reason }) },
      });
      form.reset();
      onDone({
        ok: true,
        text: `${model === '*' ? `Every ${kind} model` : model} ${version} is now ${status}`,
      });
    } catch (err) {
      onDone({ ok: false, problem: problemOf(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="grid-form" onSubmit={(e) => void submit(e)} aria-labelledby="setversion-h">
      <h3 id="setversion-h">Approve or block a version</h3>
      <label>
        Kind
        <select name="kind" defaultValue="camera">
          <option value="camera">camera</option>
          <option value="dock">dock</option>
        </select>
      </label>
      <label>
        Model (empty: every model)
        <input name="model" maxLength={60} autoComplete="off" />
      </label>
      <label>
        Version
        <input name="version" required maxLength={40} autoComplete="off" />
      </label>
      <label>
        Status
        <select value={status} onChange={(e) => setStatus(e.target.value as 'approved' | 'blocked')}>
          <option value="blocked">blocked</option>
          <option value="approved">approved</option>
        </select>
      </label>
      <label>
        Reason{status === 'blocked' ? '' : ' (optional)'}
        <input name="reason" required={status === 'blocked'} maxLength={500} />
      </label>
      <button type="submit" disabled={busy}>
        {status === 'blocked' ? 'Block version' : 'Approve version'}
      </button>
    </form>
  );
}
