// The domain event map: every state change a capability makes, by name, with its version and the
// shape of its data. Services publish after their write (the audit entry is part of the write);
// subscribers (dashboards, readiness, redaction, webhooks…) never reach into the publisher.
// The same map travels in-process and, between processes, on the bus's internal topics, so every
// payload is a zod schema: what arrives from another process is parsed like any other input.
//
// Versioning: a payload change that a subscriber could misread is a new version; `version` travels
// in each event's envelope. Data carries identifiers and states, no personal data beyond what the
// role-filtered API view of the same thing shows (webhooks forward it to other systems).
//
// `crosses`: whether the event also travels to other processes (bus/internal topics). An event
// crosses when another process holds something it changes: a dashboard, a readiness board, a live
// socket of a user, a redaction queue. Device facts (state, alerts, badge taps, dockings, acks) do
// not: every API process hears the devices itself (it subscribes to every device topic), so each
// derives them on its own, and at 10,000 devices a second they would double the bus's load for
// nothing.
import { z } from 'zod';
import { FIRMWARE_STAGES } from '../bus/index.js';

const Serial = z.string().min(1);
const Station = z.string().min(1);
const DeviceKind = z.enum(['camera', 'dock']);
/** Officer number (an identifier the register shows beside the camera, not a name). */
const Officer = z.string().min(1);
/** What a fleet view shows of a register record, as the write left it (null: not known, read it). */
const RegisterFields = z
  .object({
    station: z.string(),
    model: z.string(),
    status: z.enum(['in_stock', 'issued', 'faulty', 'in_repair', 'lost', 'retired']),
    holder: z.string().nullable(),
    /** While lost: reported lost or stolen. */
    lostReason: z.enum(['lost', 'stolen']).nullable(),
    /** Cameras: the transfer it travels in (at neither station until received), else null. */
    transfer: z.string().nullable(),
  })
  .partial()
  .nullable();

