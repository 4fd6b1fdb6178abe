import { Schema, type Connection } from 'mongoose';

/** Cameras sent from one station to another: `in_transit` until the receiving station books them in. */
export interface TransferDoc {
  id: string;
  from: string;
  to: string;
  cameras: string[];
  state: 'in_transit' | 'received';
  notes: string;
  sentAt: Date;
  sentBy: string;
  receivedAt: Date | null;
  receivedBy: string | null;
}

const transferSchema = new Schema<TransferDoc & { _id: string }>(
  {
    _id: { type: String, required: true },
    id: { type: String, required: true },
    from: { type: String, required: true },
    to: { type: String, required: true },
    cameras: { type: [String], required: true },
    state: { type: String, enum: ['in_transit', 'received'], required: true },
    notes: { type: String, default: '' },
    sentAt: { type: Date, required: true },
    sentBy: { type: String, required: true },
    receivedAt: { type: Date, default: null },
    receivedBy: { type: String, default: null },
  },
  { collection: 'transfers', versionKey: false },
);

/**
 * One document per camera in transit (_id = serial): a camera can be in one transfer at a time,
 * claimed by inserting. Receipts (_id = transfer id) make "received" happen once.
 */
const transitSchema = new Schema<{ _id: string; transfer: string }>(
  { _id: { type: String, required: true }, transfer: { type: String, required: true } },
  { collection: 'cameras_in_transit', versionKey: false },
);
const receiptSchema = new Schema<{ _id: string; at: Date }>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'transfer_receipts', versionKey: false },
);

export const transferModel = (conn: Connection) =>
  conn.model<TransferDoc & { _id: string }>('Transfer', transferSchema);
export const transitModel = (conn: Connection) => conn.model('CameraInTransit', transitSchema);
export const receiptModel = (conn: Connection) => conn.model('TransferReceipt', receiptSchema);
