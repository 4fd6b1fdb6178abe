// The events an endpoint can subscribe to: every event of the map but the device's own continuous
// stream (`device.state-changed` fires on every change a dashboard shows, thousands a second across
// a fleet; `device.command-acked`, every step of every command, which firmware updates summarise in
// `firmware.device-update-changed`) and the platform's session plumbing. Alerts carry what a receiver needs of a device.
import { DOMAIN_EVENTS, type DomainEventName } from '../events/index.js';

const NOT_OFFERED: readonly DomainEventName[] = [
  'device.state-changed',
  'device.command-acked',
  'user.session-ended',
];

export const WEBHOOK_EVENTS = (Object.keys(DOMAIN_EVENTS) as DomainEventName[]).filter(
  (n) => !NOT_OFFERED.includes(n),
) as [DomainEventName, ...DomainEventName[]];
