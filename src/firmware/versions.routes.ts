// The versions register: IT approves and blocks firmware versions (per model, or `*`), withdraws
// either; auditors read. A blocked version makes every device on it unfit, on every screen.
import { SecureRouter } from '../http/route.js';
import { FIRMWARE_MANAGERS, FIRMWARE_READERS } from './roles.js';
import { VersionList, VersionResponse } from './versions.responses.js';
import { VersionBody, VersionParams, VersionQuery } from './versions.schemas.js';
import type { FirmwareVersions } from './versions.service.js';

export function firmwareVersionsRoutes(versions: FirmwareVersions) {
  const api = new SecureRouter();
  api.get(
    '/firmware/versions',
    { allow: FIRMWARE_READERS, query: VersionQuery, doc: { response: VersionList } },
    ({ query }) => versions.list(query),
  );
  api.put(
    '/firmware/versions/:kind/:model/:version',
    {
      allow: FIRMWARE_MANAGERS,
      params: VersionParams,
      body: VersionBody,
      doc: {
        summary: 'Approve or block a firmware version (a reason is required to block)',
        response: VersionResponse,
      },
    },
    ({ params, body, ctx }) => versions.set(params, body, ctx),
  );
  api.delete(
    '/firmware/versions/:kind/:model/:version',
    {
      allow: FIRMWARE_MANAGERS,
      params: VersionParams,
      doc: { summary: 'Withdraw an approval or a block', problems: ['firmware-version-not-found'] },
    },
    ({ params, ctx }) => versions.withdraw(params, ctx),
  );
  return api.router;
}
