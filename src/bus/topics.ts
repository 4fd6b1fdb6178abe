// The MQTT topic contract, version 1: every topic the platform uses and the zod schema of its
// payload. docs/mqtt.md is generated from the same schemas (z.toJSONSchema) so the two cannot drift.
import { z } from 'zod';

export const TOPIC_ROOT = 'bwv/v1';

/** Device kinds as they appear in topics: `bwv/v1/{cameras|docks}/{id}/…`. */
export const DEVICE_KINDS = ['camera', 'dock'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
const plural = { camera: 'cameras', dock: 'docks' } as const satisfies Record<DeviceKind, string>;
const singular = new Map<string, DeviceKind>([
  ['cameras', 'camera'],
  ['docks', 'dock'],
]);

/** A serial or dock id as it may appear in a topic level: no MQTT wildcards, no slashes. */
const DEVICE_ID = /^[A-Za-z0-9_-]{1,40}$/;
export const DeviceId = z.string().regex(DEVICE_ID, 'letters, digits, _ or - (1–40)');

/** Channels a device publishes on, and the one it subscribes to. */
export const DEVICE_CHANNELS = ['telemetry', 'events', 'status', 'acks'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];
export const COMMAND_CHANNEL = 'commands';

export interface DeviceRef {
  kind: DeviceKind;
  id: string;
}

export const deviceTopic = (ref: DeviceRef, channel: DeviceChannel | typeof COMMAND_CHANNEL) =>
  `${TOPIC_ROOT}/${plural[ref.kind]}/${ref.id}/${channel}`;

/** What the platform's own client subscribes to: every device channel of every device. */
export const INGEST_SUBSCRIPTIONS = DEVICE_KINDS.flatMap((k) =>
  DEVICE_CHANNELS.map((c) => `${TOPIC_ROOT}/${plural[k]}/+/${c}`),
);

export interface ParsedTopic extends DeviceRef {
  channel: DeviceChannel | typeof COMMAND_CHANNEL;
}

/**
 * Parsed topics, by topic string. Every message's topic is parsed (ten thousand a second at full
 * fleet rate) and a fleet uses a fixed set of them, so the split is done once per topic. Bounded:
 * emptied when full, so topics outside the contract cannot grow it.
 */
const parsedTopics = new Map<string, ParsedTopic | null>();
const PARSED_TOPICS_MAX = 100_000;

/** Splits a topic into device and channel; null for anything outside the contract. */
export function parseTopic(topic: string): ParsedTopic | null {
  const known = parsedTopics.get(topic);
  if (known !== undefined) return known;
  const parsed = splitTopic(topic);
  if (parsedTopics.size >= PARSED_TOPICS_MAX) parsedTopics.clear();
  parsedTopics.set(topic, parsed);
  return parsed;
}

function splitTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return null;
  const kind = singular.get(parts[2]!);
  const id = parts[3]!;
  const channel = parts[4]!;
  if (!kind || !DEVICE_ID.test(id)) return null;
  if (channel !== COMMAND_CHANNEL && !(DEVICE_CHANNELS as readonly string[]).includes(channel)) return null;
  return Object.freeze({ kind, id, channel: channel as ParsedTopic['channel'] });
}

// ---- payloads ---------------------------------------------------------------------------------

const Timestamp = z.iso.datetime({ offset: true }).describe('When the device took the reading (ISO 8601)');
const Percent = z.number().min(0).max(100);
/** Collar number of an officer, as the register stores it. */
const OfficerNumber = z.string().regex(/^[A-Za-z0-9-]{1,20}$/);

/** A rule JSON Schema cannot state (it compares two fields); decode.ts checks it after the schema. */
export const storageWithinTotal = (t: { storageUsedMb: number; storageTotalMb: number }) =>
  t.storageUsedMb <= t.storageTotalMb;

export const CameraTelemetry = z
  .object({
    ts: Timestamp,
    battery: Percent.describe('Battery charge, percent'),
    charging: z.boolean(),
    storageUsedMb: z.number().int().min(0),
    storageTotalMb: z.number().int().positive(),
    firmware: z.string().min(1).max(40),
    recording: z.boolean(),
    dock: z.object({ id: DeviceId, slot: z.number().int().min(0).max(63) }).nullable(),
    assignedTo: OfficerNumber.nullable().describe('Officer the camera believes it is issued to'),
  })
  .refine(storageWithinTotal, {
    message: 'storageUsedMb exceeds storageTotalMb',
    path: ['storageUsedMb'],
  });

