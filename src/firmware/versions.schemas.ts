import { z } from 'zod';
import { FirmwareVersion } from '../bus/index.js';
import { Kind, Model } from './artifacts.schemas.js';
import { VERSION_STATUSES } from './versions.model.js';

/** `/firmware/versions/:kind/:model/:version`; model `*`: every model of the kind. */
export const VersionParams = z.object({ kind: Kind, model: Model, version: FirmwareVersion });

export const VersionBody = z
  .strictObject({
    status: z.enum(VERSION_STATUSES),
    reason: z.string().trim().max(500).default(''),
  })
  .refine((b) => b.status !== 'blocked' || b.reason.length > 0, {
    path: ['reason'],
    message: 'say why the version is blocked: every screen shows it beside the devices on it',
  });

export const VersionQuery = z.object({
  kind: Kind.optional(),
  model: Model.optional(),
  status: z.enum(VERSION_STATUSES).optional(),
});
