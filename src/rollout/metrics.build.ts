// The measures' services, given the ports: what src/composition/rollout.ts calls. Builds the
// history (readiness samples, desk records), the phase metrics and availability evidence, and the
// report's data source; adapts the rollout's scope to what the readiness board asks.
import type { AssignmentsService } from '../assignments/index.js';
import type { ClipsService } from '../clips/index.js';
import type { Connection } from '../db/connection.js';
import type { FleetService } from '../fleet/index.js';
import type { Logger } from '../logger.js';
import type { PeopleService } from '../people/index.js';
import { MeasuresHistory } from './metrics.history.js';
import { MetricsRepository } from './metrics.repository.js';
import { RolloutMetrics, type MeasureRecords } from './metrics.service.js';
import { RolloutReportData, type ConcernCounts } from './reports.data.js';
import type { BudgetReader, PhaseDirectory, RolloutScope } from './rollout.types.js';

export type RolloutMeasures = ReturnType<typeof buildRolloutMeasures>;

/** Every officer, once, in pages (the register has ~1,300 in the demo force). */
async function allOfficers(people: PeopleService) {
  const out = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await people.listOfficers({}, 1000, offset);
    out.push(...page.items);
    if (page.items.length < 1000) return out;
  }
}

/** The records the measures read, from the capabilities that keep them. */
export const measureRecords = (p: {
  people: PeopleService;
  assignments: AssignmentsService;
  fleet: FleetService;
  clips: ClipsService;
}): MeasureRecords => ({
  officers: async () =>
    (await allOfficers(p.people)).map((o) => ({
      number: o.number,
      station: o.station,
      team: o.team,
      qualifications: o.qualifications,
      active: o.active,
    })),
  custodySince: (since) => p.assignments.custodySince(since),
  clips: (from, to) => p.clips.measures(from, to),
  faultsOpened: (from, to) => p.assignments.faultsOpened(from, to),
  lostCameras: async () => (await p.fleet.allCameras({ status: 'lost' })).map((c) => c.serial),
});

/**
 * What the readiness board asks of the rollout's scope, by officer number. The officer's facts are
 * read from the register (an `_id` lookup); an officer no longer registered is not in scope.
 */
export const readinessScope = (scope: RolloutScope, people: PeopleService) => ({
  active: () => scope.active(),
  inScope: async (number: string) => {
    const o = await people.officer(number).catch(() => null);
    return o !== null && scope.inScope({ ...o, number });
  },
});

export function buildRolloutMeasures(p: {
  conn: Connection;
  people: PeopleService;
  assignments: AssignmentsService;
  fleet: FleetService;
  clips: ClipsService;
  phases: PhaseDirectory;
  budget: BudgetReader;
  concerns: ConcernCounts;
  log: Logger;
}) {
  const history = new MeasuresHistory(
    new MetricsRepository(p.conn),
    p.log.child({ component: 'rollout-measures' }),
  );
  const metrics = new RolloutMetrics(measureRecords(p), history, p.budget);
  const reportSource = new RolloutReportData(p.phases, p.budget, metrics, history, p.concerns);
  return { history, metrics, reportSource };
}
