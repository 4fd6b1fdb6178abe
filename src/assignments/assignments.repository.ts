import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { GroupCommit } from '../db/group-commit.js';
import {
  cameraEventModel,
  closedAssignmentModel,
  faultModel,
  openAssignmentModel,
  type CameraEventDoc,
  type ClosedAssignmentDoc,
  type FaultDoc,
  type OpenAssignmentDoc,
} from './assignments.model.js';

const NO_ID = { _id: 0 } as const;

/** True when every write a (bulk) insert refused was a duplicate key. */
function onlyDuplicateKeys(err: unknown): boolean {
  const writeErrors = (err as { writeErrors?: unknown[] }).writeErrors;
  if (Array.isArray(writeErrors) && writeErrors.length > 0)
    return writeErrors.every(
      (w) => (w as { code?: unknown }).code === 11000 || isDuplicateKey((w as { err?: unknown }).err),
    );
  return isDuplicateKey(err);
}

/** What blocked a check-out claim. */
export type ClaimResult = 'claimed' | 'camera-taken' | 'officer-taken';

/** Who held which camera, from when until when (null: still holds it). */
export interface CustodySpan {
  camera: string;
  officer: string;
  station: string;
  issuedAt: Date;
  returnedAt: Date | null;
}

export class AssignmentsRepository {
  private readonly open;
  private readonly closed;
  private readonly events;
  private readonly faults;
  private readonly eventWriter;
  constructor(conn: Connection) {
    this.open = openAssignmentModel(conn);
    this.closed = closedAssignmentModel(conn);
    this.events = cameraEventModel(conn);
    this.faults = faultModel(conn);
    this.eventWriter = new GroupCommit<CameraEventDoc & { _id?: string }>(async (events) => {
      try {
        await this.events.insertMany(events, { ordered: false, lean: true });
      } catch (err) {
        // A keyed event already there was written by an earlier attempt: that is success.
        if (!onlyDuplicateKeys(err)) throw err;
      }
      return events.map(() => undefined);
    }, 200);
  }

  /** Inserts the open assignment; the unique indexes on camera and officer decide concurrent claims. */
  async claim(a: OpenAssignmentDoc): Promise<ClaimResult> {
    try {
      await this.open.create({ ...a, _id: a.camera });
      return 'claimed';
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return (await this.whichClaimBlocks(err, a)) ?? this.claim(a);
    }
  }

  /** Names the index that refused the insert; null if the blocker has gone since (retry then). */
  private async whichClaimBlocks(err: unknown, a: OpenAssignmentDoc): Promise<ClaimResult | null> {
    const keyPattern = (err as { keyPattern?: Record<string, unknown> }).keyPattern;
    if (keyPattern?._id || keyPattern?.camera) return 'camera-taken';
    if (keyPattern?.officer) return 'officer-taken';
    // FerretDB's error carries no keyPattern: look at who holds what.
    if (await this.open.exists({ _id: a.camera })) return 'camera-taken';
    if (await this.open.exists({ officer: a.officer })) return 'officer-taken';
    return null;
  }

  /**
   * Deletes the camera's open assignment. Callers hold it (they claimed it, or claimed its return),
   * so no newer claim can exist yet; the filter is _id alone because FerretDB v1 scans the
   * collection for any other.
   */
  async release(a: Pick<OpenAssignmentDoc, 'camera'>) {
    await this.open.deleteOne({ _id: a.camera });
  }

  /** Deletes this very assignment only (by camera and id: a newer claim is never removed). */
  async releaseExactly(a: Pick<OpenAssignmentDoc, 'camera' | 'id'>) {
    await this.open.deleteOne({ _id: a.camera, id: a.id });
  }

  openByCamera(camera: string) {
    return this.open.findOne({ _id: camera }, NO_ID).lean<OpenAssignmentDoc>();
  }
  openByOfficer(officer: string) {
    return this.open.findOne({ officer }, NO_ID).lean<OpenAssignmentDoc>();
  }
  closedCovering(camera: string, at: Date) {
    return this.closed
      .findOne({ camera, issuedAt: { $lte: at }, returnedAt: { $gt: at } }, NO_ID)
      .lean<ClosedAssignmentDoc>();
  }
  allOpen() {
    return this.open.find({}, NO_ID).lean<OpenAssignmentDoc[]>();
  }

  /** Inserts the closed record; false if this assignment was already closed by someone else. */
  async close(c: ClosedAssignmentDoc): Promise<boolean> {
    try {
      await this.closed.create({ ...c, _id: c.id });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
  closedById(id: string) {
    return this.closed.findOne({ _id: id }, NO_ID).lean<ClosedAssignmentDoc>();
  }
  lastClosed(camera: string) {
    return this.closed.findOne({ camera }, NO_ID).sort({ returnedAt: -1 }).lean<ClosedAssignmentDoc>();
  }

  /**
   * Appends to the camera's and officer's history (batched with concurrent appends). With a `key`
   * (the change's identity) it is written at most once however often it is added.
   */
  addEvent(e: CameraEventDoc, key?: string) {
    return this.eventWriter.add({ ...e, ...(key !== undefined && { _id: key }) });
  }
  /** Whether the event with this key is in the history (an indexed lookup). */
  async hasEvent(key: string): Promise<boolean> {
    // The driver's collection: mongoose would cast the key to the schema's default ObjectId _id.
    const found = await this.events.collection.findOne({ _id: key as never }, { projection: { _id: 1 } });
    return found !== null;
  }
  async history(q: { camera?: string; officer?: string }, limit: number, offset: number) {
    const [items, total] = await Promise.all([
      this.events.find(q, NO_ID).sort({ at: -1, _id: -1 }).skip(offset).limit(limit).lean<CameraEventDoc[]>(),
      this.events.countDocuments(q),
    ]);
    return { items, total };
  }

  /** Inserts the fault; an id already there (written by an earlier attempt) is left as it is. */
  async openFault(f: FaultDoc) {
    try {
      await this.faults.collection.insertOne({ ...f });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  faultById(id: string) {
    return this.faults.findOne({ id }, NO_ID).lean<FaultDoc>();
  }
  currentFault(camera: string) {
    return this.faults.findOne({ camera, state: { $ne: 'closed' } }, NO_ID).lean<FaultDoc>();
  }
  async setFaultState(id: string, state: FaultDoc['state'], closedAt: Date | null) {
    await this.faults.updateOne({ id }, { $set: { state, closedAt } });
  }
  /** Custody spans (open, and closed since `since`), only the fields the rollout's measures use. */
  async custodySince(since: Date): Promise<CustodySpan[]> {
    const fields = { _id: 0, camera: 1, officer: 1, station: 1, issuedAt: 1 } as const;
    const [open, closed] = await Promise.all([
      this.open.find({}, fields).lean<Array<Omit<CustodySpan, 'returnedAt'>>>(),
      this.closed.find({ returnedAt: { $gte: since } }, { ...fields, returnedAt: 1 }).lean<CustodySpan[]>(),
    ]);
    return [...open.map((o) => ({ ...o, returnedAt: null })), ...closed];
  }

  /** Faults opened in [from, to): camera and when. */
  faultsOpened(from: Date, to: Date): Promise<Array<{ camera: string; openedAt: Date }>> {
    return this.faults
      .find({ openedAt: { $gte: from, $lt: to } }, { _id: 0, camera: 1, openedAt: 1 })
      .lean<Array<{ camera: string; openedAt: Date }>>();
  }

  faultsOf(camera: string) {
    return this.faults.find({ camera }, NO_ID).sort({ openedAt: -1 }).lean<FaultDoc[]>();
  }
}
