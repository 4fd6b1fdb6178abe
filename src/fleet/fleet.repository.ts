import type { Connection } from '../db/connection.js';
import { ReadCache } from '../read-cache.js';
import { isDuplicateKey } from '../db/connection.js';
import { cameraModel, dockModel, type CameraDoc, type DockDoc } from './fleet.model.js';
import type { CameraStatus } from './lifecycle.js';
import { containsText } from '../shared/paging.js';
import type { CameraFilter, DockFilter } from './fleet.schemas.js';

const NO_ID = { _id: 0 } as const;
export type NewCamera = Omit<
  CameraDoc,
  'createdAt' | 'updatedAt' | 'status' | 'holder' | 'importId' | 'transfer' | 'lostReason' | 'lostBy'
> &
  Partial<Pick<CameraDoc, 'status' | 'holder' | 'importId' | 'transfer' | 'lostReason' | 'lostBy'>>;

/** What a fleet view shows of a register record. */
export type RegisterFields = Partial<
  Pick<CameraDoc, 'station' | 'model' | 'status' | 'holder' | 'lostReason' | 'transfer'>
>;

/** The shown fields of a record as a write left it (null: not known; a reader reads it again). */
export const shownFields = (d: RegisterFields | null | false | undefined): RegisterFields | null =>
  d
    ? {
        station: d.station,
        model: d.model,
        ...(d.status && {
          status: d.status,
          holder: d.holder,
          lostReason: d.lostReason ?? null,
          transfer: d.transfer ?? null,
        }),
      }
    : null;

/** Why a camera is lost, kept on it while it is (its health and readiness say so). */
export interface CameraLoss {
  reason: 'lost' | 'stolen';
  officer: string | null;
}

export class FleetRepository {
  private readonly cameras;
  private readonly docks;
  /**
   * Camera records as last read, for showing (GET /cameras/:serial), kept `viewCacheMs`. Every write
   * below evicts what it changes, so this process always shows its own writes; a change made by
   * another API process shows within `viewCacheMs`. Decisions (check-out, repair…) never use it.
   */
  private readonly views: ReadCache<CameraDoc | false>;
  constructor(conn: Connection, viewCacheMs = 0) {
    this.cameras = cameraModel(conn);
    this.docks = dockModel(conn);
    this.views = new ReadCache(async (serial) => (await this.camera(serial)) ?? false, viewCacheMs, 50_000);
  }

