// The published report's data (ReportSource): the phases with their gate and measures, the
// programme's money, and the monthly curves, gathered from the phase directory, the budget and the
// measures. Aggregates only: force-wide totals per month and per phase, never a station, an
// officer or a camera (suppression of small counts is the renderer's, reports.suppress.ts).
import {
  dayStart,
  equippedBetween,
  monthEnd,
  monthKey,
  monthsBetween,
  per100,
  plannedEquipped,
  readinessShare,
} from './metrics.maths.js';
import type { MeasuresHistory } from './metrics.history.js';
import type { RolloutMetrics } from './metrics.service.js';
import {
  isEligible,
  type BudgetReader,
  type ConcernCategory,
  type ConcernOutcome,
  type PhaseDirectory,
  type ReportInput,
  type ReportSource,
} from './rollout.types.js';

/** The concerns log, counted (helper P's concerns; wired at composition). */
export interface ConcernCounts {
  counts(): Promise<Array<{ category: ConcernCategory; outcome: ConcernOutcome; count: number }>>;
}

const STARTED = new Set(['active', 'in-review', 'complete']);
const YEAR_MS = 365 * 86_400_000;
const MAX_YEARS = 10;

export class RolloutReportData implements ReportSource {
  constructor(
    private readonly phases: PhaseDirectory,
    private readonly budget: BudgetReader,
    private readonly metrics: RolloutMetrics,
    private readonly history: MeasuresHistory,
    private readonly concerns: ConcernCounts,
  ) {}

  async gather(at: Date): Promise<ReportInput> {
    const [phases, budget, concerns] = await Promise.all([
      this.phases.list(),
      this.budget.summary(),
      this.concerns.counts(),
    ]);
    phases.sort((a, b) => a.order - b.order);
    // From the first phase's start (activation, else plan) to now; a year back without phases;
    // never more than MAX_YEARS back, so one mistyped date cannot make a report of centuries.
    const starts = phases
      .map((p) => Date.parse(p.activatedAt ?? p.plannedStart))
      .filter((t) => t <= at.getTime());
    const earliest = starts.length > 0 ? Math.min(...starts) : at.getTime() - YEAR_MS;
    const from = new Date(Math.max(earliest, at.getTime() - MAX_YEARS * YEAR_MS));
    const snap = await this.metrics.snapshot(from, at);
    const months = monthsBetween(from, at);
    const endOf = (m: string) => {
      const e = monthEnd(m);
      return e < at ? e : at;
    };

    // In scope now: eligible under any phase that has started.
    const started = phases.filter((p) => STARTED.has(p.status));
    const inScope = new Set(
      snap.officers.filter((o) => started.some((p) => isEligible(o, p.rule))).map((o) => o.number),
    );
    const spans = snap.custody.filter((c) => inScope.has(c.officer));
    const curve = months.map((month) => ({
      month,
      plannedEquipped: phases.reduce((n, p) => n + plannedEquipped(p, endOf(month)), 0),
      actualEquipped: equippedBetween(spans, from, endOf(month)).size,
    }));

    const readinessDays = await this.history.readinessDays({ from, to: at, stations: null });
    const readiness = months.map((month) => ({
      month,
      share: readinessShare(readinessDays.filter((d) => d.day.startsWith(month))),
    }));

    const faults = months.map((month) => {
      const start = dayStart(`${month}-01`);
      const end = endOf(month);
      const cameras = new Set(
        spans
          .filter((s) => s.issuedAt <= end && (s.returnedAt === null || s.returnedAt >= start))
          .map((s) => s.camera),
      );
      const opened = snap.faults.filter(
        (f) => cameras.has(f.camera) && f.openedAt >= start && f.openedAt <= end,
      ).length;
      return { month, faultsPer100: per100(opened, cameras.size) };
    });

    // Cumulative money per month: spend (dated entries, else each phase's spend at its
    // activation), funds released by tranche, and commitments at approval.
    const spendAt: Array<{ month: string; amount: number }> = budget.spendEntries
      ? budget.spendEntries.map((e) => ({ month: monthKey(new Date(e.at)), amount: e.amount }))
      : budget.phases.flatMap((bp) => {
          const p = phases.find((x) => x.id === bp.phase);
          const when = p?.activatedAt ?? p?.approval?.at ?? null;
          return bp.spent > 0
            ? [{ month: when ? monthKey(new Date(when)) : monthKey(at), amount: bp.spent }]
            : [];
        });
    const upTo = (items: Array<{ month: string; amount: number }>, month: string) =>
      items.filter((i) => i.month <= month).reduce((s, i) => s + i.amount, 0);
    const releases = budget.tranches
      .filter((t) => t.released && t.releasedAt)
      .map((t) => ({ month: monthKey(new Date(t.releasedAt!)), amount: t.amount }));
    const commitments = phases
      .filter((p) => p.approval && p.committed !== null)
      .map((p) => ({ month: monthKey(new Date(p.approval!.at)), amount: p.committed! }));
    const spend = months.map((month) => ({
      month,
      spent: upTo(spendAt, month),
      released: upTo(releases, month),
      committed: upTo(commitments, month),
    }));

    const phaseRows = [];
    for (const p of phases) {
      const gate = p.gateReviews.at(-1) ?? null;
      phaseRows.push({
        name: p.name,
        order: p.order,
        status: p.status,
        plannedStart: p.plannedStart,
        plannedEnd: p.plannedEnd,
        targetHeadcount: p.targetHeadcount,
        issueMode: p.issueMode,
        gate: gate && { decision: gate.decision, at: gate.at, rationale: gate.rationale },
        metrics: await this.metrics.compute(p, at, snap),
      });
    }

    return {
      generatedAt: at.toISOString(),
      title: `Body-worn video rollout: progress report, ${monthKey(at)}`,
      period: { from: from.toISOString(), to: at.toISOString() },
      programme: {
        businessCase: budget.businessCase.total,
        released: budget.released,
        committed: budget.committed,
        spent: budget.spent,
        forecastToCompletion: budget.forecastToCompletion,
      },
      phases: phaseRows,
      curve,
      readiness,
      spend,
      faults,
      concerns: concerns.filter((c) => c.count > 0),
    };
  }
}
