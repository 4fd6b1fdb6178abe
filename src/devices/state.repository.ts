import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { alertModel, historyModel, stateModel, type AlertDoc, type HistoryDoc } from './state.model.js';
import type { DeviceState, HistorySample } from './state.types.js';

const NO_ID = { _id: 0 } as const;

export interface HistoryBatch {
  kind: string;
  id: string;
  hour: Date;
  samples: HistorySample[];
}

export class DeviceStateRepository {
  private readonly states;
  private readonly history;
  private readonly alerts;
  constructor(conn: Connection) {
    this.states = stateModel(conn);
    this.history = historyModel(conn);
    this.alerts = alertModel(conn);
  }

  all() {
    return this.states.find({}, NO_ID).lean<DeviceState[]>();
  }

  /** One unordered bulk write for a whole batch of device states; returns the operations sent. */
  async saveStates(batch: DeviceState[]): Promise<number> {
    if (batch.length === 0) return 0;
    const ops: AnyBulkWriteOperation<DeviceState>[] = batch.map((s) => ({
      updateOne: { filter: { kind: s.kind, id: s.id }, update: { $set: s }, upsert: true },
    }));
    await this.states.collection.bulkWrite(ops as AnyBulkWriteOperation[], { ordered: false });
    return ops.length;
  }

  /** Appends samples to hourly buckets, creating a bucket on its first sample. */
  async appendHistory(batch: HistoryBatch[]): Promise<number> {
    if (batch.length === 0) return 0;
    const ops: AnyBulkWriteOperation[] = batch.map((b) => {
      const update: Document = { $push: { samples: { $each: b.samples } } };
      return { updateOne: { filter: { kind: b.kind, id: b.id, hour: b.hour }, update, upsert: true } };
    });
    try {
      await this.history.collection.bulkWrite(ops, { ordered: false });
    } catch (err) {
      // Only a concurrent first insert of the same bucket can collide; the bucket exists now, so
      // the retried $push lands in it.
      if (!isDuplicateKey(err)) throw err;
      await this.history.collection.bulkWrite(ops, { ordered: false });
    }
    return ops.length;
  }

  historyOf(kind: string, id: string, from: Date, to: Date) {
    return this.history
      .find({ kind, id, hour: { $gte: new Date(from.getTime() - 3_600_000), $lte: to } }, NO_ID)
      .sort({ hour: 1 })
      .lean<HistoryDoc[]>();
  }

  /** Deletes history buckets that ended before the cutoff; returns how many. */
  async trimHistory(before: Date): Promise<number> {
    const res = await this.history.deleteMany({ hour: { $lt: new Date(before.getTime() - 3_600_000) } });
    return res.deletedCount;
  }

  async raiseAlert(a: Omit<AlertDoc, 'clearedAt'>) {
    await this.alerts.create({ ...a, clearedAt: null });
  }
  async clearAlert(kind: string, id: string, type: string, at: Date) {
    await this.alerts.updateMany({ kind, id, type, clearedAt: null }, { $set: { clearedAt: at } });
  }
  openAlerts(limit: number) {
    return this.alerts
      .find({ clearedAt: null }, NO_ID)
      .sort({ raisedAt: -1 })
      .limit(limit)
      .lean<AlertDoc[]>();
  }
}
