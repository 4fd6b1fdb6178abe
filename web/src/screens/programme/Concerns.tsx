// The concerns log: cameras not switched on, misuse, privacy, retention, complaints. The programme
// lead adds an entry and changes its outcome as it is dealt with; the report only ever counts them
// (category × outcome), and a summary must hold no personal data.
import { useState, type FormEvent } from 'react';
import { canLogConcerns, day } from '../../lib/rollout/rules.js';
import {
  CONCERN_CATEGORIES,
  CONCERN_OUTCOMES,
  itemsOf,
  type Concern,
  type ConcernOutcome,
  type ListOf,
  type Phase,
} from '../../lib/rollout/types.js';
import type { Me } from '../../lib/types.js';
import { formText, OutcomeNotice, ProblemNotice, send, useRollout, type Outcome } from './common.js';

const OUTCOME_WORD: Record<ConcernOutcome, string> = {
  open: 'open',
  resolved: 'resolved',
  upheld: 'upheld',
  'not-upheld': 'not upheld',
};

export function Concerns({ me }: { me: Me }) {
  const concerns = useRollout<ListOf<Concern>>('/concerns');
  const phases = useRollout<ListOf<Phase>>('/phases');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const manage = canLogConcerns(me.role);
  const phaseName = new Map(itemsOf(phases.data).map((p) => [p.id, p.name]));
  const list = itemsOf(concerns.data)
    .slice()
    .sort((a, b) => b.at.localeCompare(a.at));
  const done = (o: Outcome) => {
    setOutcome(o);
    if (o?.ok) concerns.reload();
  };
  const open = list.filter((c) => c.outcome === 'open').length;

  return (
    <>
      <h2 id="concerns-h">Concerns log</h2>
      <p className="muted fw-small">
        The published report counts these by category and outcome only. Summaries must hold no names, officer
        numbers or camera serials.
      </p>
      <ProblemNotice problem={concerns.error} />
      <OutcomeNotice outcome={outcome} />
      {manage && <AddConcern phases={itemsOf(phases.data)} onDone={done} />}
      {concerns.data && (
        <p>
          {list.length} concern{list.length === 1 ? '' : 's'} logged, {open} open.
        </p>
      )}
      {list.length > 0 && (
        <div className="table-scroll">
          <table className="ro-stack" data-testid="concerns">
            <thead>
              <tr>
                <th scope="col">Summary</th>
                <th scope="col">Logged</th>
                <th scope="col">Phase</th>
                <th scope="col">Category</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id} data-concern={c.id} data-outcome={c.outcome}>
                  <th scope="row" className="fw-notes">
                    {c.summary}
                  </th>
                  <td data-label="Logged">{day(c.at)}</td>
                  <td data-label="Phase">
                    {c.phase ? (phaseName.get(c.phase) ?? c.phase) : 'Programme-wide'}
                  </td>
                  <td data-label="Category">{c.category}</td>
                  <td data-label="Outcome">
                    {manage ? <OutcomeControl concern={c} onDone={done} /> : OUTCOME_WORD[c.outcome]}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function OutcomeControl({ concern: c, onDone }: { concern: Concern; onDone: (o: Outcome) => void }) {
  const [value, setValue] = useState<ConcernOutcome>(c.outcome);
  const [busy, setBusy] = useState(false);
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    const r = await send(`/concerns/${encodeURIComponent(c.id)}`, 'PATCH', { outcome: value });
    setBusy(false);
    onDone(
      r.ok ? { ok: true, text: `Outcome set to ${OUTCOME_WORD[value]}.` } : { ok: false, problem: r.problem },
    );
  };
  return (
    <form className="ro-outcome" onSubmit={(e) => void save(e)}>
      <label className="visually-hidden" htmlFor={`outcome-${c.id}`}>
        Outcome of “{c.summary}”
      </label>
      <select
        id={`outcome-${c.id}`}
        value={value}
        onChange={(e) => setValue(e.target.value as ConcernOutcome)}
      >
        {CONCERN_OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {OUTCOME_WORD[o]}
          </option>
        ))}
      </select>
      <button type="submit" className="secondary" disabled={busy || value === c.outcome}>
        Save
      </button>
    </form>
  );
}

function AddConcern({ phases, onDone }: { phases: Phase[]; onDone: (o: Outcome) => void }) {
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setBusy(true);
    const r = await send('/concerns', 'POST', {
      phase: formText(f, 'phase') || null,
      category: formText(f, 'category'),
      summary: formText(f, 'summary'),
      outcome: formText(f, 'outcome'),
      at: `${formText(f, 'at')}T12:00:00.000Z`,
    });
    setBusy(false);
    if (r.ok) {
      form.reset();
      onDone({ ok: true, text: 'Concern logged.' });
    } else onDone({ ok: false, problem: r.problem });
  };
  return (
    <details className="ro-add">
      <summary>Log a concern</summary>
      <form className="grid-form" aria-label="Log a concern" onSubmit={(e) => void submit(e)}>
        <label>
          Phase
          <select name="phase" defaultValue="">
            <option value="">Programme-wide</option>
            {phases.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category
          <select name="category" required defaultValue="activation">
            {CONCERN_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select name="outcome" required defaultValue="open">
            {CONCERN_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_WORD[o]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Date
          <input name="at" type="date" required defaultValue={new Date().toISOString().slice(0, 10)} />
        </label>
        <label className="fw-wide">
          Summary (no names, numbers or serials)
          <textarea name="summary" required maxLength={500} rows={2} />
        </label>
        <button type="submit" disabled={busy}>
          Log concern
        </button>
      </form>
    </details>
  );
}
