// Metrics per phase, computed by the platform from its own records (never typed in): one column
// per phase that has started, one row per measure. On a phone each measure becomes a card listing
// the phases. A phase whose live metrics cannot be had shows its last gate review's frozen snapshot.
import { useEffect, useState } from 'react';
import { api } from '../../api.js';
import { day, money, num, share } from '../../lib/rollout/rules.js';
import { itemsOf, type ListOf, type Phase, type PhaseMetrics } from '../../lib/rollout/types.js';
import { BASE, ProblemNotice, StatusBadge, useRollout } from './common.js';

interface Column {
  phase: Phase;
  metrics: PhaseMetrics | null;
  /** 'live': GET /rollout/phases/:id/metrics; 'gate': the last gate review's snapshot. */
  source: 'live' | 'gate' | null;
}

const MEASURES: Array<{ label: string; hint?: string; show: (m: PhaseMetrics) => string }> = [
  { label: 'Officers equipped', show: (m) => `${num(m.officersEquipped)} of ${num(m.officersInScope)}` },
  {
    label: 'Readiness',
    hint: 'share of in-scope on-shift officer-hours with a working camera',
    show: (m) => share(m.readinessShare),
  },
  {
    label: 'Desk availability',
    hint: 'issue attempts that found a camera',
    show: (m) => share(m.deskAvailability),
  },
  { label: 'Desk had no camera', show: (m) => num(m.deskNoCamera) },
  { label: 'Clips offloaded', show: (m) => num(m.clipsOffloaded) },
  { label: 'Hours recorded', show: (m) => num(m.hoursRecorded, 1) },
  { label: 'Marked evidential', show: (m) => share(m.evidentialShare) },
  { label: 'Clips redacted', show: (m) => num(m.clipsRedacted) },
  { label: 'Faults per 100 cameras', show: (m) => num(m.faultsPer100Cameras, 1) },
  { label: 'Losses per 100 cameras', show: (m) => num(m.lossesPer100Cameras, 1) },
  { label: 'Spent', show: (m) => money(m.spent) },
  { label: 'Cost per equipped officer', show: (m) => money(m.costPerEquippedOfficer) },
];

export function Metrics() {
  const { data, error } = useRollout<ListOf<Phase>>('/phases');
  const [columns, setColumns] = useState<Column[] | null>(null);

  useEffect(() => {
    if (!data) return;
    let current = true;
    const started = itemsOf(data)
      .filter((p) => p.status === 'active' || p.status === 'in-review' || p.status === 'complete')
      .sort((a, b) => a.order - b.order);
    void Promise.all(
      started.map(async (phase): Promise<Column> => {
        try {
          const metrics = await api<PhaseMetrics>(`${BASE}/phases/${encodeURIComponent(phase.id)}/metrics`);
          return { phase, metrics, source: 'live' };
        } catch {
          const last = phase.gateReviews.at(-1);
          return { phase, metrics: last?.metrics ?? null, source: last ? 'gate' : null };
        }
      }),
    ).then((c) => current && setColumns(c));
    return () => {
      current = false;
    };
  }, [data]);

  return (
    <>
      <h2 id="metrics-h">Metrics per phase</h2>
      <p className="muted fw-small">
        Computed from the platform’s own records: check-outs, readiness, the stores desks, clips, faults and
        recorded spend. Nothing here is typed in.
      </p>
      <ProblemNotice problem={error} />
      {columns && columns.length === 0 && <p>No phase has started yet: metrics begin at activation.</p>}
      {columns && columns.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby="metrics-h" tabIndex={0}>
          <table className="counts ro-stack" data-testid="metrics">
            <thead>
              <tr>
                <th scope="col">Measure</th>
                {columns.map((c) => (
                  <th scope="col" key={c.phase.id} data-phase={c.phase.name}>
                    {c.phase.name} <StatusBadge status={c.phase.status} />
                    <span className="muted fw-small ro-period">
                      {c.metrics
                        ? `${day(c.metrics.from)} – ${day(c.metrics.to)}${c.source === 'gate' ? ' (at its gate review)' : ''}`
                        : 'not measured'}
                    </span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {MEASURES.map((m) => (
                <tr key={m.label}>
                  <th scope="row">
                    {m.label}
                    {m.hint && <span className="muted fw-small ro-period">{m.hint}</span>}
                  </th>
                  {columns.map((c) => (
                    <td key={c.phase.id} data-label={c.phase.name}>
                      {c.metrics ? m.show(c.metrics) : '—'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
