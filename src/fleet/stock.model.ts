import { Schema, type Connection } from 'mongoose';
import type { Stored } from '../db/stored.js';

/** The minimum number of cameras in stock a station wants on its shelf (_id: the station). */
const levelFields = {
  _id: { type: String, required: true },
  station: { type: String, required: true },
  minimum: { type: Number, required: true },
  updatedAt: { type: Date, required: true },
};
const levelOptions = { collection: 'stock_levels', versionKey: false } as const;
type StockLevelRecord = Stored<typeof levelFields, typeof levelOptions>;
export type StockLevelDoc = Omit<StockLevelRecord, '_id'>;

const levelSchema = new Schema<StockLevelRecord>(levelFields, levelOptions);

/** An open low-stock alert: at most one per station (its _id), cleared when stock recovers. */
const alertFields = {
  _id: { type: String, required: true },
  station: { type: String, required: true },
  inStock: { type: Number, required: true },
  minimum: { type: Number, required: true },
  raisedAt: { type: Date, required: true },
};
const alertOptions = { collection: 'stock_alerts', versionKey: false } as const;
type StockAlertRecord = Stored<typeof alertFields, typeof alertOptions>;
export type StockAlertDoc = Omit<StockAlertRecord, '_id'>;

// _id is the station: raising an alert is an insert, so two concurrent check-outs that both see
// stock fall under the minimum raise one alert, not two.
const alertSchema = new Schema<StockAlertRecord>(alertFields, alertOptions);

export const stockLevelModel = (conn: Connection) => conn.model<StockLevelRecord>('StockLevel', levelSchema);
export const stockAlertModel = (conn: Connection) => conn.model<StockAlertRecord>('StockAlert', alertSchema);
