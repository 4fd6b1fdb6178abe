// What the audit routes answer: the API reference's response schemas.
import { z } from 'zod';
import { pageOf, Timestamp } from '../shared/responses.js';

export const AuditEntryResponse = z
  .object({
    seq: z.number().int(),
    ts: Timestamp,
    actor: z.object({
      type: z.enum(['user', 'device', 'job', 'system']),
      id: z.string(),
      via: z.enum(['session', 'token']).optional(),
      tokenId: z.string().optional(),
    }),
    action: z.string(),
    target: z.object({ kind: z.string(), id: z.string() }),
    summary: z.string(),
    changes: z.record(z.string(), z.unknown()).nullable(),
    requestId: z.string().nullable(),
    key: z.string().optional().meta({ description: 'Identity of the change, recorded at most once' }),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export const AuditPage = pageOf(AuditEntryResponse);
