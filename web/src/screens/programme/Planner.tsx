// The allocation planner for a chosen phase: per station, eligible officers, peak on shift,
// cameras and dock bays needed, stock and shortfall (highlighted), and the measured availability
// evidence. What-if controls (spare %, issue mode) ask the API again and save nothing.
import { useEffect, useId, useState } from 'react';
import { money, num } from '../../lib/rollout/rules.js';
import { itemsOf, type IssueMode, type ListOf, type Phase, type Plan } from '../../lib/rollout/types.js';
import { href } from '../../route.js';
import { ProblemNotice, useRollout } from './common.js';

/** `value`, once it has stayed the same for `ms` (typing 1, 15, 150 asks once). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export function Planner({ phaseId }: { phaseId: string | null }) {
  const phases = useRollout<ListOf<Phase>>('/phases');
  const list = itemsOf(phases.data)
    .slice()
    .sort((a, b) => a.order - b.order);
  const phase = list.find((p) => p.id === phaseId) ?? list.find((p) => p.status !== 'complete') ?? list[0];

  return (
    <>
      <h2 id="planner-h">Allocation planner</h2>
      <ProblemNotice problem={phases.error} />
      {phases.data && list.length === 0 && <p>No phase to plan yet.</p>}
      {phase && <PhasePlan key={phase.id} phase={phase} phases={list} />}
    </>
  );
}

function PhasePlan({ phase, phases }: { phase: Phase; phases: Phase[] }) {
  const [spare, setSpare] = useState(String(phase.sparePercent));
  const [mode, setMode] = useState<IssueMode>(phase.issueMode);
  const id = useId();
  const spareN = Number(spare);
  const spareOk = spare !== '' && Number.isFinite(spareN) && spareN >= 0 && spareN <= 200;
  const q = useSettled(
    spareOk ? `?phase=${encodeURIComponent(phase.id)}&sparePercent=${spareN}&issueMode=${mode}` : null,
    300,
  );
  const { data: plan, error, loading } = useRollout<Plan>(q ? `/plan${q}` : null);
  const whatIf = mode !== phase.issueMode || (spareOk && spareN !== phase.sparePercent);

  return (
    <section aria-labelledby="planner-h" className="ro-planner">
      <form className="filters" aria-label="Plan settings" onSubmit={(e) => e.preventDefault()}>
        <label>
          Phase
          <select
            value={phase.id}
            onChange={(e) => {
              window.location.hash = href('programme', 'planner', e.target.value);
            }}
          >
            {phases.map((p) => (
              <option key={p.id} value={p.id}>
                {p.order}. {p.name}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-spare`}>
          Spare cameras (%)
          <input
            id={`${id}-spare`}
            type="number"
            inputMode="numeric"
            min={0}
            max={200}
            value={spare}
            aria-invalid={spareOk ? undefined : true}
            aria-describedby={`${id}-whatif`}
            onChange={(e) => setSpare(e.target.value)}
          />
        </label>
        <label>
          Issue mode
          <select value={mode} onChange={(e) => setMode(e.target.value === 'pool' ? 'pool' : 'personal')}>
            <option value="personal">Personal (headcount)</option>
            <option value="pool">Pool (peak on shift)</option>
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          disabled={!whatIf}
          onClick={() => {
            setSpare(String(phase.sparePercent));
            setMode(phase.issueMode);
          }}
        >
          Back to the phase’s own
        </button>
      </form>
      <p
        id={`${id}-whatif`}
        className={whatIf ? 'fw-note' : 'muted'}
        data-testid="what-if"
        aria-live="polite"
      >
        {whatIf
          ? `What-if: ${mode} issue with ${spareOk ? spareN : '?'}% spare. Nothing is saved; the phase keeps ${phase.issueMode} issue with ${phase.sparePercent}% spare.`
          : `The phase’s own plan: ${phase.issueMode} issue with ${phase.sparePercent}% spare.`}
        {!spareOk && ' Spare % must be a number from 0 to 200.'}
      </p>
      <ProblemNotice problem={error} />
      {loading && !plan && <p className="loading">Working it out…</p>}
      {plan && <PlanTables plan={plan} />}
    </section>
  );
}

function PlanTables({ plan }: { plan: Plan }) {
  const short = plan.stations.filter((s) => s.shortfall > 0).length;
  const weeks = plan.availability
    .slice()
    .sort((a, b) => b.week.localeCompare(a.week) || a.station.localeCompare(b.station));
  return (
    <>
      <dl className="stock ro-figures" data-testid="plan-totals">
        <div>
          <dt>Cameras needed</dt>
          <dd>{num(plan.totals.camerasNeeded)}</dd>
        </div>
        <div>
          <dt>Dock bays needed</dt>
          <dd>{num(plan.totals.dockBaysNeeded)}</dd>
        </div>
        <div>
          <dt>In stock</dt>
          <dd>{num(plan.totals.currentStock)}</dd>
        </div>
        <div className={plan.totals.shortfall > 0 ? 'ro-short' : undefined}>
          <dt>Shortfall</dt>
          <dd>{num(plan.totals.shortfall)}</dd>
        </div>
        <div>
          <dt>Estimate</dt>
          <dd>{money(plan.estimate)}</dd>
        </div>
      </dl>
      <p className="muted fw-small">
        One dock bay charges one camera, so bays needed equal cameras needed.{' '}
        {plan.issueMode === 'personal'
          ? 'Personal issue: eligible officers × (1 + spare %).'
          : 'Pool: peak concurrent on-shift eligible officers × (1 + spare %).'}{' '}
        {short > 0 ? `${short} station${short === 1 ? '' : 's'} short.` : 'No station is short.'}
      </p>
      <div className="table-scroll">
        <table className="counts ro-stack" data-testid="plan-table">
          <caption className="visually-hidden">Cameras and dock bays per station</caption>
          <thead>
            <tr>
              <th scope="col">Station</th>
              <th scope="col">Eligible officers</th>
              <th scope="col">Peak on shift</th>
              <th scope="col">Cameras needed</th>
              <th scope="col">Dock bays needed</th>
              <th scope="col">In stock</th>
              <th scope="col">Shortfall</th>
            </tr>
          </thead>
          <tbody>
            {plan.stations.map((s) => (
              <tr
                key={s.station}
                data-station={s.station}
                className={s.shortfall > 0 ? 'fw-row-bad' : undefined}
              >
                <th scope="row">{s.station}</th>
                <td data-label="Eligible officers">{num(s.eligibleOfficers)}</td>
                <td data-label="Peak on shift">{num(s.peakConcurrentOnShift)}</td>
                <td data-label="Cameras needed">{num(s.camerasNeeded)}</td>
                <td data-label="Dock bays needed">{num(s.dockBaysNeeded)}</td>
                <td data-label="In stock">{num(s.currentStock)}</td>
                <td data-label="Shortfall" className={s.shortfall > 0 ? 'fw-bad' : undefined}>
                  {s.shortfall > 0 ? `${num(s.shortfall)} short` : 'none'}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All stations</th>
              <td data-label="Eligible officers">{num(plan.totals.eligibleOfficers)}</td>
              <td data-label="Peak on shift">{num(plan.totals.peakConcurrentOnShift)}</td>
              <td data-label="Cameras needed">{num(plan.totals.camerasNeeded)}</td>
              <td data-label="Dock bays needed">{num(plan.totals.dockBaysNeeded)}</td>
              <td data-label="In stock">{num(plan.totals.currentStock)}</td>
              <td data-label="Shortfall" className={plan.totals.shortfall > 0 ? 'fw-bad' : undefined}>
                {plan.totals.shortfall > 0 ? `${num(plan.totals.shortfall)} short` : 'none'}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <h3 id="evidence-h">Availability evidence</h3>
      <p className="muted fw-small">
        Measured by the platform, per station and week: times a stores desk had no camera to issue, cameras
        issued, and on-shift in-scope officers seen without a working camera.
      </p>
      {weeks.length === 0 ? (
        <p>No availability evidence recorded yet for these stations.</p>
      ) : (
        <div className="table-scroll fw-tall" role="region" aria-labelledby="evidence-h" tabIndex={0}>
          <table className="counts ro-stack fw-compact" data-testid="availability">
            <thead>
              <tr>
                <th scope="col">Week · station</th>
                <th scope="col">Desk had no camera</th>
                <th scope="col">Cameras issued</th>
                <th scope="col">On shift without a camera</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr
                  key={`${w.week}|${w.station}`}
                  className={w.deskNoCamera > 0 || w.onShiftWithoutCamera > 0 ? 'fw-row-bad' : undefined}
                >
                  <th scope="row">
                    {w.week} · {w.station}
                  </th>
                  <td data-label="Desk had no camera" className={w.deskNoCamera > 0 ? 'fw-bad' : undefined}>
                    {num(w.deskNoCamera)}
                  </td>
                  <td data-label="Cameras issued">{num(w.deskIssues)}</td>
                  <td
                    data-label="On shift without a camera"
                    className={w.onShiftWithoutCamera > 0 ? 'fw-bad' : undefined}
                  >
                    {num(w.onShiftWithoutCamera)}
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
