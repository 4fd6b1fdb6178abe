import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { receiptModel, transferModel, transitModel, type TransferDoc } from './transfers.model.js';

const NO_ID = { _id: 0 } as const;

export class TransfersRepository {
  private readonly transfers;
  private readonly transit;
  private readonly receipts;
  constructor(conn: Connection) {
    this.transfers = transferModel(conn);
    this.transit = transitModel(conn);
    this.receipts = receiptModel(conn);
  }

  /** Claims a camera for a transfer; false if it is already in transit. */
  async claimCamera(serial: string, transfer: string): Promise<boolean> {
    try {
      await this.transit.create({ _id: serial, transfer });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
  async releaseCamera(serial: string, transfer: string) {
    await this.transit.deleteOne({ _id: serial, transfer });
  }
  /** Claims the receipt of a transfer; false if it was already received. */
  async claimReceipt(id: string): Promise<boolean> {
    try {
      await this.receipts.create({ _id: id, at: new Date() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async insert(t: TransferDoc) {
    await this.transfers.create({ ...t, _id: t.id });
  }
  async remove(id: string) {
    await this.transfers.deleteOne({ _id: id });
  }
  get(id: string) {
    return this.transfers.findOne({ _id: id }, NO_ID).lean<TransferDoc>();
  }
  async markReceived(id: string, at: Date, by: string) {
    await this.transfers.updateOne(
      { _id: id },
      { $set: { state: 'received', receivedAt: at, receivedBy: by } },
    );
  }
  async list(filter: { state?: TransferDoc['state']; station?: string }, limit: number, offset: number) {
    const q: Record<string, unknown> = {};
    if (filter.state) q.state = filter.state;
    if (filter.station) q.$or = [{ from: filter.station }, { to: filter.station }];
    const [items, total] = await Promise.all([
      this.transfers.find(q, NO_ID).sort({ sentAt: -1 }).skip(offset).limit(limit).lean<TransferDoc[]>(),
      this.transfers.countDocuments(q),
    ]);
    return { items, total };
  }
}
