import { Schema, type Connection } from 'mongoose';

/** The minimum number of cameras in stock a station wants on its shelf. */
export interface StockLevelDoc {
  station: string;
  minimum: number;
  updatedAt: Date;
}

/** An open low-stock alert: at most one per station (its _id), cleared when stock recovers. */
export interface StockAlertDoc {
  station: string;
  inStock: number;
  minimum: number;
  raisedAt: Date;
}

const levelSchema = new Schema<StockLevelDoc & { _id: string }>(
  {
    _id: { type: String, required: true },
    station: { type: String, required: true },
    minimum: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'stock_levels', versionKey: false },
);

// _id is the station: raising an alert is an insert, so two concurrent check-outs that both see
// stock fall under the minimum raise one alert, not two.
const alertSchema = new Schema<StockAlertDoc & { _id: string }>(
  {
    _id: { type: String, required: true },
    station: { type: String, required: true },
    inStock: { type: Number, required: true },
    minimum: { type: Number, required: true },
    raisedAt: { type: Date, required: true },
  },
  { collection: 'stock_alerts', versionKey: false },
);

export const stockLevelModel = (conn: Connection) =>
  conn.model<StockLevelDoc & { _id: string }>('StockLevel', levelSchema);
export const stockAlertModel = (conn: Connection) =>
  conn.model<StockAlertDoc & { _id: string }>('StockAlert', alertSchema);
