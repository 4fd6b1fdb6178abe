// What the firmware versions register routes answer. Zod only (the dashboard's build reads it).
import { z } from 'zod';
import { Timestamp } from '../shared/responses.js';

export const VersionResponse = z
  .object({
    kind: z.enum(['camera', 'dock']),
    model: z.string().meta({ description: 'A model, or `*` for every model of the kind' }),
    version: z.string(),
    status: z.enum(['approved', 'blocked']),
    reason: z.string(),
    by: z.string().meta({ description: 'Who set it' }),
    at: Timestamp,
  })
  .meta({ id: 'FirmwareVersionEntry' });
export type VersionResponse = z.infer<typeof VersionResponse>;

export const VersionList = z.array(VersionResponse);
