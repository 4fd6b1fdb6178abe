// The topic contract as JSON Schemas (draft 2020-12), for docs/mqtt.md and for device makers.
import { z } from 'zod';
import {
  CameraCommand,
  CameraEvent,
  CameraTelemetry,
  CommandAck,
  DeviceStatus,
  DockCommand,
  DockEvent,
  DockTelemetry,
} from './topics.js';

export function contractSchemas() {
  const entries: Array<[string, string, z.ZodType]> = [
    ['CameraTelemetry', '`bwv/v1/cameras/{serial}/telemetry` (device → platform, QoS 0)', CameraTelemetry],
    ['DockTelemetry', '`bwv/v1/docks/{id}/telemetry` (device → platform, QoS 0)', DockTelemetry],
    ['CameraEvent', '`bwv/v1/cameras/{serial}/events` (device → platform, QoS 1)', CameraEvent],
    ['DockEvent', '`bwv/v1/docks/{id}/events` (device → platform, QoS 1)', DockEvent],
    [
      'DeviceStatus',
      '`bwv/v1/{cameras|docks}/{id}/status` (device or broker → platform, QoS 1, retained)',
      DeviceStatus,
    ],
    ['CommandAck', '`bwv/v1/{cameras|docks}/{id}/acks` (device → platform, QoS 1)', CommandAck],
    ['DockCommand', '`bwv/v1/docks/{id}/commands` (platform → device, QoS 1)', DockCommand],
    ['CameraCommand', '`bwv/v1/cameras/{serial}/commands` (platform → device, QoS 1)', CameraCommand],
  ];
  return entries.map(([name, topics, schema]) => ({
    name,
    topics,
    schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
  }));
}
