// The phases on a timeline (planned dates, status, today), and the chosen phase: who it is for,
// its approval and gate reviews, and the actions the viewer's role may take now.
import { useState } from 'react';
import {
  QUAL_WORD,
  canPropose,
  day,
  money,
  num,
  share,
  timeline,
  yearTicks,
} from '../../lib/rollout/rules.js';
import { itemsOf, type ListOf, type Phase } from '../../lib/rollout/types.js';
import type { Me } from '../../lib/types.js';
import { href } from '../../route.js';
import { OutcomeNotice, Placed, ProblemNotice, StatusBadge, useRollout, type Outcome } from './common.js';
import { PhaseActions } from './PhaseActions.js';
import { PhaseForm } from './PhaseForm.js';

export function Phases({ me, selected, editing }: { me: Me; selected: string | null; editing: boolean }) {
  const { data, error, reload } = useRollout<ListOf<Phase>>('/phases');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const phases = itemsOf(data)
    .slice()
    .sort((a, b) => a.order - b.order);
  const chosen = selected && selected !== 'new' ? phases.find((p) => p.id === selected) : undefined;

  return (
    <>
      <div className="fw-bar">
        <h2 id="timeline-h">Phases</h2>
        {canPropose(me.role) && (
          <a className="button secondary" href={href('programme', 'phases', 'new')}>
            Propose a phase
          </a>
        )}
      </div>
      <ProblemNotice problem={error} />
      {data && phases.length === 0 && <p>No phase has been proposed yet.</p>}
      {phases.length > 0 && <Timeline phases={phases} selected={selected} />}
      <OutcomeNotice outcome={outcome} />
      {selected === 'new' && canPropose(me.role) ? (
        <PhaseForm
          phase={null}
          onSaved={(p) => {
            setOutcome({ ok: true, text: `Proposed ${p.name}: it awaits a board member's approval.` });
            reload();
            window.location.hash = href('programme', 'phases', p.id);
          }}
        />
      ) : chosen && editing && chosen.status === 'planned' && canPropose(me.role) ? (
        <PhaseForm
          phase={chosen}
          onSaved={(p) => {
            setOutcome({ ok: true, text: `Saved ${p.name}.` });
            reload();
            window.location.hash = href('programme', 'phases', p.id);
          }}
        />
      ) : chosen ? (
        <PhaseDetail
          phase={chosen}
          me={me}
          onDone={(o) => {
            setOutcome(o);
            reload();
          }}
        />
      ) : selected && data ? (
        <p className="error">No phase {selected}.</p>
      ) : null}
    </>
  );
}