export const DOMAIN_EVENTS = {
  /** A camera was issued to an officer (the register now shows it issued to them). */
  'camera.checked-out': {
    version: 1,
    crosses: true,
    data: z.object({
      camera: Serial,
      station: Station,
      officer: Officer,
      mode: z.enum(['personal', 'pool']),
    }),
  },
  /** A camera came back to stock (or to a fault, if returned damaged or faulty). */
  'camera.checked-in': {
    version: 1,
    crosses: true,
    data: z.object({
      camera: Serial,
      station: Station,
      officer: Officer.nullable(),
      condition: z.enum(['ok', 'damaged', 'faulty']),
      status: z.string(),
    }),
  },
  /** A fault was opened on a camera (at check-in or reported on a camera in stock). */
  'camera.fault-opened': {
    version: 1,
    crosses: true,
    data: z.object({
      camera: Serial,
      station: Station,
      condition: z.enum(['damaged', 'faulty']),
      source: z.enum(['check-in', 'report']),
    }),
  },
  /**
   * Any other change of a camera's status or holder: a fault reported on the shelf, repair, loss,
   * retirement. `officer`: whoever held it until now (a loss while issued), else null.
   */
  'camera.status-changed': {
    version: 1,
    crosses: true,
    data: z.object({
      camera: Serial,
      station: Station,
      status: z.string(),
      holder: Officer.nullable(),
      officer: Officer.nullable(),
      reason: z.enum([
        'fault-reported',
        'repair-started',
        'repair-completed',
        'lost',
        'retired',
        'recovered',
      ]),
    }),
  },
  /**
   * A register record (camera or dock) was written: created, corrected, issued, returned, sent or
   * received; `id` null: many at once (an import). `fields`: what the write left, so a fleet view
   * needs no read.
   */
  'register.changed': {
    version: 1,
    crosses: true,
    data: z.object({ kind: DeviceKind, id: z.string().nullable(), fields: RegisterFields }),
  },
  /**
   * What a dashboard shows of a device changed: not every heartbeat, only a message that changed
   * something (the state service's diff). In-process: the view itself is read from the state service.
   */
  'device.state-changed': {
    version: 1,
    crosses: false,
    data: z.object({ kind: DeviceKind, id: z.string(), changed: z.array(z.string()) }),
  },
  'alert.raised': {
    version: 1,
    crosses: false,
    data: z.object({ kind: DeviceKind, id: z.string(), type: z.string(), detail: z.string() }),
  },
  'alert.cleared': {
    version: 1,
    crosses: false,
    data: z.object({ kind: DeviceKind, id: z.string(), type: z.string(), detail: z.string() }),
  },
  /** An officer tapped their badge at a dock (a device fact: dock self-allocation's cue). */
  'dock.badge-tapped': {
    version: 1,
    crosses: false,
    data: z.object({ dock: z.string(), officer: Officer, ts: z.string() }),
  },
  /** A dock reports a camera put in one of its slots (a claim the camera must corroborate). */
  'dock.camera-docked': {
    version: 1,
    crosses: false,
    data: z.object({ dock: z.string(), camera: Serial, slot: z.number().int(), ts: z.string() }),
  },
  /**
   * A device acknowledged a command on `…/acks` (firmware updates: one per step). A device fact, like
   * state: every API process hears the device itself.
   */
  'device.command-acked': {
    version: 1,
    crosses: false,
    data: z.object({
      kind: DeviceKind,
      id: z.string(),
      commandId: z.string(),
      ok: z.boolean(),
      stage: z.enum(FIRMWARE_STAGES).nullable(),
      progress: z.number().nullable(),
      detail: z.string().nullable(),
      ts: z.string(),
    }),
  },
  /** A signed firmware artifact was uploaded and stored. */
  'firmware.artifact-added': {
    version: 1,
    crosses: true,
    data: z.object({
      artifact: z.string(),
      kind: DeviceKind,
      model: z.string(),
      version: z.string(),
      sha256: z.string(),
      size: z.number(),
    }),
  },
  /** IT approved or blocked a firmware version, or withdrew either (`status: 'none'`). */
  'firmware.version-status-changed': {
    version: 1,
    crosses: true,
    data: z.object({
      kind: DeviceKind,
      model: z.string(),
      version: z.string(),
      status: z.enum(['approved', 'blocked', 'none']),
    }),
  },
  /** A firmware campaign changed: created, approved, a wave started or awaits approval, paused (by whom or why), resumed, canceled, completed. */
  'firmware.campaign-changed': {
    version: 1,
    crosses: true,
    data: z.object({
      campaign: z.string(),
      status: z.string(),
      change: z.enum([
        'created',
        'approved',
        'wave-started',
        'wave-awaiting-approval',
        'paused',
        'resumed',
        'canceled',
        'completed',
      ]),
      wave: z.number().int().nullable(),
      reason: z.string().nullable(),
    }),
  },
  /** One device's update in a campaign moved on: waiting (and why), sent, a step reached, succeeded, failed (and why). */
  'firmware.device-update-changed': {
    version: 1,
    crosses: true,
    data: z.object({
      campaign: z.string(),
      kind: DeviceKind,
      device: z.string(),
      wave: z.number().int(),
      state: z.string(),
      reason: z.string().nullable(),
      version: z.string(),
    }),
  },
  /** A device's credentials were replaced or revoked: its sessions on the broker must end. */
  'device.credentials-revoked': {
    version: 1,
    // Every process learns it from the database (the credentials cache), and only the one running
    // the embedded broker has sessions to end.
    crosses: false,
    data: z.object({ kind: DeviceKind, id: z.string() }),
  },
  /** A clip was offloaded and stored as evidence: the redaction workers' cue. */
  'clip.offloaded': {
    version: 1,
    crosses: true,
    data: z.object({
      clipId: z.string(),
      camera: Serial,
      dock: z.string(),
      station: Station.nullable(),
      size: z.number(),
    }),
  },
  /** The face-redacted derivative of a clip is ready for review. */
  'clip.redacted': {
    version: 1,
    crosses: true,
    data: z.object({ clipId: z.string() }),
  },
  'clip.reviewed': {
    version: 1,
    crosses: true,
    data: z.object({ clipId: z.string(), decision: z.string() }),
  },
  /** A station's shifts changed (a roster import or one shift). */
  'shift.roster-imported': {
    version: 1,
    crosses: true,
    data: z.object({ station: Station }),
  },
  /** A user's access changed (disabled, role or station): whatever was admitted with the old rights ends. */
  'user.access-changed': {
    version: 1,
    crosses: true,
    data: z.object({ username: z.string() }),
  },
  /**
   * A browser session ended (logout, or a new password ended it): its live sockets close, in every
   * process. `session` is a digest of the session id (shared/session-ref.ts): the id itself is the
   * cookie's secret and never leaves the process.
   */
  'user.session-ended': {
    version: 1,
    crosses: true,
    data: z.object({ username: z.string(), session: z.string() }),
  },
  // rollout (helper P)
  /**
   * A rollout phase was proposed, edited or changed status (approved, activated, review, a gate
   * decision). Crosses: every process's rollout scope (who is in scope) follows it.
   */
  'rollout.phase-changed': {
    version: 1,
    crosses: true,
    data: z.object({
      phase: z.string(),
      status: z.enum(['planned', 'approved', 'active', 'in-review', 'complete']),
      change: z.string(),
    }),
  },
  /** The programme's money changed: business case, cost lines, a tranche added or released, savings, spend. */
  'rollout.budget-changed': {
    version: 1,
    crosses: true,
    data: z.object({
      change: z.enum(['case', 'cost-lines', 'tranche-added', 'tranche-released', 'savings', 'spend']),
      tranche: z.string().nullable(),
    }),
  },
  /** A concern was logged or its outcome changed (category and outcome only: never its summary). */
  'rollout.concern-changed': {
    version: 1,
    crosses: true,
    data: z.object({ concern: z.string(), category: z.string(), outcome: z.string() }),
  },
  // rollout (helper M)
  /**
   * A check-out was refused because of the camera (issued, faulty, in repair, lost, retired, in
   * transit, at another station). `channel`: the stores desk (a person) or a dock (self-allocation
   * tries camera after camera; its own denial is `dock.allocation-denied`). The rollout's desk
   * availability counts desk refusals made while the officer's station had no camera in stock.
   */
  'camera.checkout-refused': {
    version: 1,
    crosses: false,
    data: z.object({
      camera: Serial,
      station: Station,
      officer: Officer,
      officerStation: Station,
      reason: z.string(),
      channel: z.enum(['desk', 'dock']),
    }),
  },
  /** A dock denied an officer's badge tap (`no-camera-available`: it had no camera to give). */
  'dock.allocation-denied': {
    version: 1,
    crosses: false,
    data: z.object({ dock: z.string(), officer: Officer, reason: z.string(), ts: z.string() }),
  },
  /** A reviewer marked a clip as evidential, or took the mark off. */
  'clip.evidential-changed': {
    version: 1,
    crosses: true,
    data: z.object({ clipId: z.string(), evidential: z.boolean() }),
  },
  /**
   * A reviewer marked a face the redaction missed: revision `revision` of the redacted copy is to be
   * rendered (a redaction worker's cue, in whichever process it runs).
   */
  'clip.missed-face-marked': {
    version: 1,
    crosses: true,
    data: z.object({ clipId: z.string(), mark: z.number().int(), revision: z.number().int() }),
  },
  /** An approved redacted copy was disclosed (exported) to a named recipient: the disclosure log. */
  'clip.disclosed': {
    version: 1,
    crosses: true,
    data: z.object({ clipId: z.string(), disclosureId: z.string(), sha256: z.string() }),
  },
  // rollout (helper R)
  /** A rollout progress report was published: its HTML and PDF stored write-once under these hashes. */
  'rollout.report-published': {
    version: 1,
    crosses: true,
    data: z.object({
      report: z.string(),
      month: z.string().nullable(),
      sha256Html: z.string(),
      sha256Pdf: z.string(),
    }),
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

/** The events that travel between processes (see `crosses` above). */
export const CROSSING_EVENTS = (Object.keys(DOMAIN_EVENTS) as DomainEventName[]).filter(
  (n) => DOMAIN_EVENTS[n].crosses,
);
