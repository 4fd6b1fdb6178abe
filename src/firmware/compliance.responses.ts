// What GET /firmware/compliance answers.
import { z } from 'zod';
import type { Compliance } from './compliance.service.js';

const Kind = z.enum(['camera', 'dock']);

export const ComplianceResponse = z
  .object({
    byModel: z.array(
      z.object({
        kind: Kind,
        model: z.string(),
        latest: z.string().nullable().meta({ description: 'The highest approved version of the model' }),
        versions: z.array(
          z.object({
            version: z.string(),
            count: z.number().int(),
            status: z.enum(['approved', 'blocked', 'unreviewed']),
          }),
        ),
      }),
    ),
    byStation: z.array(
      z.object({
        station: z.string(),
        kind: Kind,
        model: z.string(),
        current: z.number().int(),
        behind: z.number().int(),
        blocked: z.number().int(),
        unknown: z.number().int().meta({ description: 'Devices that never reported a version' }),
      }),
    ),
    behind: z.array(
      z.object({
        kind: Kind,
        id: z.string(),
        station: z.string(),
        model: z.string(),
        version: z.string(),
        latest: z.string(),
      }),
    ),
    behindCount: z.number().int(),
    blocked: z.array(
      z.object({
        kind: Kind,
        id: z.string(),
        station: z.string(),
        model: z.string(),
        version: z.string(),
        reason: z.string().nullable(),
      }),
    ),
    blockedCount: z.number().int(),
  })
  .meta({ id: 'FirmwareCompliance' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameReport: Same<z.infer<typeof ComplianceResponse>, Compliance> = true;
void sameReport;