export const DockSlot = z.object({
  slot: z.number().int().min(0).max(63),
  camera: DeviceId.nullable().describe('Serial of the camera in the slot, null when empty'),
  charging: z.boolean(),
  offload: z.enum(['idle', 'offloading', 'done', 'failed']),
});

export const DockTelemetry = z.object({
  ts: Timestamp,
  firmware: z.string().min(1).max(40),
  slots: z.array(DockSlot).max(64),
  network: z.object({ online: z.boolean(), uplinkMbps: z.number().min(0).nullable() }),
});

export const CameraEvent = z.discriminatedUnion('type', [
  z.object({
    ts: Timestamp,
    type: z.literal('docked'),
    dock: DeviceId,
    slot: z.number().int().min(0).max(63),
  }),
  z.object({ ts: Timestamp, type: z.literal('undocked'), dock: DeviceId }),
  z.object({ ts: Timestamp, type: z.literal('recording_started') }),
  z.object({ ts: Timestamp, type: z.literal('recording_stopped') }),
  z.object({
    ts: Timestamp,
    type: z.literal('fault'),
    code: z.string().min(1).max(40),
    message: z.string().max(200),
  }),
  z.object({ ts: Timestamp, type: z.literal('fault_cleared'), code: z.string().min(1).max(40) }),
]);

export const DockEvent = z.discriminatedUnion('type', [
  z.object({ ts: Timestamp, type: z.literal('badge_tap'), officer: OfficerNumber }),
  z.object({
    ts: Timestamp,
    type: z.literal('docked'),
    camera: DeviceId,
    slot: z.number().int().min(0).max(63),
  }),
  z.object({
    ts: Timestamp,
    type: z.literal('undocked'),
    camera: DeviceId,
    slot: z.number().int().min(0).max(63),
  }),
  z.object({
    ts: Timestamp,
    type: z.literal('fault'),
    code: z.string().min(1).max(40),
    message: z.string().max(200),
  }),
  z.object({ ts: Timestamp, type: z.literal('fault_cleared'), code: z.string().min(1).max(40) }),
]);

/**
 * Presence, retained. Devices publish `{"online":true}` after CONNECT and set `{"online":false}`
 * as their last will, so an unclean loss is announced by the broker [MQTT-3.1.2-8]; a device
 * publishes `{"online":false}` itself before a clean DISCONNECT (which discards the will).
 */
export const DeviceStatus = z.object({ online: z.boolean() });

/** The steps of a firmware update a device reports, in order (on `…/acks`, with the command's id). */
export const FIRMWARE_STAGES = ['downloading', 'downloaded', 'verifying', 'installing', 'rebooting'] as const;
export type FirmwareStage = (typeof FIRMWARE_STAGES)[number];

/**
 * A device's answer to a command. Most commands get one ack. A `firmware-update` gets one per step
 * it reaches (`stage`, with `progress` while downloading); `ok: false` says the step named by
 * `stage` failed, and why in `detail`. An update has succeeded only when the device's telemetry
 * shows the new version after it rebooted, never on an ack.
 */
export const CommandAck = z.object({
  ts: Timestamp,
  commandId: z.string().min(1).max(64),
  ok: z.boolean(),
  detail: z.string().max(200).optional(),
  stage: z.enum(FIRMWARE_STAGES).optional().describe('Firmware updates: the step reached or failed'),
  progress: Percent.optional().describe('Firmware updates while downloading: percent received'),
});

/** Semantic version (`major.minor.patch`, optional pre-release/build), as firmware is versioned. */
export const FirmwareVersion = z
  .string()
  .max(40)
  .regex(
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/,
    'a semantic version (1.2.3)',
  );

/**
 * Install a firmware artifact: download `url` (HTTP, Range allowed, the device's own credentials as
 * HTTP Basic), check `size` and `sha256`, verify the Ed25519 `signature` over the bytes with the
 * vendor keys the device trusts, install, reboot into `version`. Report each step on `…/acks`.
 * The command id is the update's identity: a device that gets the same id again (a redelivery)
 * carries on with the update it has and starts nothing new.
 */
