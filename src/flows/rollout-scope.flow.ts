// When a rollout phase changes (here or in another process): who is in the rollout's scope may have
// changed, so the scope's copy of the started phases is dropped and read again when next asked.
import type { DomainEventBus, Unsubscribe } from '../events/index.js';
import type { RolloutScopeService } from '../rollout/index.js';

export const rolloutScope = (events: DomainEventBus, scope: RolloutScopeService): Unsubscribe =>
  events.on('rollout.phase-changed', () => scope.invalidate());
