// The programme's budget (docs/rollout.md "Budget"): the business case and cost lines (board),
// tranches released by recorded savings, spend per phase, and the totals: released, committed,
// spent, headroom, forecast to completion. A tranche is released by whoever first inserts its
// release document, so concurrent savings release (and audit) it once.
import { randomBytes } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import { notFound } from '../errors.js';
import type { DomainEventBus } from '../events/index.js';
import type { ActionContext } from '../shared/index.js';
import type { BudgetDoc } from './budget.model.js';
import type { BudgetRepository } from './budget.repository.js';
import { dueTranches, programmeTotals } from './budget.rules.js';
import type { CaseInput, CostLinesInput, SavingsInput, SpendInput, TrancheInput } from './budget.schemas.js';
import { gbp } from './phases.service.js';
import type { Budget, BudgetReader, CostLine, Phase, PhaseDirectory, Tranche } from './rollout.types.js';

const EMPTY: Pick<BudgetDoc, 'businessCase' | 'costLines'> = {
  businessCase: { total: 0, years: 1, note: '' },
  costLines: [],
};
const newId = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

export class BudgetService implements BudgetReader {
  constructor(
    private readonly repo: BudgetRepository,
    private readonly phases: PhaseDirectory,
    /** Each phase's current estimate (£), all read from one look at the registers. */
    private readonly estimates: (phases: Phase[]) => Promise<number[]>,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
  ) {}

  async costLines(): Promise<CostLine[]> {
    return (await this.repo.get())?.costLines ?? [];
  }

  async released(): Promise<number> {
    const [tranches, releases] = await Promise.all([this.repo.listTranches(), this.repo.listReleases()]);
    const done = new Set(releases.map((r) => r._id));
    return tranches.filter((t) => done.has(t._id)).reduce((a, t) => a + t.amount, 0);
  }

  async summary(): Promise<Budget> {
    const [doc, tranches, releases, savings, spend, phases] = await Promise.all([
      this.repo.get(),
      this.repo.listTranches(),
      this.repo.listReleases(),
      this.repo.listSavings(),
      this.repo.listSpend(),
      this.phases.list(),
    ]);
    const b = doc ?? EMPTY;
    const releasedAt = new Map(releases.map((r) => [r._id, r.at]));
    const trancheView = tranches.map((t): Tranche => ({
      id: t._id,
      name: t.name,
      amount: t.amount,
      trigger: t.trigger,
      released: releasedAt.has(t._id),
      releasedAt: releasedAt.get(t._id)?.toISOString() ?? null,
    }));
    const released = trancheView.filter((t) => t.released).reduce((a, t) => a + t.amount, 0);
    const spentBy = new Map<string, number>();
    for (const s of spend) spentBy.set(s.phase, (spentBy.get(s.phase) ?? 0) + s.amount);
    const known = new Set(phases.map((p) => p.id));
    const unassigned = spend.filter((s) => !known.has(s.phase)).reduce((a, s) => a + s.amount, 0);
    const estimates = await this.estimates(phases);
    const rows = phases.map((p, i) => ({
      phase: p.id,
      name: p.name,
      status: p.status,
      estimate: p.committed ?? estimates[i] ?? 0,
      committed: p.committed,
      spent: spentBy.get(p.id) ?? 0,
    }));
    const totals = programmeTotals(rows, unassigned);
    return {
      businessCase: { ...b.businessCase, currency: 'GBP' },
      costLines: b.costLines,
      tranches: trancheView,
      savings: {
        total: savings.reduce((a, s) => a + s.amount, 0),
        entries: savings.map((s) => ({
          id: s._id,
          amount: s.amount,
          note: s.note,
          at: s.at.toISOString(),
          by: s.by,
        })),
      },
      released,
      committed: totals.committed,
      spent: totals.spent,
      headroom: released - totals.committed,
      forecastToCompletion: totals.forecastToCompletion,
      phases: rows,
    };
  }

  async setCase(input: CaseInput, ctx: ActionContext): Promise<Budget> {
    await this.repo.put({ businessCase: input }, EMPTY);
    await this.audit.record(ctx, {
      action: 'rollout.budget.case',
      target: { kind: 'rollout-budget', id: 'budget' },
      summary: `Business case set: ${gbp(input.total)} over ${input.years} years`,
      changes: input,
    });
    this.events.publish('rollout.budget-changed', { change: 'case', tranche: null });
    return this.summary();
  }

  async setCostLines(lines: CostLinesInput, ctx: ActionContext): Promise<Budget> {
    await this.repo.put({ costLines: lines }, EMPTY);
    await this.audit.record(ctx, {
      action: 'rollout.budget.cost-lines',
      target: { kind: 'rollout-budget', id: 'budget' },
      summary: `Cost lines set (${lines.length})`,
      changes: { costLines: lines },
    });
    this.events.publish('rollout.budget-changed', { change: 'cost-lines', tranche: null });
    return this.summary();
  }

