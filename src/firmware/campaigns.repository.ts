import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import {
  campaignModel,
  transitionModel,
  type CampaignDoc,
  type CampaignSet,
  type TransitionDoc,
} from './campaigns.model.js';

const NO_ID = { _id: 0 } as const;
export type NewCampaign = Omit<CampaignDoc, '_id' | 'createdAt' | 'updatedAt'>;
export type Campaign = Omit<CampaignDoc, '_id'>;

async function claimed(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

export class CampaignsRepository {
  private readonly campaigns;
  private readonly transitions;
  constructor(conn: Connection) {
    this.campaigns = campaignModel(conn);
    this.transitions = transitionModel(conn);
  }

  async insert(c: NewCampaign): Promise<Campaign> {
    const doc = (await this.campaigns.create({ ...c, _id: c.id })).toObject();
    const { _id, ...rest } = doc;
    return rest;
  }

  byId(id: string) {
    return this.campaigns.findOne({ _id: id }, NO_ID).lean<Campaign>();
  }

  list(limit: number, offset: number) {
    return Promise.all([
      this.campaigns.find({}, NO_ID).sort({ createdAt: -1 }).skip(offset).limit(limit).lean<Campaign[]>(),
      this.campaigns.countDocuments({}),
    ]);
  }

  /** Campaigns the engine still follows. */
  open() {
    return this.campaigns.find({ open: true }, NO_ID).lean<Campaign[]>();
  }

  /** Claims the campaign's revision `t.rev` with its transition; false if another change has it. */
  claimTransition(t: TransitionDoc): Promise<boolean> {
    return claimed(() => this.transitions.create(t));
  }

  transition(campaign: string, rev: number) {
    return this.transitions.findOne({ _id: `${campaign}|${rev}` }).lean<TransitionDoc>();
  }

  /** Writes a claimed transition onto the campaign (a no-op if it is already there). */
  async apply(campaign: string, rev: number, set: CampaignSet): Promise<void> {
    await this.campaigns.updateOne({ _id: campaign, rev }, { $set: { ...set, rev: rev + 1 } });
  }
}
