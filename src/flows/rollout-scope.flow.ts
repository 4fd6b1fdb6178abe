// When a rollout phase changes (here or in another process): who is in the rollout's scope may have
// changed, so the scope's copy of the started phases is dropped and read again when next asked, and
// the readiness boards people watch are computed again (in-scope officers are the ones counted).
import type { DomainEventBus, Unsubscribe } from '../events/index.js';
import type { ReadinessService } from '../readiness/index.js';
import type { RolloutScopeService } from '../rollout/index.js';

export const rolloutScope = (
  events: DomainEventBus,
  scope: RolloutScopeService,
  readiness: ReadinessService,
): Unsubscribe =>
  events.on('rollout.phase-changed', () => {
    scope.invalidate();
    readiness.scopeChanged();
  });