  /** `at`: when a tranche released on being added (trigger reached already) counts as released. */
  async addTranche(input: TrancheInput, ctx: ActionContext, at = new Date()): Promise<Tranche> {
    const id = newId('tr');
    await this.repo.insertTranche({ _id: id, ...input });
    await this.audit.record(ctx, {
      action: 'rollout.budget.tranche-add',
      target: { kind: 'rollout-tranche', id },
      summary: `Tranche "${input.name}" of ${gbp(input.amount)}, released when savings reach ${gbp(input.trigger)}`,
      changes: input,
    });
    this.events.publish('rollout.budget-changed', { change: 'tranche-added', tranche: id });
    await this.releaseDue(ctx, at);
    return this.tranche(id);
  }

  async recordSavings(input: SavingsInput, ctx: ActionContext): Promise<Budget> {
    const id = newId('sv');
    const at = input.at ?? new Date();
    await this.repo.insertSaving({ _id: id, amount: input.amount, note: input.note, at, by: ctx.actor.id });
    await this.audit.record(ctx, {
      action: 'rollout.budget.savings',
      target: { kind: 'rollout-savings', id },
      summary: `Savings of ${gbp(input.amount)} recorded`,
      changes: { amount: input.amount, note: input.note, at: at.toISOString() },
    });
    this.events.publish('rollout.budget-changed', { change: 'savings', tranche: null });
    await this.releaseDue(ctx);
    return this.summary();
  }

  async recordSpend(input: SpendInput, ctx: ActionContext): Promise<Budget> {
    const phase = await this.phases.get(input.phase);
    if (!phase) throw notFound('rollout-phase', input.phase);
    const id = newId('sp');
    const at = input.at ?? new Date();
    await this.repo.insertSpend({ _id: id, ...input, at, by: ctx.actor.id });
    await this.audit.record(ctx, {
      action: 'rollout.budget.spend',
      target: { kind: 'rollout-spend', id },
      summary: `Spend of ${gbp(input.amount)} on ${input.kind} for phase "${phase.name}"`,
      changes: {
        phase: input.phase,
        kind: input.kind,
        amount: input.amount,
        note: input.note,
        at: at.toISOString(),
      },
    });
    this.events.publish('rollout.budget-changed', { change: 'spend', tranche: null });
    return this.summary();
  }

  /** Spend recorded against a phase up to `at` (£). */
  async spentOn(phase: string, at = new Date()): Promise<number> {
    const spend = await this.repo.listSpend();
    return spend.filter((s) => s.phase === phase && s.at <= at).reduce((a, s) => a + s.amount, 0);
  }

  /**
   * Releases every tranche whose trigger the cumulative savings reach. Read after this caller's own
   * write, so of concurrent recorders the last to read sees every saving; the release document's
   * `_id` (the tranche id) makes the release, its audit entry and its event happen once.
   */
  private async releaseDue(ctx: ActionContext, now = new Date()) {
    const [tranches, releases, savings] = await Promise.all([
      this.repo.listTranches(),
      this.repo.listReleases(),
      this.repo.listSavings(),
    ]);
    const total = savings.reduce((a, s) => a + s.amount, 0);
    /** When the savings, in the order of their dates, first reached `trigger` (backdated entries). */
    const reachedAt = (trigger: number) => {
      let sum = 0;
      for (const s of [...savings].sort((a, b) => a.at.getTime() - b.at.getTime())) {
        sum += s.amount;
        if (sum >= trigger) return s.at;
      }
      return now;
    };
    const due = dueTranches(
      tranches.map((t) => ({ ...t, id: t._id })),
      new Set(releases.map((r) => r._id)),
      total,
    );
    for (const t of due) {
      const at = t.trigger > 0 ? reachedAt(t.trigger) : now;
      if (!(await this.repo.claimRelease({ _id: t.id, at, savings: total }))) continue;
      await this.audit.record(ctx, {
        action: 'rollout.budget.tranche-release',
        target: { kind: 'rollout-tranche', id: t.id },
        summary: `Tranche "${t.name}" of ${gbp(t.amount)} released: savings ${gbp(total)} reached its trigger ${gbp(t.trigger)}`,
        changes: { amount: t.amount, trigger: t.trigger, savings: total },
      });
      this.events.publish('rollout.budget-changed', { change: 'tranche-released', tranche: t.id });
    }
  }

  private async tranche(id: string): Promise<Tranche> {
    const t = (await this.summary()).tranches.find((x) => x.id === id);
    if (!t) throw new Error(`tranche ${id} vanished`);
    return t;
  }
}
