// Upload a signed firmware file. The file is streamed as it is (application/octet-stream); kind,
// model, version, the vendor's Ed25519 signature (base64) and release notes go in the query. The
// API keeps nothing unless the signature verifies against a trusted vendor key.
import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../api.js';
import { fieldErrors } from '../../lib/firmware/problems.js';
import { isVersion } from '../../lib/firmware/versions.js';
import type { Artifact } from '../../lib/firmware/types.js';
import { BASE, bytes, Field, problemOf, type Outcome, formText } from './common.js';

export function UploadArtifact({ models, onDone }: { models: string[]; onDone: (o: Outcome) => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const form = useRef<HTMLFormElement>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => formText(f, k);
    const file = f.get('file');
    const mine: Record<string, string> = {};
    if (!isVersion(text('version'))) mine.version = 'a semantic version, e.g. 2.4.1';
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text('signature').replace(/\s+/g, '')))
      mine.signature = 'the signature in base64';
    if (!(file instanceof File) || file.size === 0) mine.file = 'choose the firmware file';
    setErrors(mine);
    if (Object.keys(mine).length || !(file instanceof File)) return;
    const query = new URLSearchParams({
      kind: text('kind'),
      model: text('model'),
      version: text('version'),
      signature: text('signature').replace(/\s+/g, ''),
    });
    if (text('notes')) query.set('notes', text('notes'));
    setBusy(`Uploading ${file.name} (${bytes(file.size)})…`);
    try {
      const a = await api<Artifact>(`${BASE}/artifacts?${query.toString()}`, { method: 'POST', bytes: file });
      form.current?.reset();
      onDone({
        ok: true,
        text: `Uploaded ${a.model} ${a.version} (${bytes(a.size)}, SHA-256 ${a.sha256.slice(0, 12)}…); its signature verified. Approve it before a campaign may install it.`,
      });
    } catch (err) {
      const problem = problemOf(err);
      setErrors(fieldErrors(problem));
      onDone({ ok: false, problem });
    } finally {
      setBusy(null);
    }
  };

  return (
    <form
      ref={form}
      className="grid-form"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="upload-h"
      aria-busy={busy !== null}
    >
      <h3 id="upload-h">Upload a signed artifact</h3>
      <Field label="Kind" name="up-kind" error={errors.kind}>
        {(a) => (
          <select {...a} name="kind" defaultValue="camera">
            <option value="camera">camera</option>
            <option value="dock">dock</option>
          </select>
        )}
      </Field>
      <Field label="Model" name="up-model" error={errors.model}>
        {(a) => (
          <>
            <input {...a} name="model" required maxLength={60} list="up-models" autoComplete="off" />
            <datalist id="up-models">
              {models.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field label="Version" name="up-version" error={errors.version} hint="semver, e.g. 2.4.1">
        {(a) => <input {...a} name="version" required maxLength={40} autoComplete="off" />}
      </Field>
      <Field label="Firmware file" name="up-file" error={errors.file}>
        {(a) => <input {...a} name="file" type="file" required />}
      </Field>
      <Field
        label="Signature (base64)"
        name="up-signature"
        error={errors.signature}
        hint="The vendor's Ed25519 signature over the file's bytes"
      >
        {(a) => <textarea {...a} name="signature" required rows={2} spellCheck={false} />}
      </Field>
      <Field label="Release notes (optional)" name="up-notes" error={errors.notes}>
        {(a) => <textarea {...a} name="notes" rows={2} maxLength={2000} />}
      </Field>
      <div className="fw-buttons">
        <button type="submit" disabled={busy !== null}>
          Upload
        </button>
        <span role="status" aria-live="polite" className="muted">
          {busy}
        </span>
      </div>
    </form>
  );
}
