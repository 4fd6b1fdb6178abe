// `GET /api/v1/firmware/artifacts/:id/download`: a camera or dock fetches the artifact a
// `firmware-update` command named, authenticated with its own device credentials (HTTP Basic,
// `camera:{serial}` / `dock:{id}`, the ones it uses on the bus). Mounted outside the users' API.
// Only artifacts granted to that device (the engine grants before it sends the command): any other
// id answers 404 whether it exists or not, and is counted as the device's refusal. Range requests
// (206, 416) let a device resume a cut-off download; the ETag is the SHA-256, which never changes.
import { Router, type Request, type Response } from 'express';
import { deviceFromUsername, type DeviceRef } from '../bus/index.js';
import { AppError, notFound } from '../errors.js';
import { describeRoutes } from '../http/route.js';
import { ArtifactParams } from './artifacts.schemas.js';
import type { FirmwareArtifacts } from './artifacts.service.js';

/** Checks a device's username and password (the device credential service of the bus). */
export type DeviceVerifier = (username: string, password: string) => Promise<boolean>;
/** Counts and audits a device's refused request (the devices capability's DeviceRefusals). */
export type RefusalSink = (r: {
  device: DeviceRef;
  action: string;
  subject: string;
  summary: string;
}) => void;

const unauthenticated = () =>
  new AppError(
    'device-unauthenticated',
    'Send the device credentials (HTTP Basic, camera:{serial} or dock:{id})',
  );

async function deviceOf(req: Request, verify: DeviceVerifier): Promise<DeviceRef> {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
  if (!m) throw unauthenticated();
  const decoded = Buffer.from(m[1]!, 'base64').toString();
  const colon = decoded.indexOf(':', decoded.indexOf(':') + 1); // the username is `kind:id`
  const username = colon > 0 ? decoded.slice(0, colon) : '';
  const device = deviceFromUsername(username);
  if (!device || !(await verify(username, decoded.slice(colon + 1)))) throw unauthenticated();
  return device;
}

/** res.sendFile as a promise: whole file, one range (206) or the 416 of a range past the end. */
function sendFile(res: Response, file: { root: string; name: string; size: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const opts = { root: file.root, dotfiles: 'deny' as const, lastModified: false, cacheControl: false };
    res.sendFile(file.name, opts, (err) => {
      if (!err) return resolve();
      if ((err as { status?: number }).status === 416) {
        res.setHeader('Content-Range', `bytes */${file.size}`);
        return reject(new AppError('range-not-satisfiable', `The artifact is ${file.size} bytes`));
      }
      // The device hung up mid-file (it resumes with a Range later): nothing to answer.
      if (res.headersSent) return resolve();
      reject(err);
    });
  });
}

export function firmwareDownloadRoutes(
  artifacts: FirmwareArtifacts,
  verify: DeviceVerifier,
  refuse: RefusalSink,
) {
  const router = describeRoutes(Router(), [
    {
      method: 'get',
      path: '/firmware/artifacts/:id/download',
      allow: 'public',
      caller: 'device',
      params: ArtifactParams,
      doc: {
        summary: 'A device downloads a firmware artifact it was sent (HTTP Range: 206, 416; ETag = sha256)',
        produces: 'application/octet-stream',
        problems: ['firmware-artifact-not-found', 'range-not-satisfiable'],
      },
    },
  ]);
  router.get('/firmware/artifacts/:id/download', async (req: Request, res: Response) => {
    const device = await deviceOf(req, verify);
    const asked = String(req.params.id);
    const id = ArtifactParams.safeParse({ id: asked }).data?.id;
    const file = id === undefined ? null : await artifacts.downloadable(device, id);
    if (!file) {
      refuse({
        device,
        action: 'firmware.download.refused',
        subject: asked,
        summary: `${device.kind}:${device.id} asked for firmware artifact ${asked}, which was not sent to it`,
      });
      throw notFound('firmware-artifact', asked);
    }
    res.setHeader('ETag', `"${file.sha256}"`);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Content-Type', 'application/octet-stream');
    await sendFile(res, file);
  });
  return router;
}
