// What the fleet routes answer: the API reference's response schemas and the web app's types.
import { z } from 'zod';
import { pageOf, Timestamp } from '../shared/responses.js';
import { CAMERA_STATUSES } from './lifecycle.js';

export const CameraResponse = z
  .object({
    serial: z.string(),
    model: z.string(),
    assetTag: z.string(),
    station: z.string(),
    purchaseDate: Timestamp.nullable(),
    purchaseCost: z.number().nullable(),
    status: z.enum(CAMERA_STATUSES),
    holder: z.string().nullable().meta({ description: 'The officer holding it while issued' }),
    transfer: z.string().nullable().meta({ description: 'The transfer it travels in' }),
    lostReason: z
      .enum(['lost', 'stolen'])
      .nullable()
      .optional()
      .meta({ description: 'While lost: reported lost or stolen' }),
    lostBy: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'While lost: the officer who held it when it went' }),
    notes: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Camera' });
export type CameraResponse = z.infer<typeof CameraResponse>;

/** GET /cameras/:serial adds what the bus knows (battery, docked, online…) as `live`. */
export const CameraViewResponse = CameraResponse.extend({ live: z.unknown().optional() });

export const CameraPage = pageOf(CameraResponse);

export const DockResponse = z
  .object({
    id: z.string(),
    station: z.string(),
    slots: z.number().int(),
    model: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Dock' });
export const DockPage = pageOf(DockResponse);

export const StockAlertResponse = z
  .object({ station: z.string(), inStock: z.number().int(), minimum: z.number().int(), raisedAt: Timestamp })
  .meta({ id: 'StockAlert' });

/**
 * GET /stations/:code/stock: cameras by status, and the station's minimum and open alert. Cameras
 * in a transfer count at neither station (not in `byStatus` nor `total`) until received.
 */
export const StockResponse = z.object({
  station: z.string(),
  byStatus: z.record(z.enum(CAMERA_STATUSES), z.number().int()),
  total: z.number().int(),
  inTransit: z
    .number()
    .int()
    .meta({ description: 'Cameras sent from this station, not yet received: counted at neither station' }),
  minimum: z.number().int().nullable(),
  alert: StockAlertResponse.nullable(),
});
export type StockResponse = z.infer<typeof StockResponse>;
