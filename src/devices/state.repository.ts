import type { Collection } from 'mongodb';
import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { GroupCommit } from '../db/group-commit.js';
import {
  alertId,
  alertModel,
  historyId,
  historyModel,
  journalModel,
  shardModel,
  type AlertDoc,
  type HistoryDoc,
  type StateShardDoc,
} from './state.model.js';
import type { DeviceState, HistorySample } from './state.types.js';

type Alert = Omit<AlertDoc, '_id' | 'clearedAt'>;
/** Raise an alert, or clear the one raised at `raisedAt`. */
export type AlertOp = { op: 'raise'; alert: Alert } | { op: 'clear'; alert: Omit<Alert, 'detail'>; at: Date };

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

/** One sample of the open hour, as the journal keeps it until the hour's buckets are stored. */
export interface JournalEntry {
  kind: string;
  id: string;
  hour: Date;
  sample: HistorySample;
}

/**
 * History lookups in flight at once, for all requests together: half the embedded pool
 * (db/database.ts, EMBEDDED_POOL_SIZE), so the other half is always free for every other read.
 */
const HISTORY_LOOKUPS_IN_FLIGHT = 2;
const idOf = (a: Omit<Alert, 'detail'>) => alertId(a.kind, a.id, a.type, a.raisedAt);
let journalWrites = 0;
/** An unordered insert's failure that is duplicate keys only (the driver's `code` is the first's). */
function onlyDuplicates(err: unknown) {
  const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
  const each = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [err];
  return isDuplicateKey(err) && each.every(isDuplicateKey);
}

export class DeviceStateRepository {
  private readonly shards;
  private readonly history;
  private readonly journal;
  private readonly alerts;
  /**
   * Every history request's bucket lookups, first come first served, HISTORY_LOOKUPS_IN_FLIGHT at a
   * time (a GroupCommit runs one batch at a time: here the batch is a few parallel lookups).
   */
  private readonly historyLookups = new GroupCommit<string, HistoryDoc | null>(
    (ids) => Promise.all(ids.map((_id) => this.history.findOne({ _id }).lean<HistoryDoc>())),
    HISTORY_LOOKUPS_IN_FLIGHT,
  );
  /** `telemetry`: live state and history go to their own database (db/connection.ts says why). */
  constructor(conn: Connection, telemetry: Connection) {
    this.shards = shardModel(telemetry);
    this.history = historyModel(telemetry);
    this.journal = journalModel(telemetry);
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

  /** Appends samples to the journal: one document per hour they fall in. */
  async appendJournal(entries: JournalEntry[]): Promise<void> {
    const byHour = new Map<number, JournalEntry[]>();
    for (const e of entries) {
      const list = byHour.get(e.hour.getTime());
      if (list) list.push(e);
      else byHour.set(e.hour.getTime(), [e]);
    }
    const now = String(Date.now()).padStart(15, '0');
    await this.journal.collection.insertMany(
      [...byHour].map(([hour, list]) => ({
        _id: `${new Date(hour).toISOString().slice(0, 13)}/${now}-${process.pid}-${journalWrites++}`,
        hour: new Date(hour),
        samples: JSON.stringify(list.map(({ kind, id, sample }) => ({ kind, id, sample }))),
      })) as never[],
      { ordered: false },
    );
  }

  /** Every journaled sample, oldest first. */
  async journaled(): Promise<JournalEntry[]> {
    const docs = await this.journal.find({}).lean();
    docs.sort((a, b) => (a._id < b._id ? -1 : 1));
    return docs.flatMap((d) =>
      (JSON.parse(d.samples) as Array<{ kind: string; id: string; sample: HistorySample }>).map((e) => ({
        ...e,
        hour: new Date(d.hour),
        sample: { ...e.sample, t: new Date(e.sample.t) },
      })),
    );
  }

  /** Forgets the journal of hours before `hour` (their buckets are stored). */
  async dropJournal(hour: Date): Promise<void> {
    await this.journal.deleteMany({ hour: { $lt: hour } });
  }

  /**
   * Stored buckets of the given hours, one lookup by `_id` each: FerretDB v1's SQLite backend uses
   * an index only for `{_id: <string>}` (backends/sqlite/collection.go); an `_id` range, `$in` or a
   * filter on `hour` reads the whole collection, every device's history (one range find over
   * 20,088 buckets took 80 s; the 24 lookups it replaced took 0.3 s). Queued, a few at a time, so
   * that long ranges cannot put hundreds of lookups ahead of every other read in the pool (issue 14).
   */
  async historyOf(kind: string, id: string, hours: Date[]): Promise<HistoryDoc[]> {
    const docs = await Promise.all(hours.map((h) => this.historyLookups.add(historyId(kind, id, h))));
    return docs.filter((d): d is HistoryDoc => d !== null);
  }

  /** Deletes history buckets whose hour ended before the cutoff; returns how many. */
  async trimHistory(before: Date): Promise<number> {
    const res = await this.history.deleteMany({ hour: { $lt: new Date(before.getTime() - 3_600_000) } });
    return res.deletedCount;
  }

  /**
   * Raises, then clears. Each alert has its own `_id` (a re-raise is stamped later, state.service.ts
   * raiseInstant), so a clear only ever closes the alert it was raised as, and raises need no order
   * among themselves: one unordered insert, where a duplicate `_id` is that alert already stored
   * (a replayed write), skipped like history buckets are, instead of stopping the rest of the batch.
   * Clears go after, so a raise and its clear in one batch land in that order.
   */
  async writeAlerts(ops: AlertOp[]): Promise<void> {
    const raises = ops.flatMap((op) =>
      op.op === 'raise' ? [{ _id: idOf(op.alert), ...op.alert, clearedAt: null }] : [],
    );
    const clears = ops.flatMap((op) =>
      op.op === 'clear'
        ? [{ updateOne: { filter: { _id: idOf(op.alert) }, update: { $set: { clearedAt: op.at } } } }]
        : [],
    );
    const collection = this.alerts.collection as unknown as Collection<AlertDoc>;
    if (raises.length > 0) {
      try {
        await collection.insertMany(raises, { ordered: false });
      } catch (err) {
        if (!onlyDuplicates(err)) throw err;
      }
    }
    if (clears.length > 0) await collection.bulkWrite(clears, { ordered: false });
  }

  /** Every open alert (at start-up: which conditions are in force, and since when). */
  allOpenAlerts() {
    return this.alerts.find({ clearedAt: null }).lean<AlertDoc[]>();
  }

  openAlerts(limit: number) {
    return this.alerts
      .find({ clearedAt: null }, { _id: 0 })
      .sort({ raisedAt: -1 })
      .limit(limit)
      .lean<AlertDoc[]>();
  }
}
