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

/** GET /audit/verify: the walk of the whole chain (src/audit/chain.ts `Verdict`). */
export const AuditVerdictResponse = z
  .object({
    ok: z.boolean(),
    entries: z.number().int().meta({ description: 'Entries before the first break (all of them when ok)' }),
    brokenAt: z.number().int().optional().meta({ description: "The first break's number; absent when ok" }),
    breaks: z.array(
      z.object({ seq: z.number().int(), reason: z.enum(['seq-gap', 'link-broken', 'hash-mismatch']) }),
    ),
    breakCount: z.number().int(),
    checked: z.number().int().meta({ description: 'Entries read' }),
    reanchored: z.number().int().meta({ description: 'Breaks accepted by an intact re-anchor entry' }),
  })
  .meta({ id: 'AuditVerdict' });
export type AuditVerdictResponse = z.infer<typeof AuditVerdictResponse>;
export type AuditEntryResponse = z.infer<typeof AuditEntryResponse>;
