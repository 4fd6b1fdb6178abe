// When a user's session ends (logout, a new password), its live sockets close; when a user's access
// changes (disabled, another role or station), all their sockets close and must reconnect with the
// new rights. Both cross processes: the sockets may be held by any API process.
import type { DomainEventBus, Unsubscribe } from '../events/index.js';
import type { RealtimeGateway } from '../realtime/index.js';

export function userAccess(events: DomainEventBus, gateway: RealtimeGateway): Unsubscribe {
  const stops = [
    events.on('user.session-ended', ({ data }) => gateway.sessionEnded(data.session)),
    events.on('user.access-changed', ({ data }) => gateway.accessChanged(data.username)),
  ];
  return () => stops.forEach((stop) => stop());
}
