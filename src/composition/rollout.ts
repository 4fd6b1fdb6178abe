// The rollout capability's services, and what it is given of the others: the registers (people,
// fleet, shifts) as RolloutRegisters, and the measures as the PhaseMetricsSource and
// AvailabilityEvidence ports. Who gets what only.
import type { AuditService } from '../audit/index.js';
import type { Connection } from '../db/connection.js';
import type { DomainEventBus } from '../events/index.js';
import type { FleetService } from '../fleet/index.js';
import type { PeopleService } from '../people/index.js';
import {
  BudgetRepository,
  BudgetService,
  ConcernsRepository,
  ConcernsService,
  isEligible,
  PhasesRepository,
  PhasesService,
  PlannerService,
  RolloutScopeService,
  type AvailabilityEvidence,
  type Phase,
  type PhaseMetrics,
  type PhaseMetricsSource,
  type RolloutRegisters,
} from '../rollout/index.js';
import type { ShiftsService } from '../shifts/index.js';

export function rolloutRegisters(s: {
  people: PeopleService;
  fleet: FleetService;
  shifts: ShiftsService;
}): RolloutRegisters {
  return {
    async officers() {
      const { items } = await s.people.listOfficers({}, 1_000_000, 0);
      return items.map((o) => ({
        number: o.number,
        name: o.name,
        station: o.station,
        team: o.team,
        qualifications: o.qualifications,
        active: o.active,
      }));
    },
    async cameras() {
      const all = await s.fleet.allCameras({});
      return all.map((c) => ({ station: c.station, status: c.status, holder: c.holder }));
    },
    async shifts(from, to) {
      // Per station: the shifts list answers at most 1,000 shifts a call.
      const stations = await s.people.listStations();
      const lists = await Promise.all(stations.map((st) => s.shifts.list({ station: st.code, from, to })));
      return lists
        .flat()
        .map((x) => ({ station: x.station, start: x.start, end: x.end, officers: x.officers }));
    },
  };
}

/**
 * The simplest real measures from the registers: officers in scope (eligible) and equipped (holding
 * a camera now), spend; everything else not yet measured. Replaced by metrics.* at integration.
 */
export function registerMetrics(
  registers: RolloutRegisters,
  spentOn: (phase: string, at: Date) => Promise<number>,
): PhaseMetricsSource {
  return {
    async forPhase(phase: Phase, at: Date): Promise<PhaseMetrics> {
      const [officers, cameras, spent] = await Promise.all([
        registers.officers(),
        registers.cameras(),
        spentOn(phase.id, at),
      ]);
      const eligible = officers.filter((o) => isEligible(o, phase.rule));
      const holding = new Set(cameras.filter((c) => c.status === 'issued').map((c) => c.holder));
      const equipped = eligible.filter((o) => holding.has(o.number)).length;
      return {
        phase: phase.id,
        from: phase.activatedAt ?? `${phase.plannedStart}T00:00:00.000Z`,
        to: phase.completedAt ?? at.toISOString(),
        officersInScope: eligible.length,
        officersEquipped: equipped,
        readinessShare: null,
        deskAvailability: null,
        deskNoCamera: 0,
        clipsOffloaded: 0,
        hoursRecorded: 0,
        evidentialShare: null,
        clipsRedacted: 0,
        faultsPer100Cameras: null,
        lossesPer100Cameras: null,
        spent,
        costPerEquippedOfficer: equipped > 0 ? Math.round(spent / equipped) : null,
      };
    },
  };
}

/** No availability evidence yet. Replaced by metrics.* at integration. */
export const noAvailabilityEvidence: AvailabilityEvidence = { weekly: () => Promise.resolve([]) };

export function buildRollout(p: {
  conn: Connection;
  audit: AuditService;
  events: DomainEventBus;
  registers: RolloutRegisters;
  /** How long the scope keeps the started phases (ms) when no change is heard. */
  scopeCacheMs: number;
  /**
   * The measures' ports, given the budget (a phase's spend) once it exists; default: registerMetrics
   * and noAvailabilityEvidence.
   */
  measures?: (r: { budget: BudgetService }) => {
    metrics: PhaseMetricsSource;
    availability: AvailabilityEvidence;
  };
}) {
  const { conn, audit, events, registers } = p;
  const budgetRepo = new BudgetRepository(conn);
  let measures: { metrics: PhaseMetricsSource; availability: AvailabilityEvidence } | undefined;
  const ports = () =>
    (measures ??= p.measures?.({ budget: rolloutBudget }) ?? {
      // replaced by metrics.* at integration
      metrics: registerMetrics(registers, (phase, at) => rolloutBudget.spentOn(phase, at)),
      availability: noAvailabilityEvidence,
    });
  // The three refer to each other (approving needs the budget and the planner, the budget lists
  // the phases): each is handed the others' methods, called only once all exist.
  const rolloutPhases: PhasesService = new PhasesService(
    new PhasesRepository(conn),
    audit,
    events,
    {
      estimate: (phase) => rolloutPlanner.estimateOf(phase),
      released: () => rolloutBudget.released(),
    },
    { forPhase: (phase, at) => ports().metrics.forPhase(phase, at) },
  );
  const rolloutBudget: BudgetService = new BudgetService(
    budgetRepo,
    rolloutPhases,
    async (phases) => {
      const [snap, lines] = await Promise.all([rolloutPlanner.snapshot(), rolloutBudget.costLines()]);
      return phases.map((ph) => rolloutPlanner.compute(ph, snap, lines).estimate);
    },
    audit,
    events,
  );
  const rolloutPlanner: PlannerService = new PlannerService(
    rolloutPhases,
    registers,
    () => rolloutBudget.costLines(),
    { weekly: (q) => ports().availability.weekly(q) },
  );
  const rolloutConcerns = new ConcernsService(new ConcernsRepository(conn), rolloutPhases, audit, events);
  const rolloutScope = new RolloutScopeService(rolloutPhases, registers, p.scopeCacheMs);
  return { rolloutPhases, rolloutBudget, rolloutPlanner, rolloutConcerns, rolloutScope };
}
