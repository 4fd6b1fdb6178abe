import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { GroupCommit } from '../db/group-commit.js';
import {
  commandClaimModel,
  membershipModel,
  updateModel,
  type CommandClaimDoc,
  type MembershipDoc,
  type UpdateDoc,
} from './updates.model.js';
import type { UpdateState } from './updates.states.js';

export type UpdateFields = Partial<Omit<UpdateDoc, '_id' | 'campaign' | 'kind' | 'device' | 'createdAt'>>;

export const updateKey = (campaign: string, kind: string, device: string) => `${campaign}|${kind}:${device}`;
export const deviceKey = (kind: string, device: string) => `${kind}:${device}`;

export class UpdatesRepository {
  private readonly updates;
  private readonly memberships;
  private readonly commands;
  /** Update writes made while one is in flight go together in the next (in order). */
  private readonly writes: GroupCommit<{ id: string; fields: UpdateFields }>;
  constructor(conn: Connection) {
    this.updates = updateModel(conn);
    this.memberships = membershipModel(conn);
    this.commands = commandClaimModel(conn);
    this.writes = new GroupCommit<{ id: string; fields: UpdateFields }>(async (batch) => {
      for (const w of batch) await this.updates.updateOne({ _id: w.id }, { $set: w.fields });
      return batch.map(() => undefined);
    }, 200);
  }

  // ---- memberships: one active campaign per device ----

  /** Claims each device for the campaign; resolves with the devices (`kind:id`) another campaign holds. */
  async claimMembers(campaign: string, devices: string[]): Promise<Set<string>> {
    const at = new Date();
    const taken = new Set<string>();
    // In slices: one round trip each, and a duplicate fails only its own document.
    for (let i = 0; i < devices.length; i += 500) {
      const slice = devices.slice(i, i + 500);
      try {
        await this.memberships.insertMany(
          slice.map((d) => ({ _id: d, campaign, at })),
          { ordered: false },
        );
      } catch (err) {
        const failed = writeErrorIndexes(err);
        if (!failed) throw err;
        for (const j of failed) taken.add(slice[j]!);
      }
    }
    return taken;
  }

  /** Every membership (`kind:id` → campaign). */
  async members(): Promise<Map<string, string>> {
    const all = await this.memberships.find({}).lean<MembershipDoc[]>();
    return new Map(all.map((m) => [m._id, m.campaign]));
  }

  /** Ends the device's membership if it belongs to this campaign. */
  async release(campaign: string, device: string): Promise<void> {
    await this.memberships.deleteOne({ _id: device, campaign });
  }

  async releaseAll(campaign: string): Promise<void> {
    await this.memberships.deleteMany({ campaign });
  }

  // ---- updates ----

  async insertMany(docs: Array<Omit<UpdateDoc, 'createdAt' | 'updatedAt'>>): Promise<void> {
    for (let i = 0; i < docs.length; i += 500) {
      try {
        await this.updates.insertMany(docs.slice(i, i + 500), { ordered: false });
      } catch (err) {
        // A retried creation finds some written already: those are the same documents.
        if (!writeErrorIndexes(err)) throw err;
      }
    }
  }

  ofCampaign(campaign: string) {
    return this.updates.find({ campaign }).lean<UpdateDoc[]>();
  }

  /** Writes fields of an update; writes are applied in the order they are made. */
  set(id: string, fields: UpdateFields): Promise<void> {
    return this.writes.add({ id, fields });
  }

  /** Counts by wave and state, per campaign (of one, or of several). */
  counts(campaign: string | string[]) {
    return this.updates.aggregate<{ _id: { campaign: string; wave: number; state: UpdateState }; n: number }>(
      [
        { $match: { campaign: typeof campaign === 'string' ? campaign : { $in: campaign } } },
        { $group: { _id: { campaign: '$campaign', wave: '$wave', state: '$state' }, n: { $sum: 1 } } },
      ],
    );
  }

  waitingReasons(campaign: string) {
    return this.updates.aggregate<{ _id: string | null; n: number }>([
      { $match: { campaign, state: 'waiting' } },
      { $group: { _id: '$reason', n: { $sum: 1 } } },
    ]);
  }

  failures(campaign: string, limit: number) {
    return this.updates
      .find({ campaign, state: 'failed' })
      .sort({ finishedAt: -1 })
      .limit(limit)
      .lean<UpdateDoc[]>();
  }

  async page(
    campaign: string,
    q: { state?: UpdateState; wave?: number; limit: number; offset: number },
  ): Promise<{ items: UpdateDoc[]; total: number }> {
    const filter = {
      campaign,
      ...(q.state && { state: q.state }),
      ...(q.wave !== undefined && { wave: q.wave }),
    };
    const [items, total] = await Promise.all([
      this.updates.find(filter).sort({ wave: 1, order: 1 }).skip(q.offset).limit(q.limit).lean<UpdateDoc[]>(),
      this.updates.countDocuments(filter),
    ]);
    return { items, total };
  }

  // ---- command claims: one command per attempt, ever ----

  /** Claims attempt `_id`'s command with this id; false if it was claimed before (then `command()` says by which id). */
  async claimCommand(id: string, commandId: string): Promise<boolean> {
    try {
      await this.commands.create({ _id: id, commandId, at: new Date() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  command(id: string) {
    return this.commands.findOne({ _id: id }).lean<CommandClaimDoc>();
  }
}

/** The indexes of the documents an unordered insert refused as duplicates; null if it failed otherwise. */
function writeErrorIndexes(err: unknown): number[] | null {
  const e = err as {
    writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }>;
    code?: number;
  };
  const list = e.writeErrors ?? null;
  if (!list) return null;
  const out: number[] = [];
  for (const w of list) {
    const code = w.code ?? w.err?.code;
    if (code !== 11000) return null;
    out.push(w.index);
  }
  return out;
}
