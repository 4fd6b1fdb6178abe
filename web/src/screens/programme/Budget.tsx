// The money: the business case, released funds, committed, spent, headroom and forecast; the
// tranches (each released only when recorded savings reach its trigger) as bars a reader takes in
// at a glance; spend against budget per phase; the cost lines behind the estimates; and the forms
// to record savings (programme lead, board) and spend (programme lead); and the set-up of the case,
// cost lines and tranches (BudgetSetup.tsx).
import { useState, type FormEvent } from 'react';
import { canRecordSavings, canRecordSpend, day, money, shortMoney } from '../../lib/rollout/rules.js';
import type { Budget as BudgetT, CostKind } from '../../lib/rollout/types.js';
import type { Me } from '../../lib/types.js';
import {
  formText,
  OutcomeNotice,
  Placed,
  send,
  ProblemNotice,
  StatusBadge,
  useRollout,
  type Outcome,
} from './common.js';
import { BudgetSetup, KIND_WORD, UNIT_WORD } from './BudgetSetup.js';

const pct = (part: number, whole: number) =>
  whole > 0 ? Math.max(0, Math.min(100, (part / whole) * 100)) : 0;
/** A marker's class: its label centred on it, or kept inside the bar near either end. */
const marker = (at: number) => `ro-marker${at > 85 ? ' ro-end' : at < 15 ? ' ro-start' : ''}`;
const today = () => new Date().toISOString().slice(0, 10);

export function Budget({ me }: { me: Me }) {
  const { data: b, error, reload } = useRollout<BudgetT>('/budget');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const done = (o: Outcome) => {
    setOutcome(o);
    if (o?.ok) reload();
  };
  return (
    <>
      <h2>Budget</h2>
      <ProblemNotice problem={error} />
      <OutcomeNotice outcome={outcome} />
      {b && (
        <>
          <dl className="stock ro-figures" data-testid="budget-figures">
            <div>
              <dt>Business case</dt>
              <dd>{money(b.businessCase.total)}</dd>
            </div>
            <div>
              <dt>Released</dt>
              <dd>{money(b.released)}</dd>
            </div>
            <div>
              <dt>Committed</dt>
              <dd>{money(b.committed)}</dd>
            </div>
            <div>
              <dt>Spent</dt>
              <dd>{money(b.spent)}</dd>
            </div>
            <div className={b.headroom < 0 ? 'ro-short' : undefined}>
              <dt>Headroom</dt>
              <dd>{money(b.headroom)}</dd>
            </div>
            <div>
              <dt>Forecast to completion</dt>
              <dd>{money(b.forecastToCompletion)}</dd>
            </div>
          </dl>
          <p className="muted fw-small">
            {b.businessCase.years}-year business case{b.businessCase.note ? `: ${b.businessCase.note}` : ''}.
            Headroom is released funds less committed.
          </p>
          <Tranches budget={b} />
          <SpendAgainstBudget budget={b} />
          {(canRecordSavings(me.role) || canRecordSpend(me.role)) && (
            <div className="cards ro-forms">
              {canRecordSavings(me.role) && <SavingsForm onDone={done} />}
              {canRecordSpend(me.role) && <SpendForm budget={b} onDone={done} />}
            </div>
          )}
          <CostLines budget={b} />
          <BudgetSetup me={me} budget={b} onDone={done} />
        </>
      )}
    </>
  );
}

/**
 * The tranches at a glance, on two bars: the funds, split into tranches (released green, locked
 * hatched), and the recorded savings against each tranche's trigger. The list under them says the
 * same in words (amount, trigger, released or how much more must be saved).
 */
