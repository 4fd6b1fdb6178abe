import { STAFF_ROLES } from '../shared/roles.js';
import { notFound } from '../errors.js';
import { SecureRouter } from '../http/route.js';
import type { CredentialsService } from './credentials.service.js';
import {
  AlertQuery,
  CameraParams,
  CredentialsBatchBody,
  DockParams,
  HistoryQuery,
} from './devices.schemas.js';
import type { DeviceRefusals } from './refusals.js';
import type { DeviceStateService } from './state.service.js';

/** Provisioning a device's MQTT identity is an IT (or admin) job. */
const provisioners = ['admin', 'it'] as const;

export function devicesRoutes(
  credentials: CredentialsService,
  state: DeviceStateService,
  refusals: DeviceRefusals,
) {
  const api = new SecureRouter();

  api.post(
    '/cameras/:serial/credentials',
    {
      allow: provisioners,
      params: CameraParams,
      status: 201,
      doc: { problems: ['camera-not-found', 'broker-unavailable'] },
    },
    ({ params, ctx }) => credentials.issue('camera', params.serial, ctx),
  );
  api.post(
    '/docks/:id/credentials',
    {
      allow: provisioners,
      params: DockParams,
      status: 201,
      doc: { problems: ['dock-not-found', 'broker-unavailable'] },
    },
    ({ params, ctx }) => credentials.issue('dock', params.id, ctx),
  );

  api.post(
    '/devices/credentials',
    {
      allow: provisioners,
      body: CredentialsBatchBody,
      status: 201,
      doc: { problems: ['camera-not-found', 'dock-not-found', 'broker-unavailable'] },
    },
    async ({ body, ctx }) => ({ credentials: await credentials.issueMany(body.devices, ctx) }),
  );

  api.get(
    '/cameras/:serial/state',
    { allow: STAFF_ROLES, params: CameraParams, doc: { problems: ['device-state-not-found'] } },
    ({ params }) =>
      state.view('camera', params.serial) ?? Promise.reject(notFound('device-state', params.serial)),
  );
  api.get(
    '/docks/:id/state',
    { allow: STAFF_ROLES, params: DockParams, doc: { problems: ['device-state-not-found'] } },
    ({ params }) => state.view('dock', params.id) ?? Promise.reject(notFound('device-state', params.id)),
  );
  api.get(
    '/cameras/:serial/telemetry',
    {
      allow: STAFF_ROLES,
      params: CameraParams,
      query: HistoryQuery,
      doc: { problems: ['history-range-too-long'] },
    },
    async ({ params, query }) => ({
      samples: await state.history('camera', params.serial, query.from, query.to),
    }),
  );
  api.get('/device-alerts', { allow: STAFF_ROLES, query: AlertQuery }, async ({ query }) => ({
    items: await state.openAlerts(query.limit),
  }));
  api.get('/telemetry/stats', { allow: provisioners }, () => ({
    ...state.stats(),
    /** Devices' refused attempts since start, by audit action (e.g. `dock.claim.refused`). */
    refused: refusals.stats(),
  }));

  return api.router;
}
