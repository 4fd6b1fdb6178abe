// Commands to devices (`…/commands`): each gets an id and a timestamp, and is sent once the bus is
// connected; resolves with the id once the broker has it.
import { randomBytes } from 'node:crypto';
import type { BusClient } from './client.js';
import type { DeviceRef } from './topics.js';

export type SendCommand = (device: DeviceRef, command: Record<string, unknown>) => Promise<string>;

export const commandSender =
  (bus: () => BusClient | null): SendCommand =>
  async (device, command) => {
    const connected = bus();
    if (!connected) throw new Error('bus not connected');
    const commandId = randomBytes(8).toString('hex');
    await connected.publishCommand(device, { commandId, ts: new Date().toISOString(), ...command });
    return commandId;
  };
