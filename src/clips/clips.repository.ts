import { isDuplicateKey, type Connection } from '../db/connection.js';
import {
  clipModel,
  derivativeModel,
  missedFaceModel,
  pendingOutputModel,
  type ClipDoc,
  type ClipStatus,
  type DerivativeDoc,
  type MissedFaceDoc,
} from './clips.model.js';

/** The claim key of a revision: the original's hash for revision 1 (as before revisions existed). */
export const revisionKey = (clip: string, revision: number) =>
  revision === 1 ? clip : `${clip}:${revision}`;

export interface ClipFilter {
  status?: ClipStatus;
  camera?: string;
  dock?: string;
  holder?: string;
  /** Only clips whose redaction is (true) or is not (false) flagged for review. */
  reviewRequired?: boolean;
}

export interface ClipMeasure {
  holder: string | null;
  recordedFrom: Date;
  recordedTo: Date;
  evidential: boolean;
  redacted: boolean;
}

export class ClipsRepository {
  private readonly clips;
  private readonly derivatives;
  private readonly pending;
  private readonly missed;
  constructor(conn: Connection) {
    this.clips = clipModel(conn);
    this.derivatives = derivativeModel(conn);
    this.pending = pendingOutputModel(conn);
    this.missed = missedFaceModel(conn);
  }

  /** Inserts; false if a clip with that hash exists. */
  async insert(doc: Omit<ClipDoc, 'createdAt' | 'updatedAt'>): Promise<boolean> {
    try {
      await this.clips.create(doc);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  get(id: string) {
    return this.clips.findById(id).lean<ClipDoc>();
  }

  // No projection on findOneAndUpdate: FerretDB v1 does not implement findAndModify's `fields`.
  async update(id: string, set: Partial<ClipDoc>): Promise<ClipDoc | null> {
    return this.clips.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after' }).lean<ClipDoc>();
  }

  async list(filter: ClipFilter, limit: number, offset: number) {
    const q: Record<string, unknown> = {};
    for (const k of ['status', 'camera', 'dock', 'holder'] as const) if (filter[k]) q[k] = filter[k];
    if (filter.reviewRequired !== undefined) q['risk.reviewRequired'] = filter.reviewRequired;
    const [items, total] = await Promise.all([
      this.clips.find(q).sort({ recordedFrom: -1 }).skip(offset).limit(limit).lean<ClipDoc[]>(),
      this.clips.countDocuments(q),
    ]);
    return { items, total };
  }

  /** What the rollout's measures read of the clips recorded in [from, to): no footage, no names. */
  measures(from: Date, to: Date): Promise<ClipMeasure[]> {
    return this.clips
      .find(
        { recordedFrom: { $gte: from, $lt: to } },
        { _id: 0, holder: 1, recordedFrom: 1, recordedTo: 1, evidential: 1, derivative: 1 },
      )
      .lean<Array<Pick<ClipDoc, 'holder' | 'recordedFrom' | 'recordedTo' | 'evidential' | 'derivative'>>>()
      .then((docs) =>
        docs.map((d) => ({
          holder: d.holder,
          recordedFrom: d.recordedFrom,
          recordedTo: d.recordedTo,
          evidential: d.evidential === true,
          redacted: d.derivative !== null && d.derivative !== undefined,
        })),
      );
  }

  /** Ids of clips whose redaction is not finished (for the redaction workers' sweep). */
  async unfinished(): Promise<string[]> {
    const docs = await this.clips
      .find({ status: { $in: ['queued', 'processing'] } }, { _id: 1 })
      .lean<Array<{ _id: string }>>();
    return docs.map((d) => d._id);
  }

  /** Claims the clip's one derivative; false if another worker claimed it first. */
  async claimDerivative(doc: DerivativeDoc): Promise<boolean> {
    try {
      await this.derivatives.create(doc);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  derivativeOf(id: string) {
    return this.derivatives.findById(id).lean<DerivativeDoc>();
  }

  /** A revision's claim, by its key (an _id lookup). */
  derivativeAt(clip: string, revision: number) {
    return this.derivatives.findById(revisionKey(clip, revision)).lean<DerivativeDoc>();
  }

  /** Every revision of a clip's derivative, newest first (revision 1 may predate the `clip` field). */
  async derivativesOf(clip: string): Promise<DerivativeDoc[]> {
    const docs = await this.derivatives.find({ $or: [{ _id: clip }, { clip }] }).lean<DerivativeDoc[]>();
    return docs.sort((a, b) => (b.revision ?? 1) - (a.revision ?? 1));
  }

  /** Inserts a missed-face mark; false if its number (its _id) is taken. */
  async insertMark(doc: MissedFaceDoc): Promise<boolean> {
    try {
      await this.missed.create(doc);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** A clip's missed-face marks, in the order they were numbered. */
  async marksOf(clip: string): Promise<MissedFaceDoc[]> {
    const docs = await this.missed.find({ clip }).lean<MissedFaceDoc[]>();
    return docs.sort((a, b) => a.mark - b.mark);
  }

  mark(clip: string, mark: number) {
    return this.missed.findById(`${clip}:${mark}`).lean<MissedFaceDoc>();
  }

  /** Marks whose revision nobody has claimed yet (for the redaction sweep). */
  async unrenderedMarks(): Promise<Array<{ clip: string; revision: number }>> {
    const marks = await this.missed.find({}, { clip: 1, revision: 1 }).lean<MissedFaceDoc[]>();
    if (marks.length === 0) return [];
    const keys = marks.map((m) => revisionKey(m.clip, m.revision));
    const claimed = await this.derivatives
      .find({ _id: { $in: keys } }, { _id: 1 })
      .lean<Array<{ _id: string }>>();
    const done = new Set(claimed.map((d) => d._id));
    return marks
      .filter((m) => !done.has(revisionKey(m.clip, m.revision)))
      .map((m) => ({ clip: m.clip, revision: m.revision }));
  }

  /** Whether any clip or derivative refers to this blob (as original, redacted copy or manifest). */
  async references(sha256: string): Promise<boolean> {
    const [clips, derivatives] = await Promise.all([
      this.clips.countDocuments({ _id: sha256 }),
      this.derivatives.countDocuments({ $or: [{ sha256 }, { manifestSha256: sha256 }] }),
    ]);
    return clips + derivatives > 0;
  }

  /** Notes outputs about to be committed (an output already noted stays noted). */
  async notePending(clip: string, sha256s: string[]): Promise<void> {
    const at = new Date();
    for (const _id of sha256s) {
      try {
        await this.pending.updateOne({ _id }, { $set: { clip, at } }, { upsert: true });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // noted at the same moment by another worker: noted
      }
    }
  }

  async clearPending(sha256s: string[]): Promise<void> {
    await this.pending.deleteMany({ _id: { $in: sha256s } });
  }

  /** Outputs noted before `before` and never cleared: their worker stopped between write and claim. */
  async stalePending(before: Date): Promise<string[]> {
    const docs = await this.pending.find({ at: { $lt: before } }, { _id: 1 }).lean<Array<{ _id: string }>>();
    return docs.map((d) => d._id);
  }

  countDerivatives(id: string) {
    return this.derivatives.countDocuments({ _id: id });
  }
}
