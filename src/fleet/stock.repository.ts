import type { Connection } from '../db/connection.js';
import { isDuplicateKey } from '../db/connection.js';
import { cameraModel } from './fleet.model.js';
import { stockAlertModel, stockLevelModel, type StockAlertDoc, type StockLevelDoc } from './stock.model.js';

const NO_ID = { _id: 0 } as const;

export class StockRepository {
  private readonly levels;
  private readonly alerts;
  private readonly cameras;
  constructor(conn: Connection) {
    this.levels = stockLevelModel(conn);
    this.alerts = stockAlertModel(conn);
    this.cameras = cameraModel(conn);
  }

  async setMinimum(station: string, minimum: number) {
    await this.levels.updateOne(
      { _id: station },
      { $set: { station, minimum, updatedAt: new Date() } },
      { upsert: true },
    );
  }
  async minimum(station: string): Promise<number | null> {
    return (await this.levels.findOne({ _id: station }, NO_ID).lean<StockLevelDoc>())?.minimum ?? null;
  }
  /** Cameras on the station's shelf: in stock and not travelling in a transfer (issue 19). */
  inStock(station: string) {
    return this.cameras.countDocuments({ station, status: 'in_stock', transfer: null });
  }
  /** Opens the station's alert; false if one is already open. */
  async raise(alert: StockAlertDoc): Promise<boolean> {
    try {
      await this.alerts.create({ ...alert, _id: alert.station });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
  /** Clears the station's alert; false if none was open. */
  async clear(station: string): Promise<boolean> {
    return (await this.alerts.deleteOne({ _id: station })).deletedCount === 1;
  }
  alert(station: string) {
    return this.alerts.findOne({ _id: station }, NO_ID).lean<StockAlertDoc>();
  }
  openAlerts() {
    return this.alerts.find({}, NO_ID).sort({ station: 1 }).lean<StockAlertDoc[]>();
  }
}
