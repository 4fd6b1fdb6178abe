// The disclosure log (ICO guidance: date, recipient and reason of every disclosure). Only an approved
// redacted copy is exported; the download serves exactly the file whose hash the log recorded, and
// every download is in the audit trail. The original never leaves through here.
import { pipeline } from 'node:stream/promises';
import type { Role } from '../shared/roles.js';
import { SecureRouter } from '../http/route.js';
import { PageQuery } from '../shared/paging.js';
import { DisclosurePage, DisclosureResponse } from './clips.responses.js';
import { ClipParams, DisclosureBody, DisclosureParams, DisclosureQuery } from './clips.schemas.js';
import type { Disclosures } from './disclosures.service.js';

/** May disclose (and fetch what was disclosed): those who review redactions, and admins. */
const DISCLOSERS: readonly Role[] = ['reviewer', 'admin'];
/** May read the log: also auditors, who check it. */
const LOG_READERS: readonly Role[] = ['reviewer', 'admin', 'auditor'];

export function disclosuresRoutes(disclosures: Disclosures) {
  const api = new SecureRouter();
  api.post(
    '/clips/:id/disclosures',
    {
      allow: DISCLOSERS,
      params: ClipParams,
      body: DisclosureBody,
      status: 201,
      doc: {
        summary: 'Disclose the approved redacted copy to a named recipient, for a stated reason',
        response: DisclosureResponse,
        problems: ['clip-not-found', 'clip-not-approved'],
      },
    },
    ({ params, body, ctx }) => disclosures.disclose(params.id, body, ctx),
  );
  api.get(
    '/clips/:id/disclosures',
    {
      allow: LOG_READERS,
      params: ClipParams,
      query: PageQuery,
      doc: { response: DisclosurePage, problems: ['clip-not-found'] },
    },
    ({ params, query }) => disclosures.list({ clip: params.id }, query.limit, query.offset),
  );
  api.get(
    '/clips/:id/disclosures/:disclosureId/file',
    {
      allow: DISCLOSERS,
      params: DisclosureParams,
      doc: {
        summary: 'The disclosed file, exactly as its hash was recorded (each download is audited)',
        produces: 'video/mp4',
        problems: ['clip-not-found', 'disclosure-not-found'],
      },
    },
    async ({ params, res, ctx }) => {
      const file = await disclosures.file(params.id, params.disclosureId, ctx);
      res.status(200);
      res.setHeader('Content-Type', 'video/mp4');
      res.setHeader('Content-Length', String(file.size));
      res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
      res.setHeader('Digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`);
      res.setHeader('Cache-Control', 'private, no-store');
      await pipeline(file.body, res).catch(() => res.destroy());
    },
  );
  api.get(
    '/disclosures',
    { allow: LOG_READERS, query: DisclosureQuery, doc: { response: DisclosurePage } },
    ({ query: { limit, offset, ...filter } }) => disclosures.list(filter, limit, offset),
  );
  return api.router;
}
