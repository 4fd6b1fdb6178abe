// A campaign's or a wave's progress: a bar of finished devices (succeeded, failed, canceled) and,
// beside it, how many are in each state. The bar's widths are set through the CSSOM (the page's
// CSP allows no inline style attributes).
import { breakdown, tally } from '../../lib/firmware/progress.js';
import type { StateCounts } from '../../lib/firmware/types.js';

const width = (part: number, total: number) => (el: HTMLElement | null) =>
  el?.style.setProperty('width', `${total ? (part / total) * 100 : 0}%`);

export function ProgressBar({ counts, total, label }: { counts: StateCounts; total: number; label: string }) {
  const t = tally(counts, total);
  return (
    <div
      className="fw-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={t.total}
      aria-valuenow={t.finished}
      aria-valuetext={`${t.finished} of ${t.total} finished: ${t.succeeded} succeeded, ${t.failed} failed`}
    >
      <span className="fw-seg fw-seg-ok" ref={width(t.succeeded, t.total)} />
      <span className="fw-seg fw-seg-bad" ref={width(t.failed, t.total)} />
      <span className="fw-seg fw-seg-off" ref={width(t.canceled, t.total)} />
      <span className="fw-seg fw-seg-busy" ref={width(t.inFlight, t.total)} />
    </div>
  );
}

/** Each state with a device in it and how many: "downloading 3". */
export function StateCounts({ counts, testId }: { counts: StateCounts; testId?: string }) {
  const rows = breakdown(counts);
  if (rows.length === 0) return <p className="muted">No device yet.</p>;
  return (
    <dl className="fw-states" data-testid={testId}>
      {rows.map((r) => (
        <div key={r.state} className={`fw-st-${r.state}`} data-state={r.state}>
          <dt>{r.label}</dt>
          <dd>{r.count}</dd>
        </div>
      ))}
    </dl>
  );
}
