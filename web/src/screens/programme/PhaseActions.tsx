// What a person may do to a phase now: edit it while planned, approve it (and, when refused as
// unfunded, a board member may approve it anyway with a reason), activate it, open its gate review,
// and decide the gate with a rationale. The proposer is told why they cannot approve (two-person
// rule); the auditor is offered nothing.
import { useState, type FormEvent } from 'react';
import type { Problem } from '../../api.js';
import { canOverrideFunding, phaseActions } from '../../lib/rollout/rules.js';
import { GATE_DECISIONS, type GateDecision, type Phase } from '../../lib/rollout/types.js';
import type { Me } from '../../lib/types.js';
import { href } from '../../route.js';
import { formText, ProblemNotice, send, slugOf, type Outcome } from './common.js';

const DECISION_HINT: Record<GateDecision, string> = {
  proceed: 'Proceed: benefits and affordability confirmed; the phase completes.',
  extend: 'Extend: the phase runs on (back to active) before another review.',
  hold: 'Hold: the phase stays in review; nothing moves on.',
};

type Step = null | 'activate' | 'gate';

export function PhaseActions({
  phase: p,
  me,
  onDone,
}: {
  phase: Phase;
  me: Me;
  onDone: (o: Outcome) => void;
}) {
  const can = phaseActions(p, me);
  const [step, setStep] = useState<Step>(null);
  const [unfunded, setUnfunded] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/phases/${encodeURIComponent(p.id)}`;

  const run = async (action: string, text: string, body: unknown = {}) => {
    setBusy(true);
    const r = await send(`${path}/${action}`, 'POST', body);
    setBusy(false);
    if (r.ok) {
      setStep(null);
      setUnfunded(null);
      onDone({ ok: true, text });
    } else if (action === 'approve' && slugOf(r.problem) === 'rollout-unfunded') {
      // Shown here, beside the override it offers, not as the page's outcome.
      setUnfunded(r.problem);
      onDone(null);
    } else {
      onDone({ ok: false, problem: r.problem });
    }
  };

  const override = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const reason = formText(new FormData(e.currentTarget), 'reason');
    void run(
      'approve',
      `Approved ${p.name} without released funds; the override and its reason are audited.`,
      {
        override: { reason },
      },
    );
  };

  const gate = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const decision = formText(f, 'decision') as GateDecision;
    void run('gate', `Gate decision recorded: ${decision}.`, {
      decision,
      rationale: formText(f, 'rationale'),
    });
  };

  if (!can.edit && !can.approve && !can.ownProposal && !can.activate && !can.review && !can.gate) return null;

  return (
    <section aria-labelledby="phase-actions-h" className="fw-actions">
      <h3 id="phase-actions-h">Actions</h3>
      {can.ownProposal && (
        <p className="fw-note" data-testid="two-person">
          You proposed this phase, so another board member must approve it: the two-person rule.
        </p>
      )}
      {unfunded && (
        <div data-testid="unfunded">
          <ProblemNotice problem={unfunded} />
          {canOverrideFunding(me.role) && (
            <form className="fw-inline-form" onSubmit={override} aria-label="Approve without released funds">
              <label>
                Reason for approving without released funds (at least 10 characters; audited)
                <textarea name="reason" required minLength={10} maxLength={1000} rows={3} />
              </label>
              <div className="fw-buttons">
                <button type="submit" className="danger" disabled={busy}>
                  Approve with override
                </button>
                <button type="button" className="secondary" onClick={() => setUnfunded(null)}>
                  Do not approve
                </button>
              </div>
            </form>
          )}
        </div>
      )}
      {step === 'activate' ? (
        <div className="fw-inline-form" role="group" aria-label="Confirm activation">
          <p>
            Activate {p.name}? Its eligible officers come into scope now: readiness counts them, and stores
            get their issue list.
          </p>
          <div className="fw-buttons">
            <button
              type="button"
              disabled={busy}
              onClick={() => void run('activate', `${p.name} is active: its officers are in scope.`)}
            >
              Yes, activate
            </button>
            <button type="button" className="secondary" onClick={() => setStep(null)}>
              No
            </button>
          </div>
        </div>
      ) : step === 'gate' ? (
        <form className="fw-inline-form" onSubmit={gate} aria-label="Gate decision">
          <fieldset className="ro-decisions">
            <legend>Decision</legend>
            {GATE_DECISIONS.map((d) => (
              <label key={d} className="inline">
                <input type="radio" name="decision" value={d} required />
                {DECISION_HINT[d]}
              </label>
            ))}
          </fieldset>
          <label>
            Rationale (the benefits and affordability found)
            <textarea name="rationale" required minLength={10} maxLength={4000} rows={4} />
          </label>
          <div className="fw-buttons">
            <button type="submit" disabled={busy}>
              Record gate decision
            </button>
            <button type="button" className="secondary" onClick={() => setStep(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="fw-buttons">
          {can.edit && (
            <a className="button secondary" href={href('programme', 'phases', p.id, 'edit')}>
              Edit phase
            </a>
          )}
          {can.approve && !unfunded && (
            <button
              type="button"
              disabled={busy}
              onClick={() => void run('approve', `Approved ${p.name}: its estimate is now committed.`)}
            >
              Approve phase
            </button>
          )}
          {can.activate && (
            <button type="button" disabled={busy} onClick={() => setStep('activate')}>
              Activate…
            </button>
          )}
          {can.review && (
            <button
              type="button"
              disabled={busy}
              onClick={() => void run('review', `${p.name} is in review: a board member decides the gate.`)}
            >
              Start gate review
            </button>
          )}
          {can.gate && (
            <button type="button" disabled={busy} onClick={() => setStep('gate')}>
              Decide the gate…
            </button>
          )}
        </div>
      )}
    </section>
  );
}
