// When a station's shifts change (a roster import, a shift created or its officers changed), here or
// in another process: that station's readiness board is recomputed and pushed to its viewers.
import type { DomainEventBus, Unsubscribe } from '../events/index.js';
import type { ReadinessService } from '../readiness/index.js';

export const rosterToReadiness = (events: DomainEventBus, readiness: ReadinessService): Unsubscribe =>
  events.on('shift.roster-imported', ({ data }) => readiness.shiftsChanged(data.station));