const FirmwareUpdateCommand = z.object({
  commandId: z.string(),
  ts: Timestamp,
  type: z.literal('firmware-update'),
  version: FirmwareVersion,
  url: z.url(),
  size: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.base64().describe('Ed25519 signature over the artifact bytes, base64'),
});

/** Commands the platform sends (topic `…/commands`). Devices acknowledge on `…/acks`. */
export const DockCommand = z.discriminatedUnion('type', [
  z.object({
    commandId: z.string(),
    ts: Timestamp,
    type: z.literal('release_slot'),
    slot: z.number().int().min(0).max(63),
    camera: DeviceId,
    officer: OfficerNumber,
  }),
  z.object({
    commandId: z.string(),
    ts: Timestamp,
    type: z.literal('deny'),
    officer: OfficerNumber,
    reason: z.string(),
  }),
  FirmwareUpdateCommand,
]);
export const CameraCommand = z.discriminatedUnion('type', [
  z.object({ commandId: z.string(), ts: Timestamp, type: z.literal('locate') }),
  FirmwareUpdateCommand,
]);
export type FirmwareUpdateCommand = z.output<typeof FirmwareUpdateCommand>;

export type CameraTelemetry = z.output<typeof CameraTelemetry>;
export type DockTelemetry = z.output<typeof DockTelemetry>;
export type CameraEvent = z.output<typeof CameraEvent>;
export type DockEvent = z.output<typeof DockEvent>;
export type DeviceStatus = z.output<typeof DeviceStatus>;
export type CommandAck = z.output<typeof CommandAck>;
export type DockCommand = z.output<typeof DockCommand>;
export type CameraCommand = z.output<typeof CameraCommand>;

/** Inbound schema per kind and channel: what the platform accepts from devices. */
export const INBOUND = {
  camera: { telemetry: CameraTelemetry, events: CameraEvent, status: DeviceStatus, acks: CommandAck },
  dock: { telemetry: DockTelemetry, events: DockEvent, status: DeviceStatus, acks: CommandAck },
} as const satisfies Record<DeviceKind, Record<DeviceChannel, z.ZodType>>;

/** A validated inbound message, discriminated by kind and channel. */
export type Inbound =
  | { kind: 'camera'; id: string; channel: 'telemetry'; payload: CameraTelemetry }
  | { kind: 'camera'; id: string; channel: 'events'; payload: CameraEvent }
  | { kind: 'dock'; id: string; channel: 'telemetry'; payload: DockTelemetry }
  | { kind: 'dock'; id: string; channel: 'events'; payload: DockEvent }
  | { kind: DeviceKind; id: string; channel: 'status'; payload: DeviceStatus }
  | { kind: DeviceKind; id: string; channel: 'acks'; payload: CommandAck };

/** Platform service topics for offloaded clips: `bwv/v1/clips/{clipId}/{event}` (platform → dashboard). */
export const CLIP_EVENTS = ['offloaded', 'progress', 'redacted', 'failed', 'reviewed'] as const;
export const clipTopic = (clipId: string, event: (typeof CLIP_EVENTS)[number]) =>
  `${TOPIC_ROOT}/clips/${clipId}/${event}`;

/**
 * The domain event spine between platform processes: `bwv/v1/internal/events/{type}`, each message
 * an event envelope (events/domain-events.ts) as JSON, QoS 1. Service identities only: a device may
 * neither publish nor subscribe here (identity.ts; Mosquitto: dynsec.ts), since these events change
 * what every dashboard shows and what redaction workers do.
 */
export const INTERNAL_EVENTS_ROOT = `${TOPIC_ROOT}/internal/events`;
export const INTERNAL_EVENTS_FILTER = `${INTERNAL_EVENTS_ROOT}/+`;
export const internalEventTopic = (type: string) => `${INTERNAL_EVENTS_ROOT}/${type}`;
/** The event type an internal topic carries; null for any other topic. */
export const internalEventType = (topic: string): string | null =>
  topic.startsWith(`${INTERNAL_EVENTS_ROOT}/`) ? topic.slice(INTERNAL_EVENTS_ROOT.length + 1) : null;
