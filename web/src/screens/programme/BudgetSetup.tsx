// Setting the budget up, as a force does once and revisits at each gate: the business case (the
// board), the cost lines behind every estimate (programme lead or board) and the funding tranches
// with the savings that release them (the board). The API decides; these forms offer what the
// role may do and show its refusal field by field.
import { useState, type FormEvent } from 'react';
import type { Problem } from '../../api.js';
import { fieldErrors } from '../../lib/firmware/problems.js';
import { canAddTranches, canSetCostLines, canSetCase } from '../../lib/rollout/rules.js';
import { COST_KINDS, type Budget, type CostKind } from '../../lib/rollout/types.js';
import type { Me } from '../../lib/types.js';
import { Field } from '../firmware/common.js';
import { formText, ProblemNotice, send, type Outcome } from './common.js';

export const KIND_WORD: Record<CostKind, string> = {
  camera: 'Cameras',
  'dock-bay': 'Dock bays',
  licence: 'Licences',
  'storage-tb': 'Storage',
  'staff-hour': 'Staff time',
};
export const UNIT_WORD: Record<CostKind, string> = {
  camera: 'per camera',
  'dock-bay': 'per dock bay',
  licence: 'per officer-year',
  'storage-tb': 'per TB-year',
  'staff-hour': 'per staff hour',
};

type Done = (o: Outcome) => void;

/** One form: posts what `body` makes of it, shows the refusal, reports success upwards. */
function useSubmit(
  path: string,
  method: 'PUT' | 'POST',
  body: (f: FormData) => unknown,
  ok: string,
  onDone: Done,
) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    setBusy(true);
    const r = await send(path, method, body(new FormData(form)));
    setBusy(false);
    if (r.ok) {
      setProblem(null);
      if (method === 'POST') form.reset();
      onDone({ ok: true, text: ok });
    } else setProblem(r.problem);
  };
  return { problem, busy, submit, errors: fieldErrors(problem) };
}

export function BudgetSetup({ me, budget, onDone }: { me: Me; budget: Budget; onDone: Done }) {
  const any = canSetCase(me.role) || canSetCostLines(me.role) || canAddTranches(me.role);
  if (!any) return null;
  return (
    <details className="ro-setup" data-testid="budget-setup">
      <summary>Set up the business case, cost lines and tranches</summary>
      <div className="cards ro-forms">
        {canSetCase(me.role) && <CaseForm budget={budget} onDone={onDone} />}
        {canSetCostLines(me.role) && <CostLinesForm budget={budget} onDone={onDone} />}
        {canAddTranches(me.role) && <TrancheForm onDone={onDone} />}
      </div>
    </details>
  );
}

function CaseForm({ budget: b, onDone }: { budget: Budget; onDone: Done }) {
  const { problem, busy, submit, errors } = useSubmit(
    '/budget/case',
    'PUT',
    (f) => ({
      total: Number(formText(f, 'total')),
      years: Number(formText(f, 'years')),
      note: formText(f, 'note'),
    }),
    'Business case saved.',
    onDone,
  );
  return (
    <form className="card fw-window-form" aria-labelledby="case-h" onSubmit={(e) => void submit(e)}>
      <h3 id="case-h">Business case</h3>
      <ProblemNotice problem={problem} />
      <Field label="Total (£)" name="total" error={errors.total}>
        {(a) => (
          <input
            {...a}
            name="total"
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            required
            defaultValue={b.businessCase.total || ''}
          />
        )}
      </Field>
      <Field label="Over (years)" name="years" error={errors.years}>
        {(a) => (
          <input
            {...a}
            name="years"
            type="number"
            inputMode="numeric"
            min={1}
            max={20}
            required
            defaultValue={b.businessCase.years}
          />
        )}
      </Field>
      <Field label="Note (approval, conditions)" name="note" error={errors.note}>
        {(a) => <input {...a} name="note" maxLength={2000} defaultValue={b.businessCase.note} />}
      </Field>
      <button type="submit" disabled={busy}>
        Save business case
      </button>
    </form>
  );
}

function CostLinesForm({ budget: b, onDone }: { budget: Budget; onDone: Done }) {
  const current = new Map(b.costLines.map((c) => [c.kind, c]));
  const { problem, busy, submit, errors } = useSubmit(
    '/budget/cost-lines',
    'PUT',
    (f) => ({
      // A blank unit cost leaves the line out: its kind then adds nothing to an estimate.
      costLines: COST_KINDS.filter((k) => formText(f, k) !== '').map((kind) => ({
        kind,
        label: current.get(kind)?.label || KIND_WORD[kind],
        unitCost: Number(formText(f, kind)),
      })),
    }),
    'Cost lines saved: every estimate now uses them.',
    onDone,
  );
  return (
    <form className="card fw-window-form" aria-labelledby="cost-lines-h" onSubmit={(e) => void submit(e)}>
      <h3 id="cost-lines-h">Cost lines</h3>
      <ProblemNotice problem={problem} />
      {COST_KINDS.map((k, i) => (
        <Field
          key={k}
          label={`${KIND_WORD[k]} (£ ${UNIT_WORD[k]})`}
          name={k}
          error={errors[`costLines.${i}.unitCost`]}
        >
          {(a) => (
            <input
              {...a}
              name={k}
              type="number"
              inputMode="decimal"
              min={0}
              step="any"
              defaultValue={current.get(k)?.unitCost ?? ''}
            />
          )}
        </Field>
      ))}
      <button type="submit" disabled={busy}>
        Save cost lines
      </button>
    </form>
  );
}

function TrancheForm({ onDone }: { onDone: Done }) {
  const { problem, busy, submit, errors } = useSubmit(
    '/budget/tranches',
    'POST',
    (f) => ({
      name: formText(f, 'name'),
      amount: Number(formText(f, 'amount')),
      trigger: Number(formText(f, 'trigger')),
    }),
    'Tranche added: it is released once recorded savings reach its trigger.',
    onDone,
  );
  return (
    <form className="card fw-window-form" aria-labelledby="tranche-h" onSubmit={(e) => void submit(e)}>
      <h3 id="tranche-h">Add a funding tranche</h3>
      <ProblemNotice problem={problem} />
      <Field label="Name" name="name" error={errors.name}>
        {(a) => <input {...a} name="name" required maxLength={120} />}
      </Field>
      <Field label="Amount (£)" name="amount" error={errors.amount}>
        {(a) => <input {...a} name="amount" type="number" inputMode="decimal" min={1} step="any" required />}
      </Field>
      <Field label="Released when savings reach (£)" name="trigger" error={errors.trigger}>
        {(a) => <input {...a} name="trigger" type="number" inputMode="decimal" min={0} step="any" required />}
      </Field>
      <button type="submit" disabled={busy}>
        Add tranche
      </button>
    </form>
  );
}
