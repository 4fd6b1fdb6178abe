import { z } from 'zod';
import { DeviceId } from '../bus/index.js';

export const CameraParams = z.object({ serial: DeviceId });
export const DockParams = z.object({ id: DeviceId });
export const HistoryQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .transform((q) => {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 12 * 3_600_000);
    return { from, to };
  });
export const AlertQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
