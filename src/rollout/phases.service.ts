// Rollout phases: a programme lead proposes and runs them, the board approves them and decides their
// gate reviews (docs/rollout.md "Phases"). Every change is a numbered transition claimed by an
// insert (phases.model.ts), audited once and published as `rollout.phase-changed`.
import { randomBytes } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import type { DomainEventBus } from '../events/index.js';
import type { ActionContext } from '../shared/index.js';
import type { PhaseChange, PhaseDoc, PhaseSet, PhaseTransitionDoc } from './phases.model.js';
import type { PhasesRepository } from './phases.repository.js';
import { afterGate, allows, requiredStatus, type PhaseAction } from './phases.rules.js';
import type { GateInput, PhaseInput, PhasePatchInput } from './phases.schemas.js';
import type { GateReview, Phase, PhaseDirectory, PhaseMetricsSource } from './rollout.types.js';

const ATTEMPTS = 8;
/**
 * A commitment claimed by an approval whose phase is still planned counts for this long (its
 * approval is being written); after it, the approval is taken to have failed (its writer died or
 * lost the phase to another approval, which claimed a commitment of its own).
 */
const PENDING_COMMITMENT_MS = 60_000;

/** What approving needs to know of the money (budget and planner, wired by the composition root). */
export interface Funding {
  /** The phase's estimate now (£), with its own spare share and issue mode. */
  estimate(phase: Phase): Promise<number>;
  /** Funds released by tranches (£). */
  released(): Promise<number>;
}

export const gbp = (n: number) => `£${Math.round(n).toLocaleString('en-GB', { maximumFractionDigits: 0 })}`;

export const toPhase = ({ _id: _, rev: _r, createdAt, updatedAt, ...p }: PhaseDoc): Phase => ({
  ...p,
  createdAt: new Date(createdAt).toISOString(),
  updatedAt: new Date(updatedAt).toISOString(),
});

interface Decided {
  change: PhaseChange;
  set: PhaseSet;
  summary: string;
  changes?: Record<string, unknown>;
}

export class PhasesService implements PhaseDirectory {
  constructor(
    private readonly repo: PhasesRepository,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
    private readonly funding: Funding,
    private readonly metrics: PhaseMetricsSource,
  ) {}

  async list(): Promise<Phase[]> {
    const docs = await this.repo.list();
    // Roll forward any change whose writer has not finished (rare: a crash, or a change in flight).
    const current = await Promise.all(
      docs.map(async (d) => ((await this.repo.transition(d.id, d.rev)) ? this.current(d.id) : d)),
    );
    return current.map(toPhase);
  }

  async get(id: string): Promise<Phase | null> {
    const d = await this.repo.byId(id);
    return d ? toPhase(await this.current(id)) : null;
  }

  async phase(id: string): Promise<Phase> {
    return toPhase(await this.current(id));
  }

  async propose(input: PhaseInput, ctx: ActionContext, at = new Date()): Promise<Phase> {
    const id = `ph_${randomBytes(6).toString('hex')}`;
    for (let i = 0; i < ATTEMPTS; i++) {
      const order = (await this.repo.maxOrder()) + 1;
      const inserted = await this.repo.insert({
        _id: id,
        id,
        order,
        ...input,
        status: 'planned',
        committed: null,
        approval: null,
        activatedAt: null,
        completedAt: null,
        gateReviews: [],
        createdBy: ctx.actor.id,
        rev: 0,
      });
      if (!inserted) continue; // another proposal took that order: take the next
      await this.audit.record(ctx, {
        action: 'rollout.phase.propose',
        target: { kind: 'rollout-phase', id },
        summary: `Phase ${order} "${input.name}" proposed (${input.issueMode} issue, ${input.targetHeadcount} officers, ${input.plannedStart} to ${input.plannedEnd})`,
        changes: { ...input, order, at: at.toISOString() },
      });
      this.events.publish('rollout.phase-changed', { phase: id, status: 'planned', change: 'proposed' });
      return this.phase(id);
    }
    throw new AppError('rollout-phase-busy', 'Phases are being proposed too quickly; try again');
  }

  async edit(id: string, patch: PhasePatchInput, ctx: ActionContext): Promise<Phase> {
    return this.change(id, ctx, 'edit', (p) => {
      const start = patch.plannedStart ?? p.plannedStart;
      const end = patch.plannedEnd ?? p.plannedEnd;
      if (start > end) {
        throw new AppError('validation-failed', 'plannedEnd is before plannedStart', [
          { path: 'body.plannedEnd', message: 'before plannedStart' },
        ]);
      }
      const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as PhaseSet;
      return { change: 'edited', set, summary: `Phase "${p.name}" edited`, changes: set };
    });
  }

