// The domain event map: every state change a capability makes, by name, with its version and the
// shape of its data. Services publish after their write (the audit entry is part of the write);
// subscribers (dashboards, readiness, redaction, webhooks…) never reach into the publisher.
// The same map travels in-process and, between processes, on the bus's internal topics, so every
// payload is a zod schema: what arrives from another process is parsed like any other input.
//
// Versioning: a payload change that a subscriber could misread is a new version; `version` travels
// in each event's envelope. Data carries identifiers and states, no personal data beyond what the
// role-filtered API view of the same thing shows (webhooks forward it to other systems).
import { z } from 'zod';

const Serial = z.string().min(1);
const Station = z.string().min(1);
const DeviceKind = z.enum(['camera', 'dock']);

export const DOMAIN_EVENTS = {
  /** A camera was issued to an officer (the register now shows it issued to them). */
  'camera.checked-out': {
    version: 1,
    data: z.object({
      camera: Serial,
      station: Station,
      officer: z.string(),
      mode: z.enum(['personal', 'pool']),
    }),
  },
  /** A camera came back to stock (or to a fault, if returned damaged or faulty). */
  'camera.checked-in': {
    version: 1,
    data: z.object({
      camera: Serial,
      station: Station,
      officer: z.string().nullable(),
      condition: z.enum(['ok', 'damaged', 'faulty']),
      status: z.string(),
    }),
  },
  /** A fault was opened on a camera (at check-in or reported on a camera in stock). */
  'camera.fault-opened': {
    version: 1,
    data: z.object({ camera: Serial, station: Station, condition: z.enum(['damaged', 'faulty']) }),
  },
  /** Any other change of a camera's status or holder: repair, loss, retirement, transfer. */
  'camera.status-changed': {
    version: 1,
    data: z.object({
      camera: Serial,
      station: Station,
      status: z.string(),
      holder: z.string().nullable(),
      reason: z.string(),
    }),
  },
  /** A register record (camera or dock) was created or corrected; `id` null: many at once (import). */
  'register.changed': {
    version: 1,
    data: z.object({ kind: DeviceKind, id: z.string().nullable() }),
  },
  /** What a dashboard shows of a device changed (coalesced: not every heartbeat). */
  'device.state-changed': {
    version: 1,
    data: z.object({ kind: DeviceKind, id: z.string(), changed: z.array(z.string()) }),
  },
  'alert.raised': {
    version: 1,
    data: z.object({ kind: DeviceKind, id: z.string(), type: z.string(), detail: z.string() }),
  },
  'alert.cleared': {
    version: 1,
    data: z.object({ kind: DeviceKind, id: z.string(), type: z.string(), detail: z.string() }),
  },
  /** A clip was offloaded and stored as evidence: the redaction workers' cue. */
  'clip.offloaded': {
    version: 1,
    data: z.object({
      clipId: z.string(),
      camera: Serial,
      dock: z.string(),
      station: Station,
      size: z.number(),
    }),
  },
  /** The face-redacted derivative of a clip is ready for review. */
  'clip.redacted': {
    version: 1,
    data: z.object({ clipId: z.string() }),
  },
  'clip.reviewed': {
    version: 1,
    data: z.object({ clipId: z.string(), decision: z.string() }),
  },
  /** A station's shifts changed (a roster import or one shift). */
  'shift.roster-imported': {
    version: 1,
    data: z.object({ station: Station }),
  },
  /** A user's access changed (disabled, role or station): whatever was admitted with the old rights ends. */
  'user.access-changed': {
    version: 1,
    data: z.object({ username: z.string() }),
  },
} as const;

export type DomainEventName = keyof typeof DOMAIN_EVENTS;
export type DomainEventData<N extends DomainEventName> = z.infer<(typeof DOMAIN_EVENTS)[N]['data']>;

/** The envelope every event travels in, in-process and on the bus. */
export interface DomainEvent<N extends DomainEventName = DomainEventName> {
  /** Unique per event: webhook deliveries and cross-process de-duplication use it. */
  id: string;
  type: N;
  version: number;
  /** ISO 8601, when the publisher's write happened. */
  occurredAt: string;
  /** The process that published it (`host:pid`), so a process can tell its own events from others'. */
  source: string;
  data: DomainEventData<N>;
}

export type AnyDomainEvent = { [N in DomainEventName]: DomainEvent<N> }[DomainEventName];