/** Phases in order, each a bar from planned start to planned end; on a phone, label above bar. */
function Timeline({ phases, selected }: { phases: Phase[]; selected: string | null }) {
  const t = timeline(phases);
  const ticks = t.from && t.to ? yearTicks(t.from, t.to) : [];
  return (
    <section aria-labelledby="timeline-h" className="ro-timeline" data-testid="timeline">
      <p className="muted fw-small">
        Planned from {day(t.from?.toISOString())} to {day(t.to?.toISOString())}. Choose a phase for its detail
        and actions.
      </p>
      <div className="ro-axis" aria-hidden="true">
        <span className="ro-axis-label" />
        <span className="ro-track">
          {ticks.map((k) => (
            <Placed key={k.year} left={k.at} className="ro-tick">
              {k.year}
            </Placed>
          ))}
          {t.today !== null && (
            <Placed left={t.today} className="ro-today">
              <span className="ro-today-label">today</span>
            </Placed>
          )}
        </span>
      </div>
      <ol className="ro-phases">
        {phases.map((p) => {
          const bar = t.bars.get(p.id) ?? { left: 0, width: 100 };
          return (
            <li key={p.id} data-phase={p.name} data-status={p.status}>
              <a
                className="ro-axis-label"
                href={href('programme', 'phases', p.id)}
                aria-current={p.id === selected ? 'true' : undefined}
              >
                <span className="ro-phase-name">
                  {p.order}. {p.name}
                </span>
                <span className="ro-phase-meta">
                  <StatusBadge status={p.status} /> {day(p.plannedStart)} – {day(p.plannedEnd)}
                </span>
              </a>
              <span className="ro-track" aria-hidden="true">
                <Placed left={bar.left} width={bar.width} className={`ro-bar ro-bar-${p.status}`} />
                {t.today !== null && <Placed left={t.today} className="ro-today" />}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const eligibility = (p: Phase) => {
  const parts = [
    p.rule.qualifications.length
      ? `qualified ${p.rule.qualifications.map((q) => QUAL_WORD[q] ?? q).join(' or ')}`
      : '',
    p.rule.teams.length ? `in team ${p.rule.teams.join(' or ')}` : '',
    p.rule.stations.length ? `at ${p.rule.stations.join(' or ')}` : '',
  ].filter(Boolean);
  return parts.length ? `Active officers ${parts.join(', ')}` : 'Every active officer';
};

function PhaseDetail({ phase: p, me, onDone }: { phase: Phase; me: Me; onDone: (o: Outcome) => void }) {
  return (
    <section
      aria-labelledby="phase-h"
      className="card ro-detail"
      data-testid="phase-detail"
      data-status={p.status}
    >
      <div className="fw-bar">
        <h2 id="phase-h">
          {p.order}. {p.name}
        </h2>
        <StatusBadge status={p.status} />
      </div>
      {p.description && <p>{p.description}</p>}
      <dl>
        <dt>Who</dt>
        <dd>{eligibility(p)}</dd>
        <dt>Target</dt>
        <dd>{num(p.targetHeadcount)} officers</dd>
        <dt>Planned</dt>
        <dd>
          {day(p.plannedStart)} – {day(p.plannedEnd)}
        </dd>
        <dt>Issue</dt>
        <dd>
          {p.issueMode === 'personal' ? 'Personal issue' : 'Pool at the station'}, {p.sparePercent}% spare
        </dd>
        <dt>Proposed by</dt>
        <dd>
          {p.createdBy}, {day(p.createdAt)}
        </dd>
        <dt>Committed</dt>
        <dd>{p.committed == null ? 'Not yet (committed at approval)' : money(p.committed)}</dd>
        {p.approval && (
          <>
            <dt>Approved</dt>
            <dd>
              by {p.approval.by}, {day(p.approval.at)}
              {p.approval.override && (
                <span className="ro-override" data-testid="override">
                  {' '}
                  — without released funds, overridden by {p.approval.override.by}: “
                  {p.approval.override.reason}”
                </span>
              )}
            </dd>
          </>
        )}
        {p.activatedAt && (
          <>
            <dt>Activated</dt>
            <dd>{day(p.activatedAt)}</dd>
          </>
        )}
        {p.completedAt && (
          <>
            <dt>Completed</dt>
            <dd>{day(p.completedAt)}</dd>
          </>
        )}
      </dl>
      <p className="fw-buttons">
        <a href={href('programme', 'planner', p.id)}>Plan cameras and docks for this phase</a>
      </p>
      <PhaseActions phase={p} me={me} onDone={onDone} />
      <h3>Gate reviews</h3>
      {p.gateReviews.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ol className="ro-gates" data-testid="gate-reviews">
          {p.gateReviews.map((g) => (
            <li key={g.at}>
              <p>
                <strong className={`ro-decision ro-decision-${g.decision}`}>{g.decision}</strong> —{' '}
                {day(g.at)} by {g.by}
              </p>
              <p>{g.rationale}</p>
              <details>
                <summary>Metrics as they were at the review</summary>
                <dl className="fw-small">
                  <dt>Officers equipped</dt>
                  <dd>
                    {num(g.metrics.officersEquipped)} of {num(g.metrics.officersInScope)}
                  </dd>
                  <dt>Readiness</dt>
                  <dd>{share(g.metrics.readinessShare)}</dd>
                  <dt>Desk availability</dt>
                  <dd>{share(g.metrics.deskAvailability)}</dd>
                  <dt>Evidential share</dt>
                  <dd>{share(g.metrics.evidentialShare)}</dd>
                  <dt>Cost per equipped officer</dt>
                  <dd>{money(g.metrics.costPerEquippedOfficer)}</dd>
                </dl>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