function Tranches({ budget: b }: { budget: BudgetT }) {
  const tranches = b.tranches.slice().sort((x, y) => x.trigger - y.trigger);
  const funds = Math.max(
    b.businessCase.total,
    tranches.reduce((a, t) => a + t.amount, 0),
    1,
  );
  const scale = Math.max(b.savings.total, ...tranches.map((t) => t.trigger), 1) * 1.05;
  const next = tranches.find((t) => !t.released);
  // Where each tranche's segment starts: the amounts of the tranches before it.
  const starts = tranches.map((_, i) => tranches.slice(0, i).reduce((a, t) => a + t.amount, 0));
  return (
    <section aria-labelledby="tranches-h" className="ro-chart" data-testid="tranches">
      <h3 id="tranches-h">Funding tranches</h3>
      <p>
        Released {money(b.released)} of {money(funds)}; recorded savings {money(b.savings.total)}.{' '}
        {next
          ? `${next.name} is released when savings reach ${money(next.trigger)}: ${money(next.trigger - b.savings.total)} to go.`
          : 'Every tranche is released.'}
      </p>
      <div className="ro-tranche-chart" aria-hidden="true">
        <span className="ro-chart-label">Funds by tranche</span>
        <span className="ro-track ro-track-bar">
          {tranches.map((t, i) => {
            return (
              <Placed
                key={t.id}
                left={pct(starts[i] ?? 0, funds)}
                width={pct(t.amount, funds)}
                className={t.released ? 'ro-seg ro-seg-released' : 'ro-seg ro-seg-locked'}
              >
                <span className="ro-seg-label">
                  {t.name} {shortMoney(t.amount)}
                </span>
              </Placed>
            );
          })}
        </span>
        <span className="ro-chart-label">Recorded savings against triggers</span>
        <span className="ro-track ro-track-bar">
          <Placed left={0} width={pct(b.savings.total, scale)} className="ro-fill ro-fill-savings" />
          {tranches
            .filter((t) => t.trigger > 0)
            .map((t) => (
              <Placed key={t.id} left={pct(t.trigger, scale)} className={marker(pct(t.trigger, scale))}>
                <span className="ro-marker-label">
                  {t.name.replace(/^Tranche\s*/i, 'T')} {shortMoney(t.trigger)}
                </span>
              </Placed>
            ))}
        </span>
        <span className="ro-key">
          <span className="ro-key-released">Released</span> <span className="ro-key-locked">Locked</span>{' '}
          <span className="ro-key-savings">Recorded savings</span>{' '}
          <span className="ro-key-trigger">Trigger</span>
        </span>
      </div>
      {tranches.length === 0 ? (
        <p>No tranche is set.</p>
      ) : (
        <ul className="ro-rows">
          {tranches.map((t) => (
            <li key={t.id} data-tranche={t.name} data-released={t.released}>
              <strong>{t.name}</strong> · {money(t.amount)} · trigger {money(t.trigger)} ·{' '}
              <span className={t.released ? 'ro-released' : 'ro-locked'}>
                {t.released
                  ? `released ${day(t.releasedAt)}`
                  : `locked: ${money(Math.max(0, t.trigger - b.savings.total))} more savings release it`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The programme's spend against the business case, and each phase's estimate, committed and spent. */
function SpendAgainstBudget({ budget: b }: { budget: BudgetT }) {
  const whole = Math.max(b.businessCase.total, b.forecastToCompletion, b.committed, 1);
  return (
    <section aria-labelledby="spend-h" className="ro-chart" data-testid="spend">
      <h3 id="spend-h">Spend against budget</h3>
      <p className="ro-row-text">
        Spent {money(b.spent)} of {money(b.committed)} committed and {money(b.released)} released; business
        case {money(b.businessCase.total)}; forecast {money(b.forecastToCompletion)}
        {b.forecastToCompletion > b.businessCase.total && (
          <strong className="fw-bad">
            {' '}
            — over the business case by {money(b.forecastToCompletion - b.businessCase.total)}
          </strong>
        )}
        .
      </p>
      <span className="ro-track ro-track-bar ro-track-tall" aria-hidden="true">
        <Placed left={0} width={pct(b.committed, whole)} className="ro-fill ro-fill-committed" />
        <Placed left={0} width={pct(b.spent, whole)} className="ro-fill ro-fill-spent" />
        <Placed
          left={pct(b.released, whole)}
          className={`${marker(pct(b.released, whole))} ro-marker-released`}
        >
          <span className="ro-marker-label ro-above">released</span>
        </Placed>
        <Placed left={pct(b.businessCase.total, whole)} className={marker(pct(b.businessCase.total, whole))}>
          <span className="ro-marker-label">case</span>
        </Placed>
      </span>
      <p className="ro-key" aria-hidden="true">
        <span className="ro-key-spent">Spent</span> <span className="ro-key-committed">Committed</span>
      </p>
      <div className="table-scroll">
        <table className="counts ro-stack" data-testid="spend-table">
          <caption className="visually-hidden">Estimate, committed and spent per phase</caption>
          <thead>
            <tr>
              <th scope="col">Phase</th>
              <th scope="col">Status</th>
              <th scope="col">Estimate</th>
              <th scope="col">Committed</th>
              <th scope="col">Spent</th>
            </tr>
          </thead>
          <tbody>
            {b.phases.map((p) => {
              const over = p.committed != null && p.spent > p.committed;
              return (
                <tr key={p.phase} className={over ? 'fw-row-bad' : undefined}>
                  <th scope="row">{p.name}</th>
                  <td data-label="Status">
                    <StatusBadge status={p.status} />
                  </td>
                  <td data-label="Estimate">{money(p.estimate)}</td>
                  <td data-label="Committed">{money(p.committed)}</td>
                  <td data-label="Spent" className={over ? 'fw-bad' : undefined}>
                    {money(p.spent)}
                    {over && ' (over committed)'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CostLines({ budget: b }: { budget: BudgetT }) {
  return (
    <section aria-labelledby="costs-h">
      <h3 id="costs-h">Cost lines behind the estimates</h3>
      {b.costLines.length === 0 ? (
        <p>No cost line is set.</p>
      ) : (
        <ul className="ro-costs">
          {b.costLines.map((c) => (
            <li key={c.kind}>
              <strong>{c.label || KIND_WORD[c.kind]}</strong>: {money(c.unitCost)} {UNIT_WORD[c.kind]}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SavingsForm({ onDone }: { onDone: (o: Outcome) => void }) {
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setBusy(true);
    const r = await send('/budget/savings', 'POST', {
      amount: Number(formText(f, 'amount')),
      note: formText(f, 'note'),
      at: `${formText(f, 'at')}T12:00:00.000Z`,
    });
    setBusy(false);
    if (r.ok) {
      form.reset();
      onDone({ ok: true, text: 'Savings recorded: any tranche whose trigger they reach is released.' });
    } else onDone({ ok: false, problem: r.problem });
  };
  return (
    <form className="card fw-window-form" aria-labelledby="savings-h" onSubmit={(e) => void submit(e)}>
      <h3 id="savings-h">Record savings</h3>
      <label>
        Amount saved (£)
        <input name="amount" type="number" inputMode="decimal" min={1} step="any" required />
      </label>
      <label>
        Where the saving came from
        <input name="note" required maxLength={300} />
      </label>
      <label>
        Date
        <input name="at" type="date" required defaultValue={today()} />
      </label>
      <button type="submit" disabled={busy}>
        Record savings
      </button>
    </form>
  );
}

function SpendForm({ budget: b, onDone }: { budget: BudgetT; onDone: (o: Outcome) => void }) {
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setBusy(true);
    const r = await send('/budget/spend', 'POST', {
      phase: formText(f, 'phase'),
      kind: formText(f, 'kind'),
      amount: Number(formText(f, 'amount')),
      note: formText(f, 'note'),
      at: `${formText(f, 'at')}T12:00:00.000Z`,
    });
    setBusy(false);
    if (r.ok) {
      form.reset();
      onDone({ ok: true, text: 'Spend recorded.' });
    } else onDone({ ok: false, problem: r.problem });
  };
  return (
    <form className="card fw-window-form" aria-labelledby="spend-form-h" onSubmit={(e) => void submit(e)}>
      <h3 id="spend-form-h">Record spend</h3>
      <label>
        Phase
        <select name="phase" required>
          {b.phases.map((p) => (
            <option key={p.phase} value={p.phase}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        On
        <select name="kind" required>
          {(Object.keys(KIND_WORD) as CostKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_WORD[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Amount (£)
        <input name="amount" type="number" inputMode="decimal" min={1} step="any" required />
      </label>
      <label>
        Note (invoice or order)
        <input name="note" required maxLength={300} />
      </label>
      <label>
        Date
        <input name="at" type="date" required defaultValue={today()} />
      </label>
      <button type="submit" disabled={busy}>
        Record spend
      </button>
    </form>
  );
}
