import type { Connection } from '../db/connection.js';
import { concernModel, type ConcernDoc } from './concerns.model.js';

export class ConcernsRepository {
  private readonly concerns;
  constructor(conn: Connection) {
    this.concerns = concernModel(conn);
  }
  list() {
    return this.concerns.find({}).sort({ at: -1 }).lean<ConcernDoc[]>();
  }
  byId(id: string) {
    return this.concerns.findOne({ _id: id }).lean<ConcernDoc>();
  }
  async insert(c: Omit<ConcernDoc, 'createdAt' | 'updatedAt'>) {
    await this.concerns.create(c);
  }
  async setOutcome(id: string, outcome: ConcernDoc['outcome']) {
    await this.concerns.updateOne({ _id: id }, { $set: { outcome } });
  }
}
