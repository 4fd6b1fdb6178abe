import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { Instant } from '../http/dates.js';
import { SecureRouter } from '../http/route.js';
import { PageQuery } from '../shared/paging.js';
import type { AuditService } from './audit.service.js';
import { AuditPage, AuditVerdictResponse } from './audit.responses.js';

const AuditFilterQuery = z.object({
  action: z.string().max(100).optional(),
  actor: z.string().max(100).optional(),
  targetKind: z.string().max(50).optional(),
  targetId: z.string().max(100).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
});
const AuditQuery = PageQuery.extend(AuditFilterQuery.shape);

const readers = ['admin', 'auditor'] as const;

/** Naming the entries is the confirmation: only those, as `verify` listed them, are accepted. */
const ReanchorBody = z.object({
  reason: z.string().trim().min(10).max(1000),
  seqs: z.array(z.number().int().positive()).min(1).max(100),
});

export function auditRoutes(audit: AuditService) {
  const api = new SecureRouter();
  api.get(
    '/audit',
    { allow: readers, query: AuditQuery, doc: { response: AuditPage } },
    async ({ query }) => {
      const { limit, offset, actor, ...filter } = query;
      const { items, total } = await audit.list(
        { ...filter, ...(actor && { actorId: actor }) },
        limit,
        offset,
      );
      return { items, total, limit, offset };
    },
  );
  api.get('/audit/verify', { allow: readers, doc: { response: AuditVerdictResponse } }, () => audit.verify());
  api.get(
    '/audit/export.csv',
    {
      allow: readers,
      query: AuditFilterQuery,
      doc: {
        summary: 'The entries the filters match, oldest first, as CSV (the export is audited itself)',
        produces: 'text/csv',
      },
    },
    async ({ query, ctx, res }) => {
      const { actor, ...filter } = query;
      const csv = await audit.exportCsv(ctx, { ...filter, ...(actor && { actorId: actor }) });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="audit-${stamp}.csv"`)
        .set('Cache-Control', 'no-store');
      await pipeline(csv, res);
    },
  );
  api.post(
    '/audit/reanchor',
    { allow: readers, body: ReanchorBody, status: 201, doc: { problems: ['audit-entry-not-reanchorable'] } },
    ({ body, ctx }) => audit.reanchor(ctx, body.reason, body.seqs),
  );
  return api.router;
}
