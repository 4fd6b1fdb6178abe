// Propose a phase, or edit one while it is planned: who it is for (qualifications, teams,
// stations), the target headcount, planned dates, issue mode and spare %. The API checks it; its
// refusal names the fields, and each field shows its own message.
import { useState, type FormEvent } from 'react';
import { QUALIFICATIONS } from '../../../../src/shared/qualifications.js';
import type { Problem } from '../../api.js';
import { fieldErrors } from '../../lib/firmware/problems.js';
import { QUAL_WORD } from '../../lib/rollout/rules.js';
import type { Phase, PhaseInput } from '../../lib/rollout/types.js';
import { href } from '../../route.js';
import { Field } from '../firmware/common.js';
import { formText, ProblemNotice, send } from './common.js';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const dateOnly = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '');

export function PhaseForm({ phase, onSaved }: { phase: Phase | null; onSaved: (p: Phase) => void }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(problem);
  const ruleErrors = (k: string) => (errors.rule?.includes(k) ? errors.rule : undefined);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: PhaseInput = {
      name: formText(f, 'name'),
      description: formText(f, 'description'),
      rule: {
        qualifications: QUALIFICATIONS.filter((q) => f.getAll('qualifications').includes(q)),
        teams: list(formText(f, 'teams')),
        stations: list(formText(f, 'stations')).map((s) => s.toUpperCase()),
      },
      targetHeadcount: Number(formText(f, 'targetHeadcount')),
      plannedStart: formText(f, 'plannedStart'),
      plannedEnd: formText(f, 'plannedEnd'),
      issueMode: formText(f, 'issueMode') === 'pool' ? 'pool' : 'personal',
      sparePercent: Number(formText(f, 'sparePercent')),
    };
    setBusy(true);
    const r = phase
      ? await send<Phase>(`/phases/${encodeURIComponent(phase.id)}`, 'PATCH', body)
      : await send<Phase>('/phases', 'POST', body);
    setBusy(false);
    if (r.ok) {
      setProblem(null);
      onSaved(r.data);
    } else setProblem(r.problem);
  };

  const title = phase ? `Edit ${phase.name}` : 'Propose a phase';
  return (
    <form
      className="fw-create ro-form"
      aria-labelledby="phase-form-h"
      onSubmit={(e) => void submit(e)}
      noValidate={false}
    >
      <h2 id="phase-form-h">{title}</h2>
      <ProblemNotice problem={problem} />
      <fieldset>
        <legend>The phase</legend>
        <Field label="Name" name="name" error={errors.name}>
          {(a) => <input {...a} name="name" required maxLength={120} defaultValue={phase?.name ?? ''} />}
        </Field>
        <Field label="Target headcount" name="targetHeadcount" error={errors.targetHeadcount}>
          {(a) => (
            <input
              {...a}
              name="targetHeadcount"
              type="number"
              inputMode="numeric"
              min={1}
              required
              defaultValue={phase?.targetHeadcount ?? ''}
            />
          )}
        </Field>
        <Field label="Description" name="description" error={errors.description} wide>
          {(a) => (
            <textarea
              {...a}
              name="description"
              rows={2}
              maxLength={2000}
              defaultValue={phase?.description ?? ''}
            />
          )}
        </Field>
        <Field label="Planned start" name="plannedStart" error={errors.plannedStart}>
          {(a) => (
            <input
              {...a}
              name="plannedStart"
              type="date"
              required
              defaultValue={dateOnly(phase?.plannedStart)}
            />
          )}
        </Field>
        <Field label="Planned end" name="plannedEnd" error={errors.plannedEnd}>
          {(a) => (
            <input {...a} name="plannedEnd" type="date" required defaultValue={dateOnly(phase?.plannedEnd)} />
          )}
        </Field>
        <Field label="Issue mode" name="issueMode" error={errors.issueMode}>
          {(a) => (
            <select {...a} name="issueMode" defaultValue={phase?.issueMode ?? 'personal'}>
              <option value="personal">Personal (one camera per officer)</option>
              <option value="pool">Pool (sized by peak on shift)</option>
            </select>
          )}
        </Field>
        <Field label="Spare cameras (%)" name="sparePercent" error={errors.sparePercent}>
          {(a) => (
            <input
              {...a}
              name="sparePercent"
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              required
              defaultValue={phase?.sparePercent ?? 10}
            />
          )}
        </Field>
      </fieldset>
      <fieldset>
        <legend>Who is eligible (each list narrows; an empty list matches everyone)</legend>
        <fieldset className="fw-checks">
          <legend>Qualifications (any of)</legend>
          {QUALIFICATIONS.map((q) => (
            <label key={q} className="inline fw-check-item">
              <input
                type="checkbox"
                name="qualifications"
                value={q}
                defaultChecked={phase?.rule.qualifications.includes(q) ?? false}
              />
              {QUAL_WORD[q]}
            </label>
          ))}
        </fieldset>
        <Field label="Teams (comma-separated)" name="teams" error={ruleErrors('teams')}>
          {(a) => <input {...a} name="teams" defaultValue={phase?.rule.teams.join(', ') ?? ''} />}
        </Field>
        <Field label="Stations (codes, comma-separated)" name="stations" error={ruleErrors('stations')}>
          {(a) => <input {...a} name="stations" defaultValue={phase?.rule.stations.join(', ') ?? ''} />}
        </Field>
      </fieldset>
      <div className="fw-buttons">
        <button type="submit" disabled={busy}>
          {phase ? 'Save phase' : 'Propose phase'}
        </button>
        <a
          className="button secondary"
          href={phase ? href('programme', 'phases', phase.id) : href('programme', 'phases')}
        >
          Cancel
        </a>
      </div>
    </form>
  );
}
