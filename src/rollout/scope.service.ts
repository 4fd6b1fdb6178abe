// Who is in the rollout's scope (docs/rollout.md "Scope"): an officer eligible under a phase that has
// started (active, in review or complete). The rules of the started phases are kept in memory and
// dropped on `rollout.phase-changed` (flows/rollout-scope.flow.ts) and after a few seconds anyway;
// an officer's own facts (station, team, qualifications) are given with each question, so changes
// to officers need no invalidation. Also the stores' issue list: in-scope officers of a station who
// still need their personal camera.
import { isStarted } from './phases.rules.js';
import type { RolloutRegisters } from './planner.ports.js';
import {
  isEligible,
  type OfficerFacts,
  type IssueList,
  type IssueListEntry,
  type Phase,
  type PhaseDirectory,
  type RolloutScope,
} from './rollout.types.js';

export class RolloutScopeService implements RolloutScope {
  private cache: { at: number; phases: Promise<Phase[]> } | null = null;

  constructor(
    private readonly phases: PhaseDirectory,
    private readonly registers: RolloutRegisters,
    private readonly ttlMs: number,
  ) {}

  /** Drops the cached phases: the next question reads them again. */
  invalidate(): void {
    this.cache = null;
  }

  async active(): Promise<boolean> {
    return (await this.started()).length > 0;
  }

  async inScope(officer: OfficerFacts & { number: string }): Promise<boolean> {
    return (await this.started()).some((p) => isEligible(officer, p.rule));
  }

  async issueList(station: string): Promise<IssueList> {
    const personal = (await this.started()).filter((p) => p.issueMode === 'personal');
    if (personal.length === 0) return { station, officers: [] };
    const [officers, cameras] = await Promise.all([this.registers.officers(), this.registers.cameras()]);
    const holding = new Set(cameras.filter((c) => c.status === 'issued' && c.holder).map((c) => c.holder));
    const out: IssueListEntry[] = [];
    for (const o of officers) {
      if (o.station !== station || !o.active || holding.has(o.number)) continue;
      const phase = personal.find((p) => isEligible(o, p.rule));
      if (phase)
        out.push({ number: o.number, name: o.name, team: o.team, phase: phase.id, phaseName: phase.name });
    }
    out.sort((a, b) => a.number.localeCompare(b.number));
    return { station, officers: out };
  }

  /** The started phases, in order. */
  private started(): Promise<Phase[]> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > this.ttlMs) {
      const read = this.phases.list().then((all) => all.filter((p) => isStarted(p.status)));
      // A failed read is not kept.
      void read.catch(() => {
        if (this.cache?.phases === read) this.cache = null;
      });
      this.cache = { at: now, phases: read };
    }
    return this.cache.phases;
  }
}
