// One device's update in a campaign, and the two claims that keep the engine honest across
// processes and restarts (FerretDB v1: a unique key claimed by an insert is the only atomic test):
// - membership `<kind>:<id>`: a device is in one active campaign at a time;
// - command `<campaign>|<kind>:<id>|<attempt>`: one command per attempt, ever, whoever sends it.
import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';
import { UPDATE_STATES } from './updates.states.js';

const updateFields = {
  /** `<campaign>|<kind>:<id>`. */
  _id: { type: String, required: true },
  campaign: { type: String, required: true },
  kind: { type: String, enum: ['camera', 'dock'] as const, required: true },
  device: { type: String, required: true },
  station: { type: String, required: true },
  model: { type: String, required: true },
  /** The version it reported when the campaign was created (a rollback goes back to it). */
  fromVersion: { type: String, required: true },
  wave: { type: Number, required: true },
  /** Position in the wave plan (spares first): the order devices are sent in. */
  order: { type: Number, required: true },
  state: { type: String, enum: UPDATE_STATES, required: true },
  /** Why it waits or failed, in words; null otherwise. */
  reason: { type: String, default: null },
  /** Commands sent so far; the current command is this attempt's. */
  attempt: { type: Number, default: 0 },
  commandId: { type: String, default: null },
  progress: { type: Number, default: null },
  stepDeadline: { type: Date, default: null },
  retryAt: { type: Date, default: null },
  lastStageAt: { type: Date, default: null },
  /** The rebooting ack's own timestamp (device clock): only telemetry newer than it counts. */
  rebootingTs: { type: String, default: null },
  finishedAt: { type: Date, default: null },
};
const updateOptions = { collection: 'firmware_updates', timestamps: true, versionKey: false } as const;
export type UpdateDoc = Stored<typeof updateFields, typeof updateOptions>;

const updateSchema = new Schema<UpdateDoc>(updateFields, updateOptions);
updateSchema.index({ campaign: 1, state: 1 });

const membershipFields = {
  /** `<kind>:<id>`: the device. */
  _id: { type: String, required: true },
  campaign: { type: String, required: true },
  at: { type: Date, required: true },
};
const membershipOptions = { collection: 'firmware_memberships', versionKey: false } as const;
export type MembershipDoc = Stored<typeof membershipFields, typeof membershipOptions>;
const membershipSchema = new Schema<MembershipDoc>(membershipFields, membershipOptions);
membershipSchema.index({ campaign: 1 });

const commandFields = {
  /** `<campaign>|<kind>:<id>|<attempt>`. */
  _id: { type: String, required: true },
  commandId: { type: String, required: true },
  at: { type: Date, required: true },
};
const commandOptions = { collection: 'firmware_commands', versionKey: false } as const;
export type CommandClaimDoc = Stored<typeof commandFields, typeof commandOptions>;
const commandSchema = new Schema<CommandClaimDoc>(commandFields, commandOptions);

export const updateModel = (conn: Connection) => conn.model<UpdateDoc>('FirmwareUpdate', updateSchema);
export const membershipModel = (conn: Connection) =>
  conn.model<MembershipDoc>('FirmwareMembership', membershipSchema);
export const commandClaimModel = (conn: Connection) =>
  conn.model<CommandClaimDoc>('FirmwareCommandClaim', commandSchema);