  /**
   * Board approval. Refused to the phase's proposer (two-person rule) and, unless overridden with a
   * reason, when committed funds with this phase's estimate would exceed the released funds.
   */
  async approve(
    id: string,
    override: { reason: string } | undefined,
    ctx: ActionContext,
    at = new Date(),
  ): Promise<Phase> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const p = await this.current(id);
      this.check(p, 'approve');
      if (p.createdBy === ctx.actor.id) {
        throw new AppError(
          'rollout-same-person',
          `You proposed phase "${p.name}": another board member approves it`,
        );
      }
      const [estimate, released, phases, ledger] = await Promise.all([
        this.funding.estimate(toPhase(p)),
        this.funding.released(),
        this.repo.list(),
        this.repo.commitmentsLedger(),
      ]);
      const status = new Map(phases.map((x) => [x.id, x]));
      let committed = phases.reduce((a, x) => a + (x.status !== 'planned' ? (x.committed ?? 0) : 0), 0);
      // Approvals of other phases that claimed their commitment and are being written now.
      const pending = new Map<string, number>();
      for (const c of ledger) {
        const other = status.get(c.phase);
        if (
          c.phase !== id &&
          other?.status === 'planned' &&
          Date.now() - c.at.getTime() < PENDING_COMMITMENT_MS
        )
          pending.set(c.phase, c.amount);
      }
      committed += [...pending.values()].reduce((a, b) => a + b, 0);
      const after = committed + estimate;
      const unfunded = after > released;
      const figures = `committed after approval ${gbp(after)} (this phase ${gbp(estimate)}) against ${gbp(released)} released`;
      if (unfunded && !override) throw new AppError('rollout-unfunded', `Not funded: ${figures}`);
      const seq = `c${String(ledger.length).padStart(6, '0')}`;
      if (!(await this.repo.claimCommitment({ _id: seq, phase: id, amount: estimate, at: new Date() })))
        continue;
      const used = unfunded && override ? { by: ctx.actor.id, reason: override.reason } : null;
      const applied = await this.apply(p, ctx, {
        change: 'approved',
        set: {
          status: 'approved',
          committed: estimate,
          approval: { by: ctx.actor.id, at: at.toISOString(), override: used },
        },
        summary: used
          ? `Phase "${p.name}" approved over the funding gate (${figures}): ${used.reason}`
          : `Phase "${p.name}" approved: ${figures}`,
        changes: { committed: estimate, committedAfter: after, released, override: used },
      });
      if (applied) return applied;
    }
    throw new AppError('rollout-phase-busy', 'The phase is changing too often; try again');
  }

  async activate(id: string, ctx: ActionContext, at = new Date()): Promise<Phase> {
    return this.change(id, ctx, 'activate', (p) => ({
      change: 'activated',
      set: { status: 'active', activatedAt: at.toISOString() },
      summary: `Phase "${p.name}" activated: its eligible officers are in scope`,
    }));
  }

  async review(id: string, ctx: ActionContext): Promise<Phase> {
    return this.change(id, ctx, 'review', (p) => ({
      change: 'review-started',
      set: { status: 'in-review' },
      summary: `Phase "${p.name}" is in gate review`,
    }));
  }

  /** The board's gate decision, with the phase's metrics frozen as they are now. */
  async gate(id: string, input: GateInput, ctx: ActionContext, at = new Date()): Promise<Phase> {
    const before = await this.current(id);
    this.check(before, 'gate');
    const metrics = await this.metrics.forPhase(toPhase(before), at);
    return this.change(id, ctx, 'gate', (p) => {
      const review: GateReview = {
        at: at.toISOString(),
        by: ctx.actor.id,
        decision: input.decision,
        rationale: input.rationale,
        metrics,
      };
      const status = afterGate(input.decision);
      return {
        change: `gate-${input.decision}`,
        set: {
          status,
          gateReviews: [...p.gateReviews, review],
          ...(input.decision === 'proceed' && { completedAt: at.toISOString() }),
        },
        summary: `Gate review of phase "${p.name}": ${input.decision} (${status})`,
        changes: { decision: input.decision, rationale: input.rationale, metrics },
      };
    });
  }

  private check(p: PhaseDoc, action: PhaseAction) {
    if (!allows(p.status, action)) {
      throw new AppError(
        'rollout-phase-transition-invalid',
        `Phase "${p.name}" is ${p.status}: to ${action} it, it must be ${requiredStatus(action)}`,
      );
    }
  }

  private async change(
    id: string,
    ctx: ActionContext,
    action: PhaseAction,
    decide: (p: PhaseDoc) => Decided,
  ): Promise<Phase> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const p = await this.current(id);
      this.check(p, action);
      const applied = await this.apply(p, ctx, decide(p));
      if (applied) return applied;
    }
    throw new AppError('rollout-phase-busy', 'The phase is changing too often; try again');
  }

  /** Claims revision `p.rev` for the change; null when another change claimed it first. */
  private async apply(p: PhaseDoc, ctx: ActionContext, d: Decided): Promise<Phase | null> {
    const entry: PhaseTransitionDoc = {
      _id: `${p.id}|${p.rev}`,
      phase: p.id,
      rev: p.rev,
      set: d.set,
      change: d.change,
      actor: ctx.actor,
      requestId: ctx.requestId ?? null,
      audit: { action: `rollout.phase.${d.change}`, summary: d.summary, changes: d.changes ?? {} },
      at: new Date(),
    };
    if (!(await this.repo.claimTransition(entry))) return null;
    await this.finish(entry);
    return toPhase({ ...p, ...d.set, rev: p.rev + 1 });
  }

  /** The phase with any claimed but unwritten change applied first. */
  private async current(id: string): Promise<PhaseDoc> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const p = await this.repo.byId(id);
      if (!p) throw notFound('rollout-phase', id);
      const pending = await this.repo.transition(id, p.rev);
      if (!pending) return p;
      await this.finish(pending);
    }
    throw new AppError('rollout-phase-busy', 'The phase is changing too often; try again');
  }

  /** Writes a claimed change, audits it once, publishes it. */
  private async finish(t: PhaseTransitionDoc) {
    await this.repo.apply(t.phase, t.rev, t.set);
    const ctx: ActionContext = { actor: t.actor, ...(t.requestId && { requestId: t.requestId }) };
    await this.audit.recordOnce(ctx, {
      key: `rollout.phase:${t.phase}:${t.rev}`,
      action: t.audit.action,
      target: { kind: 'rollout-phase', id: t.phase },
      summary: t.audit.summary,
      changes: t.audit.changes,
    });
    const status = t.set.status ?? (await this.repo.byId(t.phase))?.status ?? 'planned';
    this.events.publish('rollout.phase-changed', { phase: t.phase, status, change: t.change });
  }
}
