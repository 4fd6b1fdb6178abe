import { isDuplicateKey, type Connection } from '../db/connection.js';
import {
  clipModel,
  derivativeModel,
  pendingOutputModel,
  type ClipDoc,
  type ClipStatus,
  type DerivativeDoc,
} from './clips.model.js';

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
  constructor(conn: Connection) {
    this.clips = clipModel(conn);
    this.derivatives = derivativeModel(conn);
    this.pending = pendingOutputModel(conn);
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
