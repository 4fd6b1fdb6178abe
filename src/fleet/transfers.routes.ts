import { z } from 'zod';
import { STAFF_ROLES } from '../shared/roles.js';
import { PageQuery } from '../shared/paging.js';
import { SecureRouter } from '../http/route.js';
import { StationCode } from '../people/index.js';
import { CameraSerial } from './fleet.schemas.js';
import type { TransfersService } from './transfers.service.js';

const editors = ['admin', 'stores'] as const;
const TransferBody = z
  .object({
    cameras: z.array(CameraSerial).min(1).max(200),
    to: StationCode,
    notes: z.string().trim().max(1000).optional(),
  })
  .strict();
const TransferParams = z.object({ id: z.uuid() });
const TransferQuery = PageQuery.extend({
  state: z.enum(['in_transit', 'received']).optional(),
  station: StationCode.optional(),
});

export function transfersRoutes(transfers: TransfersService) {
  const api = new SecureRouter();
  api.post(
    '/transfers',
    {
      allow: editors,
      body: TransferBody,
      status: 201,
      doc: {
        problems: [
          'camera-not-found',
          'unknown-station',
          'transfer-mixed-stations',
          'transfer-same-station',
          'camera-not-transferable',
          'camera-in-transit',
          'out-of-station-scope',
        ],
      },
    },
    ({ body, ctx }) => transfers.send(body, ctx),
  );
  api.post(
    '/transfers/:id/receive',
    {
      allow: editors,
      params: TransferParams,
      doc: { problems: ['transfer-not-found', 'transfer-already-received', 'out-of-station-scope'] },
    },
    ({ params, ctx }) => transfers.receive(params.id, ctx),
  );
  api.get(
    '/transfers',
    { allow: STAFF_ROLES, query: TransferQuery },
    ({ query: { limit, offset, ...filter } }) => transfers.list(filter, limit, offset),
  );
  api.get(
    '/transfers/:id',
    { allow: STAFF_ROLES, params: TransferParams, doc: { problems: ['transfer-not-found'] } },
    ({ params }) => transfers.get(params.id),
  );
  return api.router;
}
