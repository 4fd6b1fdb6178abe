// Clip API for people: list and inspect clips, stream the redacted copy (HTTP Range), review it.
// Originals are never served to roles that may only see redacted footage: only to those below, with
// a stated reason, and every access (each range a player asks for) is in the audit trail.
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { Role } from '../shared/roles.js';
import { AppError } from '../errors.js';
import { SecureRouter } from '../http/route.js';
import { ClipParams, ClipQuery, EvidentialBody, OriginalQuery, ReviewBody } from './clips.schemas.js';
import type { ClipsService } from './clips.service.js';

/** May see clip metadata and the redacted footage. */
const VIEWERS: readonly Role[] = ['admin', 'inspector', 'auditor', 'reviewer'];
const REVIEWERS: readonly Role[] = ['reviewer'];
/** May see the unredacted original (audited): reviewers compare it with the redaction; admins. */
const ORIGINAL_VIEWERS: readonly Role[] = ['reviewer', 'admin'];

export function clipsRoutes(clips: ClipsService) {
  const api = new SecureRouter();

  api.get('/clips', { allow: VIEWERS, query: ClipQuery }, ({ query: { limit, offset, ...filter } }) =>
    clips.list(filter, limit, offset),
  );
  api.get(
    '/clips/:id',
    { allow: VIEWERS, params: ClipParams, doc: { problems: ['clip-not-found'] } },
    ({ params }) => clips.get(params.id),
  );
  api.post(
    '/clips/:id/review',
    {
      allow: REVIEWERS,
      params: ClipParams,
      body: ReviewBody,
      doc: { problems: ['clip-not-found', 'clip-not-reviewable'] },
    },
    ({ params, body, ctx }) => clips.review(params.id, body.decision, body.note, ctx),
  );
  api.put(
    '/clips/:id/evidential',
    {
      allow: REVIEWERS,
      params: ClipParams,
      body: EvidentialBody,
      doc: { summary: 'Mark a clip as evidential, or take the mark off', problems: ['clip-not-found'] },
    },
    ({ params, body, ctx }) => clips.setEvidential(params.id, body.evidential, body.reason, ctx),
  );
  api.get(
    '/clips/:id/manifest',
    {
      allow: VIEWERS,
      params: ClipParams,
      doc: {
        summary: "The redaction manifest of the clip's derivative: detector, settings, boxes per frame",
        problems: ['clip-not-found', 'clip-not-redacted'],
      },
    },
    ({ params }) => clips.manifest(params.id),
  );
  api.get(
    '/clips/:id/redacted',
    {
      allow: VIEWERS,
      params: ClipParams,
      doc: {
        produces: 'video/mp4',
        problems: ['clip-not-found', 'clip-not-redacted', 'range-not-satisfiable'],
      },
    },
    async ({ params, req, res }) => {
      await stream(clips, await clips.redactedFile(params.id), req, res);
    },
  );
  api.get(
    '/clips/:id/original',
    {
      allow: ORIGINAL_VIEWERS,
      params: ClipParams,
      query: OriginalQuery,
      doc: { produces: 'video/mp4', problems: ['clip-not-found', 'range-not-satisfiable'] },
    },
    async ({ params, query, req, res, ctx }) => {
      const original = await clips.originalFile(params.id, query.reason, req.headers.range ?? null, ctx);
      await stream(clips, original, req, res);
    },
  );

  return api.router;
}

/** Sends a blob, whole or one byte range (RFC 9110 §14), as video/mp4. */
async function stream(
  clips: ClipsService,
  blob: { sha256: string; size: number },
  req: Request,
  res: Response,
) {
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', 'video/mp4');
  res.setHeader('ETag', `"${blob.sha256}"`);
  res.setHeader('Cache-Control', 'private, no-store');
  const ranges = req.headers.range ? req.range(blob.size, { combine: true }) : undefined;
  if (ranges === -1 || (Array.isArray(ranges) && ranges.length !== 1)) {
    res.setHeader('Content-Range', `bytes */${blob.size}`);
    throw new AppError('range-not-satisfiable', `The file is ${blob.size} bytes`);
  }
  let body;
  if (Array.isArray(ranges)) {
    const { start, end } = ranges[0]!;
    res.status(206);
    res.setHeader('Content-Range', `bytes ${start}-${end}/${blob.size}`);
    res.setHeader('Content-Length', String(end - start + 1));
    body = clips.readBlob(blob.sha256, { start, end });
  } else {
    res.status(200);
    res.setHeader('Content-Length', String(blob.size));
    body = clips.readBlob(blob.sha256);
  }
  // A viewer closing the player mid-file is normal, not an error.
  await pipeline(body, res).catch(() => res.destroy());
}