  camera(serial: string) {
    return this.cameras.findOne({ _id: serial }, NO_ID).lean<CameraDoc>();
  }
  /** The camera for display: possibly cached (see `views`). */
  async cameraView(serial: string): Promise<CameraDoc | null> {
    return (await this.views.get(serial)) || null;
  }
  async cameraExists(serial: string) {
    return (await this.cameras.exists({ _id: serial })) !== null;
  }
  /** Inserts; false if the serial or the asset tag is taken. */
  insertCamera(c: NewCamera): Promise<CameraDoc | false> {
    return this.changing(c.serial, () =>
      insertUnique(async () => (await this.cameras.create({ ...c, _id: c.serial })).toObject()),
    );
  }
  /** Inserts many (CSV import); throws on the first failure, leaving earlier rows in place. */
  async insertCameras(cs: NewCamera[]): Promise<void> {
    await this.changing(null, () =>
      this.cameras.insertMany(
        cs.map((c) => ({ ...c, _id: c.serial })),
        { ordered: true },
      ),
    );
  }
  /** The stations an import's cameras went to. */
  importedStations(importId: string): Promise<string[]> {
    return this.cameras.distinct('station', { importId });
  }
  async deleteImported(importId: string): Promise<number> {
    return (await this.changing(null, () => this.cameras.deleteMany({ importId }))).deletedCount;
  }
  /** Which of these serials or asset tags are already in the register. */
  async taken(serials: string[], assetTags: string[]) {
    const found = await this.cameras
      .find(
        { $or: [{ serial: { $in: serials } }, { assetTag: { $in: assetTags } }] },
        { serial: 1, assetTag: 1 },
      )
      .lean<Array<Pick<CameraDoc, 'serial' | 'assetTag'>>>();
    return { serials: new Set(found.map((c) => c.serial)), assetTags: new Set(found.map((c) => c.assetTag)) };
  }
  /** Plain update: returns null when the camera does not exist (or the tag clashes: throws 11000). */
  async updateCamera(serial: string, set: Partial<CameraDoc>) {
    // No projection on findOneAndUpdate: FerretDB v1 does not implement findAndModify's `fields`.
    return dropId(
      await this.changing(serial, () =>
        this.cameras
          .findOneAndUpdate({ _id: serial }, { $set: set }, { returnDocument: 'after' })
          .lean<CameraDoc & { _id?: string }>(),
      ),
    );
  }
  /** Marks the camera as travelling in `transfer` (null: arrived, at `station` if given). */
  async setTransfer(serial: string, transfer: string | null, station?: string) {
    await this.changing(serial, () =>
      this.cameras.updateOne({ _id: serial }, { $set: { transfer, ...(station && { station }) } }),
    );
  }
  async setLifecycle(
    serial: string,
    status: CameraStatus,
    holder: string | null,
    loss: CameraLoss | null = null,
  ): Promise<CameraDoc | null> {
    // Any other status clears the loss: it says why a camera is lost, while it is.
    const set = { status, holder, lostReason: loss?.reason ?? null, lostBy: loss?.officer ?? null };
    // No projection: FerretDB v1 does not implement findAndModify's, so _id is dropped here.
    const c = await this.changing(serial, () =>
      this.cameras
        .findOneAndUpdate({ _id: serial }, { $set: set }, { returnDocument: 'after' })
        .lean<CameraDoc & { _id?: string }>(),
    );
    if (!c) return null;
    const { _id, ...camera } = c;
    return camera;
  }
  async markIssued(serial: string, holder: string) {
    // Read, then write by _id alone: FerretDB v1 answers a filter from an index only when it is
    // {_id} and nothing else (any other condition scans the collection), and its conditional
    // update is itself a read then a write, so this is no weaker on FerretDB.
    const now = await this.camera(serial);
    if (now?.status !== 'in_stock' || now.transfer) return false;
    await this.changing(serial, () =>
      this.cameras.updateOne({ _id: serial }, { $set: { status: 'issued', holder } }),
    );
    return true;
  }
  /**
   * Runs a write, then evicts what it touched from `views` (one camera, or all for `null`). After,
   * not before: a read that raced the write must not keep the old record. (The service announces
   * the change: repositories never publish events.)
   */
  private async changing<T>(serial: string | null, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      if (serial === null) this.views.clear();
      else this.views.evict(serial);
    }
  }

  async listCameras(filter: CameraFilter, limit: number, offset: number) {
    const q = cameraQuery(filter);
    const [items, total] = await Promise.all([
      this.cameras.find(q, NO_ID).sort({ serial: 1 }).skip(offset).limit(limit).lean<CameraDoc[]>(),
      this.cameras.countDocuments(q),
    ]);
    return { items, total };
  }
  /** Every camera matching the filter, in serial order, for export and label sheets. */
  allCameras(filter: CameraFilter) {
    return this.cameras.find(cameraQuery(filter), NO_ID).sort({ serial: 1 }).lean<CameraDoc[]>();
  }
  /** Cameras with this status, for start-up reconciliation of check-outs. */
  withStatus(status: CameraStatus) {
    return this.cameras.find({ status }, NO_ID).lean<CameraDoc[]>();
  }
  /** A station's cameras by status, leaving out those travelling in a transfer (at no station). */
  async stockByStatus(station: string) {
    const rows = await this.cameras.aggregate<{ _id: CameraStatus; count: number }>([
      { $match: { station, transfer: null } },
      { $group: { _id: '$status', count: { $sum: 1 } } },
    ]);
    return rows;
  }
  /** Cameras sent from the station and not yet received at the other end. */
  inTransitFrom(station: string) {
    return this.cameras.countDocuments({ station, transfer: { $ne: null } });
  }

  dock(id: string) {
    return this.docks.findOne({ _id: id }, NO_ID).lean<DockDoc>();
  }
  async insertDock(d: Omit<DockDoc, 'createdAt' | 'updatedAt'>): Promise<DockDoc | false> {
    return insertUnique(async () => (await this.docks.create({ ...d, _id: d.id })).toObject());
  }
  async updateDock(id: string, set: Partial<DockDoc>) {
    return dropId(
      await this.docks
        .findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' })
        .lean<DockDoc & { _id?: string }>(),
    );
  }
  async listDocks(filter: DockFilter, limit: number, offset: number) {
    const q = dockQuery(filter);
    const [items, total] = await Promise.all([
      this.docks.find(q, NO_ID).sort({ id: 1 }).skip(offset).limit(limit).lean<DockDoc[]>(),
      this.docks.countDocuments(q),
    ]);
    return { items, total };
  }
  /** Every dock matching the filter, in id order, for label sheets. */
  allDocks(filter: DockFilter) {
    return this.docks.find(dockQuery(filter), NO_ID).sort({ id: 1 }).lean<DockDoc[]>();
  }
}

function cameraQuery(filter: CameraFilter) {
  const q: Record<string, unknown> = {};
  if (filter.station) q.station = filter.station;
  if (filter.status) q.status = filter.status;
  if (filter.model) q.model = filter.model;
  if (filter.q) q.$or = [{ serial: containsText(filter.q) }, { assetTag: containsText(filter.q) }];
  return q;
}

function dockQuery(filter: DockFilter) {
  const q: Record<string, unknown> = {};
  if (filter.station) q.station = filter.station;
  if (filter.q) q.id = containsText(filter.q);
  return q;
}

function dropId<T extends { _id?: unknown }>(doc: T | null): Omit<T, '_id'> | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return rest;
}

async function insertUnique<T>(insert: () => Promise<T>): Promise<T | false> {
  try {
    const doc = await insert();
    delete (doc as { _id?: unknown })._id;
    return doc;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
