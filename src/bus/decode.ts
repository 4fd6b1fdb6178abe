// Decoding a device's message: topic, JSON, schema, freshness. The broker thread runs this for every
// message devices publish (ten thousand a second at full fleet rate), so the busy channels are checked
// by validators that ajv compiles from the contract's JSON Schemas, the ones docs/mqtt.md publishes.
// zod defines the contract and stays its judge: a payload the compiled schema refuses is parsed by
// zod, whose verdict and message stand, and events (unions, a few a minute) go to zod directly.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';
import {
  CameraTelemetry,
  COMMAND_CHANNEL,
  CommandAck,
  DeviceStatus,
  DockTelemetry,
  INBOUND,
  parseTopic,
  storageWithinTotal,
  type DeviceChannel,
  type DeviceKind,
  type DeviceRef,
  type Inbound,
} from './topics.js';

const ajv = new Ajv2020({
  // zod drops keys a schema does not name, so a device cannot pad its stored state with extras.
  removeAdditional: 'all',
  // String lengths in UTF-16 code units, as zod counts them (a test holds the two to it). ajv calls
  // the option deprecated and says so at every start; it logs nothing else for fixed schemas.
  unicode: false,
  logger: false,
  // The schemas state date-times as a pattern too, which does the checking.
  formats: { 'date-time': true },
});

type Check = (json: unknown) => { success: true; data: unknown } | { success: false; error: z.ZodError };

/**
 * The compiled schema, then the rule JSON Schema cannot state; zod judges whatever fails either.
 * Compiled on first use: with the embedded broker only its thread decodes, and the platform's
 * thread would otherwise spend 0.1–0.2 s of its start compiling validators it never runs.
 */
function compiled(schema: z.ZodType, rule: (value: never) => boolean = () => true): Check {
  let valid: ((json: unknown) => boolean) | undefined;
  return (json) => {
    valid ??= ajv.compile(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
    return valid(json) && rule(json as never) ? { success: true, data: json } : schema.safeParse(json);
  };
}

const CHECKS: Record<DeviceKind, Record<DeviceChannel, Check>> = {
  camera: {
    telemetry: compiled(CameraTelemetry, storageWithinTotal),
    events: (json) => INBOUND.camera.events.safeParse(json),
    status: compiled(DeviceStatus),
    acks: compiled(CommandAck),
  },
  dock: {
    telemetry: compiled(DockTelemetry),
    events: (json) => INBOUND.dock.events.safeParse(json),
    status: compiled(DeviceStatus),
    acks: compiled(CommandAck),
  },
};

export type DecodeResult =
  { ok: true; message: Inbound } | { ok: false; device: DeviceRef | null; reason: string };

/**
 * Decodes one inbound message: topic, JSON, schema, freshness. Never throws.
 * A reading stamped more than `maxSkewMs` in the future or `maxAgeMs` in the past is stale.
 */
export function decode(
  topic: string,
  payload: Buffer,
  now: number,
  limits: { maxAgeMs: number; maxSkewMs: number },
): DecodeResult {
  const t = parseTopic(topic);
  if (!t || t.channel === COMMAND_CHANNEL) return { ok: false, device: null, reason: 'unknown topic' };
  const device = { kind: t.kind, id: t.id };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, device, reason: 'not JSON' };
  }
  const parsed = CHECKS[t.kind][t.channel](json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      device,
      reason: `invalid: ${issue ? `${issue.path.join('.')} ${issue.message}` : ''}`,
    };
  }
  const ts = (parsed.data as { ts?: string }).ts;
  if (ts !== undefined) {
    const at = Date.parse(ts);
    if (at > now + limits.maxSkewMs) return { ok: false, device, reason: 'timestamp in the future' };
    if (at < now - limits.maxAgeMs) return { ok: false, device, reason: 'stale' };
  }
  // Spelt out: spreading `device` here cost 4 µs a message, more than parsing the JSON.
  const message = { kind: t.kind, id: t.id, channel: t.channel, payload: parsed.data } as Inbound;
  return { ok: true, message };
}
