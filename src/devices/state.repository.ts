import type { Collection } from 'mongodb';
import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import {
  alertModel,
  historyId,
  historyModel,
  shardModel,
  type AlertDoc,
  type HistoryDoc,
  type StateShardDoc,
} from './state.model.js';
import type { DeviceState, HistorySample } from './state.types.js';

/** A device state as stored: its dates are ISO strings in the shard's JSON. */
type StoredState = Omit<DeviceState, 'lastSeen' | 'updatedAt'> & {
  lastSeen: string | null;
  updatedAt: string;
};

export interface HistoryBucket {
  kind: string;
  id: string;
  hour: Date;
  samples: HistorySample[];
}

export class DeviceStateRepository {
  private readonly shards;
  private readonly history;
  private readonly alerts;
  constructor(conn: Connection) {
    this.shards = shardModel(conn);
    this.history = historyModel(conn);
    this.alerts = alertModel(conn);
  }

  async all(): Promise<DeviceState[]> {
    const docs = await this.shards.find({}).lean();
    return docs
      .flatMap((d) => Object.values(JSON.parse(d.devices) as Record<string, StoredState>))
      .map((s) => ({
        ...s,
        lastSeen: s.lastSeen ? new Date(s.lastSeen) : null,
        updatedAt: new Date(s.updatedAt),
      }));
  }

  /** Replaces each shard document whole, in one unordered bulk write; returns documents written. */
  async saveShards(shards: Array<{ id: string; kind: string; devices: Record<string, DeviceState> }>) {
    if (shards.length === 0) return 0;
    const savedAt = new Date();
    // The driver's collection, not the model: mongoose would cast and copy every document.
    const collection = this.shards.collection as unknown as Collection<StateShardDoc>;
    await collection.bulkWrite(
      shards.map((s) => ({
        replaceOne: {
          filter: { _id: s.id },
          replacement: { kind: s.kind, devices: JSON.stringify(s.devices), savedAt },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    return shards.length;
  }

  /**
   * Inserts closed hourly buckets in one batch. A bucket already stored (written before a restart
   * in the same hour) is kept: duplicates are skipped, which makes a retried write harmless.
   */
  async insertHistory(buckets: HistoryBucket[]): Promise<number> {
    if (buckets.length === 0) return 0;
    const docs = buckets.map((b) => ({ _id: historyId(b.kind, b.id, b.hour), ...b }));
    try {
      await this.history.collection.insertMany(docs as never[], { ordered: false });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    return docs.length;
  }

  /** Stored buckets for the given hours, looked up by `_id` (the only key FerretDB v1 pushes down). */
  async historyOf(kind: string, id: string, hours: Date[]): Promise<HistoryDoc[]> {
    const docs = await Promise.all(
      hours.map((h) => this.history.findOne({ _id: historyId(kind, id, h) }).lean<HistoryDoc>()),
    );
    return docs.filter((d): d is HistoryDoc => d !== null);
  }

  /** Deletes history buckets whose hour ended before the cutoff; returns how many. */
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
      .find({ clearedAt: null }, { _id: 0 })
      .sort({ raisedAt: -1 })
      .limit(limit)
      .lean<AlertDoc[]>();
  }
}
