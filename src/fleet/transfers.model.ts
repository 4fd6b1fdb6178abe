import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';

/** Cameras sent from one station to another: `in_transit` until the receiving station books them in. */
const transferFields = {
  _id: { type: String, required: true },
  id: { type: String, required: true },
  from: { type: String, required: true },
  to: { type: String, required: true },
  cameras: { type: [String], required: true },
  state: { type: String, enum: ['in_transit', 'received'] as const, required: true },
  notes: { type: String, default: '' },
  sentAt: { type: Date, required: true },
  sentBy: { type: String, required: true },
  receivedAt: { type: Date, default: null },
  receivedBy: { type: String, default: null },
};
const transferOptions = { collection: 'transfers', versionKey: false } as const;
type TransferRecord = Stored<typeof transferFields, typeof transferOptions>;
/** A transfer as stored, less its `_id` (its id again). */
export type TransferDoc = Omit<TransferRecord, '_id'>;

const transferSchema = new Schema<TransferRecord>(transferFields, transferOptions);

/**
 * One document per camera in transit (_id = serial): a camera can be in one transfer at a time,
 * claimed by inserting. Receipts (_id = transfer id) make "received" happen once.
 */
const transitFields = { _id: { type: String, required: true }, transfer: { type: String, required: true } };
const transitOptions = { collection: 'cameras_in_transit', versionKey: false } as const;
const transitSchema = new Schema<Stored<typeof transitFields, typeof transitOptions>>(
  transitFields,
  transitOptions,
);

const receiptFields = { _id: { type: String, required: true }, at: { type: Date, required: true } };
const receiptOptions = { collection: 'transfer_receipts', versionKey: false } as const;
const receiptSchema = new Schema<Stored<typeof receiptFields, typeof receiptOptions>>(
  receiptFields,
  receiptOptions,
);

export const transferModel = (conn: Connection) => conn.model<TransferRecord>('Transfer', transferSchema);
export const transitModel = (conn: Connection) => conn.model('CameraInTransit', transitSchema);
export const receiptModel = (conn: Connection) => conn.model('TransferReceipt', receiptSchema);
