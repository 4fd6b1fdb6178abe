import { z } from 'zod';
import { DEVICE_KINDS, DeviceId } from '../bus/index.js';

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

/** At most a thousand a request: a delivery of cameras, or a simulated fleet in a few requests. */
export const CredentialsBatchBody = z.object({
  devices: z
    .array(z.object({ kind: z.enum(DEVICE_KINDS), id: DeviceId }))
    .min(1)
    .max(1000)
    .refine((ds) => new Set(ds.map((d) => `${d.kind}:${d.id}`)).size === ds.length, 'devices repeat'),
});
