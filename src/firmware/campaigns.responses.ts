// What the campaign routes answer: the API reference's response schemas and the web app's types.
// The live feed (`firmware:campaign`) sends the same page as GET /campaigns/:id (realtime/events.ts);
// the checks below keep the two the same shape.
import { z } from 'zod';
import type { FirmwareCampaignDetail, FirmwareCampaignSummary } from '../realtime/events.js';
import { pageOf, Timestamp } from '../shared/responses.js';
import { UPDATE_STATES } from './updates.states.js';

const Kind = z.enum(['camera', 'dock']);
const Counts = z.record(z.string(), z.number().int()).meta({
  description: 'Device updates by state: pending, waiting, sent, downloading, …, succeeded, failed, canceled',
});

export const CampaignSummaryResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: Kind,
    model: z.string(),
    artifact: z.string(),
    version: z.string(),
    fromRange: z.string().nullable(),
    stations: z.array(z.string()),
    devices: z.array(z.string()),
    canarySize: z.number().int(),
    groups: z.array(z.number()),
    successThreshold: z.number(),
    errorThreshold: z.object({ count: z.number().int().nullable(), percent: z.number().nullable() }),
    approveEachWave: z.boolean(),
    stepTimeoutS: z.number(),
    maxRetries: z.number().int(),
    minBattery: z.number(),
    status: z.enum(['creating', 'awaiting-approval', 'running', 'paused', 'completed', 'canceled']),
    pausedReason: z.string().nullable(),
    currentWave: z.number().int().nullable(),
    createdBy: z.string(),
    approvedBy: z.string().nullable(),
    rollbackOf: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    total: z.number().int(),
    counts: Counts,
  })
  .meta({ id: 'FirmwareCampaignSummary' });

export const CampaignDetailResponse = CampaignSummaryResponse.extend({
  waves: z.array(
    z.object({
      index: z.number().int(),
      size: z.number().int(),
      status: z.enum(['pending', 'running', 'awaiting-approval', 'done']),
      approvedBy: z.string().nullable(),
      counts: Counts,
    }),
  ),
  waiting: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  failures: z.array(
    z.object({ kind: Kind, device: z.string(), wave: z.number().int(), reason: z.string(), at: Timestamp }),
  ),
}).meta({ id: 'FirmwareCampaign' });

const Excluded = z.array(z.object({ device: z.string(), reason: z.string() }));

export const CampaignCreatedResponse = CampaignDetailResponse.extend({
  excluded: Excluded.meta({ description: 'Devices left out and why (first 100)' }),
  excludedCount: z.number().int(),
});

export const CampaignPreviewResponse = z
  .object({
    total: z.number().int(),
    byStation: z.array(z.object({ station: z.string(), count: z.number().int() })),
    byVersion: z.array(z.object({ version: z.string(), count: z.number().int() })),
    waves: z.array(z.object({ index: z.number().int(), size: z.number().int() })),
    excluded: Excluded.meta({ description: 'Devices left out and why (first 100)' }),
    excludedCount: z.number().int(),
    sample: z.array(z.string()).meta({ description: 'The first 50 devices, in the order they are sent' }),
  })
  .meta({ id: 'FirmwareCampaignPreview' });

export const CampaignPage = pageOf(CampaignSummaryResponse);

export const CampaignDevicePage = pageOf(
  z.object({
    kind: Kind,
    device: z.string(),
    station: z.string(),
    model: z.string(),
    fromVersion: z.string(),
    wave: z.number().int(),
    state: z.enum(UPDATE_STATES),
    reason: z.string().nullable(),
    attempt: z.number().int(),
    progress: z.number().nullable(),
    updatedAt: Timestamp,
  }),
);

// Compile-time: the schemas and the live feed's types describe the same campaign, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameSummary: Same<z.infer<typeof CampaignSummaryResponse>, FirmwareCampaignSummary> = true;
const sameDetail: Same<z.infer<typeof CampaignDetailResponse>, FirmwareCampaignDetail> = true;
void sameSummary;
void sameDetail;
