import { z } from 'zod';
import { DEVICE_KINDS, DeviceId } from '../bus/index.js';
import { Instant } from '../http/dates.js';

export const CameraParams = z.object({ serial: DeviceId });
export const DockParams = z.object({ id: DeviceId });
/** Without `from`: the last twelve hours up to `to` (a shift and a bit); without `to`: now. */
const DEFAULT_HISTORY_MS = 12 * 3_600_000;
export const HistoryQuery = z
  .object({ from: Instant.optional(), to: Instant.optional() })
  .transform((q) => {
    const to = q.to ?? new Date();
    return { from: q.from ?? new Date(to.getTime() - DEFAULT_HISTORY_MS), to };
  })
  .refine((q) => q.from <= q.to, { message: 'from is after to', path: ['from'] });
export const AlertQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/** At most a thousand a request: a delivery of cameras, or a simulated fleet in a few requests. */
export const CredentialsBatchBody = z.object({
  devices: z
    .array(z.object({ kind: z.enum(DEVICE_KINDS), id: DeviceId }))
    .min(1)
    .max(1000)
    .refine((ds) => new Set(ds.map((d) => `${d.kind}:${d.id}`)).size === ds.length, 'devices repeat'),
});
