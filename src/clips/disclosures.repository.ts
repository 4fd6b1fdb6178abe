import type { Connection } from '../db/connection.js';
import { disclosureModel, type DisclosureDoc } from './clips.model.js';

export interface DisclosureFilter {
  clip?: string;
  from?: Date;
  to?: Date;
}

export class DisclosuresRepository {
  private readonly disclosures;
  constructor(conn: Connection) {
    this.disclosures = disclosureModel(conn);
  }

  async insert(doc: DisclosureDoc): Promise<void> {
    await this.disclosures.create(doc);
  }

  get(id: string) {
    return this.disclosures.findById(id).lean<DisclosureDoc>();
  }

  /** Newest first; `from` ≤ at < `to`. */
  async list(filter: DisclosureFilter, limit: number, offset: number) {
    const q: Record<string, unknown> = {};
    if (filter.clip) q.clip = filter.clip;
    if (filter.from || filter.to) {
      q.at = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
    }
    const [items, total] = await Promise.all([
      this.disclosures.find(q).sort({ at: -1 }).skip(offset).limit(limit).lean<DisclosureDoc[]>(),
      this.disclosures.countDocuments(q),
    ]);
    return { items, total };
  }
}
