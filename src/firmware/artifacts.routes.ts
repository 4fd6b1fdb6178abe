// Firmware artifacts for people: IT uploads (the body is the artifact, streamed), IT and auditors
// read. Devices download through artifacts.download.ts, with their own credentials.
import { AppError } from '../errors.js';
import { SecureRouter } from '../http/route.js';
import { ArtifactPage, ArtifactResponse } from './artifacts.responses.js';
import { ArtifactParams, ArtifactQuery, UploadQuery } from './artifacts.schemas.js';
import type { FirmwareArtifacts } from './artifacts.service.js';
import { FIRMWARE_MANAGERS, FIRMWARE_READERS } from './roles.js';

export function firmwareArtifactsRoutes(artifacts: FirmwareArtifacts) {
  const api = new SecureRouter();
  api.post(
    '/firmware/artifacts',
    {
      allow: FIRMWARE_MANAGERS,
      query: UploadQuery,
      status: 201,
      doc: {
        summary:
          'Upload a vendor-signed firmware artifact (the body is the file; kept only if the signature checks)',
        consumes: 'application/octet-stream',
        response: ArtifactResponse,
        problems: ['firmware-signature-invalid', 'firmware-version-exists', 'firmware-too-large'],
      },
    },
    ({ query, req, ctx }) => {
      if (!req.is('application/octet-stream')) {
        throw new AppError(
          'unsupported-media-type',
          `Send the artifact as application/octet-stream; got ${req.get('content-type') ?? 'no content type'}`,
        );
      }
      const declared = req.headers['content-length'];
      return artifacts.upload(query, req, declared === undefined ? undefined : Number(declared), ctx);
    },
  );
  api.get(
    '/firmware/artifacts',
    { allow: FIRMWARE_READERS, query: ArtifactQuery, doc: { response: ArtifactPage } },
    async ({ query: { limit, offset, ...filter } }) => {
      const all = await artifacts.list(filter);
      return { items: all.slice(offset, offset + limit), total: all.length, limit, offset };
    },
  );
  api.get(
    '/firmware/artifacts/:id',
    {
      allow: FIRMWARE_READERS,
      params: ArtifactParams,
      doc: { response: ArtifactResponse, problems: ['firmware-artifact-not-found'] },
    },
    ({ params }) => artifacts.existing(params.id),
  );
  return api.router;
}
