import type { Connection } from '../db/connection.js';
import { windowModel, type WindowDoc } from './windows.model.js';
import type { WindowSpan } from './windows.rules.js';

export class WindowsRepository {
  private readonly windows;
  constructor(conn: Connection) {
    this.windows = windowModel(conn);
  }

  all() {
    return this.windows.find({}).sort({ _id: 1 }).lean<WindowDoc[]>();
  }

  byStation(station: string) {
    return this.windows.findOne({ _id: station }).lean<WindowDoc>();
  }

  async put(station: string, w: { timeZone: string; windows: WindowSpan[]; updatedBy: string }) {
    await this.windows.updateOne({ _id: station }, { $set: w }, { upsert: true });
  }

  async delete(station: string): Promise<boolean> {
    const { deletedCount } = await this.windows.deleteOne({ _id: station });
    return deletedCount > 0;
  }
}
