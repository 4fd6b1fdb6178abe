// The concerns log (docs/rollout.md "Concerns"): the programme lead records what was raised about
// the cameras' use and its outcome; the report counts them by category and outcome.
import { randomBytes } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import { notFound } from '../errors.js';
import type { DomainEventBus } from '../events/index.js';
import type { ActionContext } from '../shared/index.js';
import type { ConcernDoc } from './concerns.model.js';
import type { ConcernsRepository } from './concerns.repository.js';
import type { ConcernInput, ConcernPatchInput } from './concerns.schemas.js';
import type { Concern, ConcernCategory, ConcernOutcome, PhaseDirectory } from './rollout.types.js';

const view = (c: ConcernDoc): Concern => ({
  id: c.id,
  phase: c.phase,
  category: c.category,
  summary: c.summary,
  outcome: c.outcome,
  at: c.at.toISOString(),
  by: c.by,
});

export class ConcernsService {
  constructor(
    private readonly repo: ConcernsRepository,
    private readonly phases: PhaseDirectory,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
  ) {}

  async list(): Promise<Concern[]> {
    return (await this.repo.list()).map(view);
  }

  /** Category × outcome counts: all the report shows of the log. */
  async counts(): Promise<Array<{ category: ConcernCategory; outcome: ConcernOutcome; count: number }>> {
    const counts = new Map<string, { category: ConcernCategory; outcome: ConcernOutcome; count: number }>();
    for (const c of await this.repo.list()) {
      const k = `${c.category}|${c.outcome}`;
      const row = counts.get(k) ?? { category: c.category, outcome: c.outcome, count: 0 };
      row.count += 1;
      counts.set(k, row);
    }
    return [...counts.values()];
  }

  async record(input: ConcernInput, ctx: ActionContext): Promise<Concern> {
    if (input.phase && !(await this.phases.get(input.phase))) throw notFound('rollout-phase', input.phase);
    const id = `cn_${randomBytes(6).toString('hex')}`;
    const at = input.at ?? new Date();
    await this.repo.insert({ _id: id, id, ...input, at, by: ctx.actor.id });
    await this.audit.record(ctx, {
      action: 'rollout.concern.record',
      target: { kind: 'rollout-concern', id },
      summary: `Concern (${input.category}) recorded, ${input.outcome}`,
      changes: { phase: input.phase, category: input.category, outcome: input.outcome, at: at.toISOString() },
    });
    this.events.publish('rollout.concern-changed', {
      concern: id,
      category: input.category,
      outcome: input.outcome,
    });
    return this.get(id);
  }

  async setOutcome(id: string, patch: ConcernPatchInput, ctx: ActionContext): Promise<Concern> {
    const before = await this.get(id);
    if (before.outcome === patch.outcome) return before;
    await this.repo.setOutcome(id, patch.outcome);
    await this.audit.record(ctx, {
      action: 'rollout.concern.outcome',
      target: { kind: 'rollout-concern', id },
      summary: `Concern (${before.category}): ${before.outcome} → ${patch.outcome}`,
      changes: { outcome: { from: before.outcome, to: patch.outcome } },
    });
    this.events.publish('rollout.concern-changed', {
      concern: id,
      category: before.category,
      outcome: patch.outcome,
    });
    return this.get(id);
  }

  private async get(id: string): Promise<Concern> {
    const c = await this.repo.byId(id);
    if (!c) throw notFound('rollout-concern', id);
    return view(c);
  }
}
