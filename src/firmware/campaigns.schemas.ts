import semver from 'semver';
import { z } from 'zod';
import { DeviceId } from '../bus/index.js';
import { StationCode } from '../people/index.js';
import { PageQuery } from '../shared/index.js';
import { UPDATE_STATES } from './updates.states.js';

const Percent = z.number().min(0).max(100);

/**
 * What a campaign installs and where (POST /campaigns and /campaigns/preview take the same body).
 * `kind` and `model` default to the artifact's; given, they must match it. Timeout and battery
 * default to FIRMWARE_STEP_TIMEOUT_S and FIRMWARE_MIN_BATTERY.
 */
export const CampaignBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    artifact: z.string().regex(/^[0-9a-f]{12}$/, 'an artifact id (12 hex digits)'),
    kind: z.enum(['camera', 'dock']).optional(),
    model: z.string().min(1).max(40).optional(),
    fromRange: z
      .string()
      .max(100)
      .refine((r) => semver.validRange(r) !== null, { message: 'a semver range, e.g. >=2.0.0 <2.5.0' })
      .nullable()
      .default(null),
    stations: z.array(StationCode).max(200).default([]),
    devices: z.array(DeviceId).max(20_000).default([]),
    canarySize: z.number().int().min(0).max(10_000).default(5),
    groups: z
      .array(z.number().positive().max(100))
      .min(1)
      .max(20)
      .default([100])
      .refine((g) => Math.abs(g.reduce((a, b) => a + b, 0) - 100) < 1e-9, {
        message: 'percentages of the devices after the canary, adding up to 100',
      }),
    successThreshold: Percent.default(95),
    errorThreshold: z
      .strictObject({
        count: z.number().int().min(1).nullable().default(null),
        percent: z.number().gt(0).max(100).nullable().default(null),
      })
      .refine((t) => t.count !== null || t.percent !== null, { message: 'a count, a percent or both' })
      .default({ count: null, percent: 10 }),
    approveEachWave: z.boolean().default(false),
    stepTimeoutS: z.number().positive().max(86_400).optional(),
    maxRetries: z.number().int().min(0).max(10).default(3),
    minBattery: Percent.optional(),
  })
  .transform((b) => ({
    ...b,
    stations: [...new Set(b.stations)],
    devices: [...new Set(b.devices)],
  }));

export const CampaignParams = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) });

export const PauseBody = z.strictObject({ reason: z.string().trim().min(1).max(300) });

export const CampaignDevicesQuery = PageQuery.extend({
  state: z.enum(UPDATE_STATES).optional(),
  wave: z.coerce.number().int().min(0).optional(),
});

export type CampaignInput = z.output<typeof CampaignBody>;
export type CampaignDevicesFilter = z.output<typeof CampaignDevicesQuery>;
