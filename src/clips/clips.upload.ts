// `POST /api/v1/clips`: a dock offloads a clip, authenticated as that dock with its device credentials
// (HTTP Basic, username `dock:{id}`, the same credentials it uses on the bus). The body is the clip
// itself, streamed straight to evidence storage — never parsed or buffered whole — so this route is
// mounted ahead of the JSON body parser.
import { Router, type Request, type Response } from 'express';
import { actionContext, describeRoutes } from '../http/route.js';
import { AppError, fromZod } from '../errors.js';
import { OffloadQuery } from './clips.schemas.js';
import type { ClipsService } from './clips.service.js';

/** Checks a device's username and password (the device credential service of the bus). */
export type DeviceVerifier = (username: string, password: string) => Promise<boolean>;

const unauthenticated = () =>
  new AppError('device-unauthenticated', 'Send the dock credentials (HTTP Basic)');

async function dockOf(req: Request, verify: DeviceVerifier): Promise<string> {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
  if (!m) throw unauthenticated();
  const decoded = Buffer.from(m[1]!, 'base64').toString();
  const colon = decoded.indexOf(':', decoded.indexOf(':') + 1); // username is `dock:{id}`
  const username = colon > 0 ? decoded.slice(0, colon) : '';
  const password = colon > 0 ? decoded.slice(colon + 1) : '';
  if (!username.startsWith('dock:') || !(await verify(username, password))) throw unauthenticated();
  return username.slice('dock:'.length);
}

export function clipUploadRoutes(clips: ClipsService, verify: DeviceVerifier, maxBytes: number) {
  const router = describeRoutes(Router(), [
    {
      method: 'post',
      path: '/clips',
      allow: 'public',
      caller: 'dock',
      query: OffloadQuery,
      status: 201,
      doc: {
        summary: 'A dock offloads a clip (201 stored, 200 already had it)',
        consumes: 'video/mp4',
        problems: [
          'clip-too-large',
          'clip-incomplete',
          'clip-hash-mismatch',
          'clip-camera-unknown',
          'clip-camera-not-held',
        ],
      },
    },
  ]);
  router.post('/clips', async (req: Request, res: Response) => {
    const dock = await dockOf(req, verify);
    const parsed = OffloadQuery.safeParse(req.query);
    if (!parsed.success) throw fromZod('query', parsed.error);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBytes) {
      throw new AppError('clip-too-large', `The limit is ${maxBytes} bytes`);
    }
    const ctx = { ...actionContext(req), actor: { type: 'device' as const, id: `dock:${dock}` } };
    const { created, clip } = await clips.offload(parsed.data, dock, req, ctx);
    res.status(created ? 201 : 200).json(clip);
  });
  return router;
}
