// A new campaign: what to install, on which devices, in which waves, within which limits. The
// preview (POST /firmware/campaigns/preview) comes first; creating is offered only for the preview
// of the form as it stands, so nobody creates what they did not see. A new campaign waits for
// someone else to approve it.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, type Problem } from '../../api.js';
import { campaignBody, DEFAULT_FORM, type CampaignForm } from '../../lib/firmware/campaign-form.js';
import { fieldErrors } from '../../lib/firmware/problems.js';
import {
  itemsOf,
  type Artifact,
  type Compliance,
  type Page,
  type Preview,
} from '../../lib/firmware/types.js';
import { byVersionDesc, olderThan, versionsInRange } from '../../lib/firmware/versions.js';
import type { Station } from '../../lib/types.js';
import { href } from '../../route.js';
import { BASE, Field, problemOf, ProblemNotice, useResource } from './common.js';
import { PreviewPanel } from './PreviewPanel.js';

type Stage = { step: 'edit' } | { step: 'previewed'; preview: Preview } | { step: 'busy' };

export function CampaignCreate() {
  const artifacts = useResource<Artifact[] | Page<Artifact>>('/artifacts?limit=500');
  const compliance = useResource<Compliance>('/compliance');
  const [stations, setStations] = useState<Station[]>([]);
  useEffect(() => {
    void api<Station[]>('/stations').then(setStations, () => setStations([]));
  }, []);
  const [form, setForm] = useState<CampaignForm>(DEFAULT_FORM);
  const [stage, setStage] = useState<Stage>({ step: 'edit' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem | null>(null);

  const all = useMemo(() => (artifacts.data ? itemsOf(artifacts.data) : []), [artifacts.data]);
  const models = useMemo(
    () => [...new Set(all.filter((a) => a.kind === form.kind).map((a) => a.model))].sort(),
    [all, form.kind],
  );
  const targets = useMemo(
    () =>
      all
        .filter((a) => a.kind === form.kind && a.model === form.model)
        .sort((a, b) => byVersionDesc(a.version, b.version)),
    [all, form.kind, form.model],
  );
  const target = targets.find((a) => a.id === form.artifact);
  const running = compliance.data?.byModel.find((m) => m.kind === form.kind && m.model === form.model);
  const matched = running ? versionsInRange(running.versions, form.fromRange, target?.version) : null;

  /** Any change makes the preview stale: it must be asked for again. */
  const set = (patch: Partial<CampaignForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setStage({ step: 'edit' });
    setProblem(null);
  };

  const ask = async <T,>(path: string): Promise<T | null> => {
    const checked = campaignBody(form);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setProblem({
        type: '/problems/validation-failed',
        title: 'Some fields need correcting',
        status: 0,
        errors: Object.entries(checked.errors).map(([path, message]) => ({ path, message })),
      });
      return null;
    }
    setErrors({});
    setProblem(null);
    setStage({ step: 'busy' });
    try {
      return await api<T>(`${BASE}${path}`, { method: 'POST', body: checked.body });
    } catch (e) {
      const p = problemOf(e);
      setErrors(fieldErrors(p));
      setProblem(p);
      setStage({ step: 'edit' });
      return null;
    }
  };

  const preview = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const p = await ask<Preview>('/campaigns/preview');
    if (p) setStage({ step: 'previewed', preview: p });
  };

  const create = async () => {
    const c = await ask<{ id: string }>('/campaigns');
    if (c) window.location.hash = href('firmware', 'campaigns', c.id);
  };

  const num = (name: keyof CampaignForm, label: string, hint?: string, min = 0, max?: number) => (
    <Field label={label} name={name} error={errors[name]} hint={hint}>
      {(a) => (
        <input
          {...a}
          inputMode="numeric"
          type="number"
          min={min}
          max={max}
          value={String(form[name])}
          onChange={(e) => set({ [name]: e.target.value })}
        />
      )}
    </Field>
  );

  return (
    <section aria-labelledby="create-h">
      <p>
        <a href={href('firmware', 'campaigns')}>← Campaigns</a>
      </p>
      <h2 id="create-h">New campaign</h2>
      <form onSubmit={(e) => void preview(e)} className="fw-create" noValidate>
        <fieldset>
          <legend>What to install</legend>
          <Field label="Name" name="name" error={errors.name}>
            {(a) => (
              <input
                {...a}
                value={form.name}
                maxLength={120}
                onChange={(e) => set({ name: e.target.value })}
              />
            )}
          </Field>
          <Field label="Kind" name="kind" error={errors.kind}>
            {(a) => (
              <select
                {...a}
                value={form.kind}
                onChange={(e) =>
                  set({ kind: e.target.value as CampaignForm['kind'], model: '', artifact: '' })
                }
              >
                <option value="camera">cameras</option>
                <option value="dock">docks</option>
              </select>
            )}
          </Field>
          <Field label="Model" name="model" error={errors.model}>
            {(a) => (
              <select
                {...a}
                value={form.model}
                onChange={(e) => set({ model: e.target.value, artifact: '' })}
              >
                <option value="">Choose…</option>
                {models.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Firmware to install"
            name="artifact"
            error={errors.artifact}
            hint={
              target?.status === 'unreviewed'
                ? 'This version is not approved yet.'
                : models.length === 0
                  ? 'Upload an artifact first (Artifacts and versions).'
                  : undefined
            }
          >
            {(a) => (
              <select
                {...a}
                value={form.artifact}
                onChange={(e) => {
                  const chosen = targets.find((t) => t.id === e.target.value);
                  set({
                    artifact: e.target.value,
                    // The usual choice: everything older than the target.
                    ...(chosen && !form.fromRange && { fromRange: olderThan(chosen.version) }),
                  });
                }}
              >
                <option value="">Choose…</option>
                {targets.map((t) => (
                  <option key={t.id} value={t.id} disabled={t.status === 'blocked'}>
                    {t.version} ({t.status === 'unreviewed' ? 'not reviewed' : t.status})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>

        <fieldset>
          <legend>Which devices</legend>
          <Field
            label="Current version range (empty: any)"
            name="fromRange"
            error={errors.fromRange}
            hint={
              matched === null
                ? 'e.g. <2.4.0 or >=2.0.0 <2.4.0'
                : matched.length === 0
                  ? 'No device of this model runs a version in this range.'
                  : `Takes in ${matched.map((v) => `${v.version} (${v.count})`).join(', ')}`
            }
          >
            {(a) => (
              <input
                {...a}
                value={form.fromRange}
                maxLength={100}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => set({ fromRange: e.target.value })}
              />
            )}
          </Field>
          <fieldset className="fw-stations" aria-describedby="stations-hint">
            <legend>Stations</legend>
            <div className="fw-checks">
              {stations.map((s) => (
                <label key={s.code} className="inline">
                  <input
                    type="checkbox"
                    checked={form.stations.includes(s.code)}
                    onChange={(e) =>
                      set({
                        stations: e.target.checked
                          ? [...form.stations, s.code]
                          : form.stations.filter((x) => x !== s.code),
                      })
                    }
                  />
                  {s.code}
                </label>
              ))}
            </div>
            <span id="stations-hint" className="muted fw-hint">
              None ticked: every station.
            </span>
          </fieldset>
          <Field
            label="Only these devices (optional)"
            name="devices"
            wide
            error={errors.devices}
            hint="Serials or dock ids, separated by spaces, commas or lines."
          >
            {(a) => (
              <textarea
                {...a}
                rows={2}
                spellCheck={false}
                value={form.devices}
                onChange={(e) => set({ devices: e.target.value })}
              />
            )}
          </Field>
        </fieldset>

        <fieldset>
          <legend>Waves</legend>
          {num('canarySize', 'Canary (devices)', 'Spares first: cameras in stock before issued ones.')}
          <Field
            label="Then groups (% of the rest)"
            name="groups"
            error={errors.groups}
            hint="Summing to 100, e.g. 25, 75"
          >
            {(a) => (
              <input
                {...a}
                value={form.groups}
                autoComplete="off"
                onChange={(e) => set({ groups: e.target.value })}
              />
            )}
          </Field>
          {num('successThreshold', 'Success threshold (%)', 'A wave advances at this success rate.', 1, 100)}
          <fieldset
            className="fw-pair"
            aria-describedby={`thr-hint${errors.errorThreshold ? ' thr-err' : ''}`}
          >
            <legend>Error threshold</legend>
            <label>
              Failures (devices)
              <input
                type="number"
                min={1}
                value={form.errorCount}
                aria-invalid={errors.errorThreshold ? true : undefined}
                onChange={(e) => set({ errorCount: e.target.value })}
              />
            </label>
            <label>
              or failures (%)
              <input
                type="number"
                min={1}
                max={100}
                value={form.errorPercent}
                aria-invalid={errors.errorThreshold ? true : undefined}
                onChange={(e) => set({ errorPercent: e.target.value })}
              />
            </label>
            <span id="thr-hint" className="muted fw-hint">
              Either pauses the whole campaign: failures since it last resumed, or a share of the devices in
              started waves.
            </span>
            {errors.errorThreshold && (
              <span id="thr-err" className="error fw-hint">
                {errors.errorThreshold}
              </span>
            )}
          </fieldset>
          <label className="inline fw-check">
            <input
              type="checkbox"
              checked={form.approveEachWave}
              onChange={(e) => set({ approveEachWave: e.target.checked })}
            />
            A person approves each wave after the first
          </label>
        </fieldset>

        <fieldset>
          <legend>Limits per device</legend>
          {num('minBattery', 'Minimum battery (%)', 'Unless charging.', 0, 100)}
          {num('stepTimeoutS', 'Step timeout (s)', 'A device silent this long after a step has failed.', 10)}
          {num('maxRetries', 'Retries after a bad download', undefined, 0, 20)}
        </fieldset>

        <div className="fw-buttons">
          <button type="submit" disabled={stage.step === 'busy'}>
            Preview
          </button>
          <a className="button secondary" href={href('firmware', 'campaigns')}>
            Cancel
          </a>
        </div>
      </form>

      <div role="region" aria-label="Preview" aria-live="polite" className="fw-preview-box">
        <ProblemNotice problem={problem} />
        {stage.step === 'busy' && <p>Working…</p>}
        {stage.step === 'previewed' && (
          <>
            <PreviewPanel preview={stage.preview} kind={form.kind} />
            {stage.preview.total > 0 && (
              <>
                <p>It will wait for approval by someone other than you before any device is sent anything.</p>
                <button type="button" onClick={() => void create()}>
                  Create campaign for {stage.preview.total} device{stage.preview.total === 1 ? '' : 's'}
                </button>
              </>
            )}
          </>
        )}
      </div>
    </section>
  );
}
