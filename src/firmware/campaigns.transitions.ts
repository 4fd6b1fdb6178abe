// Changing a campaign, safely between processes and across crashes (campaigns.model.ts explains the
// log). A change is decided on the campaign as read; its log entry claims that revision; then the
// campaign is written, the change audited (once, by the entry's key, whoever applies it) and
// published on the spine. Two changes decided on the same revision: the second re-reads (after
// applying the first) and decides again, so "pause" and "approve" pressed at once cannot both act
// on a campaign that only one of them saw.
import type { AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import type { DomainEventBus } from '../events/index.js';
import type { ActionContext } from '../shared/index.js';
import type { CampaignChange, CampaignSet, TransitionDoc } from './campaigns.model.js';
import type { Campaign, CampaignsRepository } from './campaigns.repository.js';

export interface Transition {
  /** Null: a quiet change, neither audited nor published (closing an ended campaign). */
  change: CampaignChange | null;
  set: CampaignSet;
  wave?: number | null;
  reason?: string | null;
  audit?: { action: string; summary: string; changes?: Record<string, unknown> };
}

/** Decides the change from the campaign as it is now; throws an AppError to refuse it; null: nothing to do. */
export type Decide = (c: Campaign) => Transition | null;

/** Who changes a campaign when no person does. */
export const engineContext: ActionContext = { actor: { type: 'system', id: 'firmware-engine' } };

const ATTEMPTS = 8;

export class CampaignTransitions {
  constructor(
    private readonly repo: CampaignsRepository,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
  ) {}

  /** Applies the decided change; resolves with the campaign after it (or as it is, if nothing to do). */
  async change(id: string, ctx: ActionContext, decide: Decide): Promise<Campaign> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const c = await this.current(id);
      const t = decide(c);
      if (!t) return c;
      const entry: TransitionDoc = {
        _id: `${id}|${c.rev}`,
        campaign: id,
        rev: c.rev,
        set: t.set,
        change: t.change,
        wave: t.wave ?? null,
        reason: t.reason ?? null,
        actor: ctx.actor,
        requestId: ctx.requestId ?? null,
        audit: t.audit ? { ...t.audit, changes: t.audit.changes ?? {} } : null,
        at: new Date(),
      };
      if (!(await this.repo.claimTransition(entry))) continue; // decided elsewhere: current() applies it
      await this.finish(entry);
      return { ...c, ...t.set, rev: c.rev + 1 };
    }
    throw new AppError('firmware-campaign-state', 'The campaign is changing too often; try again');
  }

  /**
   * The campaign with any change a writer claimed but did not write (it died, or is writing now)
   * applied first.
   */
  async current(id: string): Promise<Campaign> {
    for (let i = 0; i < ATTEMPTS; i++) {
      const c = await this.repo.byId(id);
      if (!c) throw notFound('firmware-campaign', id);
      const pending = await this.repo.transition(id, c.rev);
      if (!pending) return c;
      await this.finish(pending);
    }
    throw new AppError('firmware-campaign-state', 'The campaign is changing too often; try again');
  }

  /** Writes a claimed change, audits it once, publishes it. Idempotent but for the event (at least once). */
  private async finish(t: TransitionDoc) {
    await this.repo.apply(t.campaign, t.rev, t.set);
    if (!t.change || !t.audit) return;
    const ctx: ActionContext = { actor: t.actor, ...(t.requestId && { requestId: t.requestId }) };
    await this.audit.recordOnce(ctx, {
      key: `firmware.campaign:${t.campaign}:${t.rev}`,
      action: t.audit.action,
      target: { kind: 'firmware-campaign', id: t.campaign },
      summary: t.audit.summary,
      changes: { ...t.audit.changes, ...(t.reason && { reason: t.reason }) },
    });
    this.events.publish('firmware.campaign-changed', {
      campaign: t.campaign,
      status: t.set.status ?? (await this.repo.byId(t.campaign))?.status ?? 'unknown',
      change: t.change,
      wave: t.wave,
      reason: t.reason,
    });
  }
}
