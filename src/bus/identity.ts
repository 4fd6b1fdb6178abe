// Who an MQTT client is, and what it may touch. Pure: the broker hooks call these and hold no rules
// of their own. A device is identified by its authenticated username, never by what a topic claims
// (ThingsBoard's transport works the same way).
import { COMMAND_CHANNEL, DEVICE_CHANNELS, DeviceId, parseTopic, type DeviceKind } from './topics.js';

export type Identity =
  { type: 'service'; username: string } | { type: 'device'; kind: DeviceKind; id: string; username: string };

const USERNAME = /^(camera|dock):(.+)$/;

/** `camera:SERIAL` / `dock:ID` → the device it names; null for anything else. */
export function deviceFromUsername(username: string): { kind: DeviceKind; id: string } | null {
  const m = USERNAME.exec(username);
  if (!m || !DeviceId.safeParse(m[2]).success) return null;
  return { kind: m[1] as DeviceKind, id: m[2]! };
}

export const deviceUsername = (kind: DeviceKind, id: string) => `${kind}:${id}`;

/**
 * The one MQTT client id a device may use: its username. Client ids name sessions, and a CONNECT
 * with a session's id takes it over [MQTT-3.1.4-2]; were any id allowed, one device could end
 * another's session and be handed its queued commands (issue 14, finding 5). One session per
 * device is all a device needs: a newer CONNECT of its own replaces its stale one.
 */
export const ownClientId = (who: Extract<Identity, { type: 'device' }>) => who.username;

/** Whether a client id is of the form devices use (`camera:…`, `dock:…`), which only they may use. */
export const isDeviceClientId = (clientId: string) => USERNAME.test(clientId);

/** A device publishes only on its own device channels; the platform's services anywhere. */
export function mayPublish(who: Identity, topic: string): boolean {
  if (who.type === 'service') return true;
  const t = parseTopic(topic);
  return (
    t !== null &&
    t.kind === who.kind &&
    t.id === who.id &&
    (DEVICE_CHANNELS as readonly string[]).includes(t.channel)
  );
}

/** A device subscribes only to its own command topic (no wildcards); services to anything. */
export function maySubscribe(who: Identity, filter: string): boolean {
  if (who.type === 'service') return true;
  const t = parseTopic(filter);
  return t !== null && t.kind === who.kind && t.id === who.id && t.channel === COMMAND_CHANNEL;
}
