// What the report routes answer: the API reference's schemas and the web app's types.
// Zod only (the dashboard's build may read this file).
import { z } from 'zod';
import { Timestamp } from '../shared/responses.js';

export const Sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .meta({ description: 'SHA-256, hex' });

export const ReportResponse = z
  .object({
    id: z.string().meta({ description: '`rpt_<24 hex>`, or `rpt_<YYYY-MM>` for a monthly draft' }),
    kind: z.enum(['on-demand', 'monthly']),
    month: z.string().nullable().meta({ description: 'The reported month of a monthly draft' }),
    status: z.enum(['draft', 'published']),
    at: Timestamp.meta({ description: 'As of when its figures were gathered' }),
    generatedAt: Timestamp,
    createdBy: z.string(),
    publication: z
      .object({
        sha256Html: Sha256,
        sha256Pdf: Sha256,
        bytesHtml: z.number().int(),
        bytesPdf: z.number().int(),
        publishedBy: z.string(),
        publishedAt: Timestamp,
      })
      .nullable(),
  })
  .meta({ id: 'RolloutReport' });
export type ReportResponse = z.infer<typeof ReportResponse>;
