// The rollout capability's services, and what it is given of the others: the registers (people,
// fleet, shifts) as RolloutRegisters; assignments and clips for the measures (phase metrics,
// availability evidence, the report's data); the report's printer and files. Who gets what only.
import type { AssignmentsService } from '../assignments/index.js';
import type { AuditService } from '../audit/index.js';
import type { ClipsService } from '../clips/index.js';
import type { Config } from '../config.js';
import type { Connection } from '../db/connection.js';
import type { DomainEventBus } from '../events/index.js';
import type { FleetService } from '../fleet/index.js';
import type { Logger } from '../logger.js';
import type { PeopleService } from '../people/index.js';
import {
  BudgetRepository,
  BudgetService,
  buildRolloutMeasures,
  buildRolloutReports,
  ConcernsRepository,
  ConcernsService,
  PhasesRepository,
  PhasesService,
  PlannerService,
  RolloutScopeService,
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
      return all.map((c) => ({
        station: c.station,
        status: c.status,
        holder: c.holder,
        transfer: c.transfer,
      }));
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

export function buildRollout(p: {
  config: Pick<Config, 'DATA_DIR' | 'PUBLIC_REPORTS' | 'CHROMIUM_PATH' | 'ROLLOUT_REPORT_CHECK_S'>;
  conn: Connection;
  audit: AuditService;
  events: DomainEventBus;
  registers: RolloutRegisters;
  people: PeopleService;
  fleet: FleetService;
  assignments: AssignmentsService;
  clips: ClipsService;
  /** How long the scope keeps the started phases (ms) when no change is heard. */
  scopeCacheMs: number;
  log: Logger;
}) {
  const { conn, audit, events, registers } = p;
  // The phases, budget, planner and measures refer to each other (approving needs the budget and
  // the planner, the budget lists the phases, a gate review freezes the measures): each is handed
  // the others' methods, called only once all exist.
  const rolloutPhases: PhasesService = new PhasesService(
    new PhasesRepository(conn),
    audit,
    events,
    {
      estimate: (phase) => rolloutPlanner.estimateOf(phase),
      released: () => rolloutBudget.released(),
    },
    { forPhase: (phase, at) => measures.metrics.forPhase(phase, at) },
  );
  const rolloutBudget: BudgetService = new BudgetService(
    new BudgetRepository(conn),
    rolloutPhases,
    async (phases) => {
      const [snap, lines] = await Promise.all([rolloutPlanner.snapshot(), rolloutBudget.costLines()]);
      return phases.map((ph) => rolloutPlanner.compute(ph, snap, lines).estimate);
    },
    audit,
    events,
  );
  const rolloutConcerns = new ConcernsService(new ConcernsRepository(conn), rolloutPhases, audit, events);
  const measures = buildRolloutMeasures({
    conn,
    people: p.people,
    assignments: p.assignments,
    fleet: p.fleet,
    clips: p.clips,
    phases: rolloutPhases,
    budget: rolloutBudget,
    concerns: rolloutConcerns,
    log: p.log,
  });
  const rolloutPlanner: PlannerService = new PlannerService(
    rolloutPhases,
    registers,
    () => rolloutBudget.costLines(),
    measures.metrics,
  );
  const rolloutScope = new RolloutScopeService(rolloutPhases, registers, p.scopeCacheMs);
  const rolloutReports = buildRolloutReports({
    config: p.config,
    conn,
    audit,
    events,
    source: measures.reportSource,
    log: p.log,
  });
  return {
    rolloutPhases,
    rolloutBudget,
    rolloutPlanner,
    rolloutConcerns,
    rolloutScope,
    rolloutMeasures: measures,
    rolloutReports,
  };
}
