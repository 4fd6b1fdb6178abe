import { ANY_ROLE } from '../auth/roles.js';
import { SecureRouter } from '../http/route.js';
import { StationParams } from '../people/index.js';
import {
  CameraBody,
  CameraParams,
  CameraPatch,
  CameraQuery,
  DockBody,
  DockParams,
  DockPatch,
  DockQuery,
} from './fleet.schemas.js';
import type { FleetService } from './fleet.service.js';

/** Stores keep the register; admins may correct it. Everyone else reads. */
const editors = ['admin', 'stores'] as const;

export function fleetRoutes(fleet: FleetService) {
  const api = new SecureRouter();

  api.get('/cameras', { allow: ANY_ROLE, query: CameraQuery }, ({ query: { limit, offset, ...filter } }) =>
    fleet.listCameras(filter, limit, offset),
  );
  api.get('/cameras/:serial', { allow: ANY_ROLE, params: CameraParams }, ({ params }) =>
    fleet.camera(params.serial),
  );
  api.post('/cameras', { allow: editors, body: CameraBody, status: 201 }, ({ body, ctx }) =>
    fleet.createCamera(body, ctx),
  );
  api.patch(
    '/cameras/:serial',
    { allow: editors, params: CameraParams, body: CameraPatch },
    ({ params, body, ctx }) => fleet.updateCamera(params.serial, body, ctx),
  );

  api.get('/stations/:code/stock', { allow: ANY_ROLE, params: StationParams }, ({ params }) =>
    fleet.stock(params.code),
  );

  api.get('/docks', { allow: ANY_ROLE, query: DockQuery }, ({ query: { limit, offset, ...filter } }) =>
    fleet.listDocks(filter, limit, offset),
  );
  api.get('/docks/:id', { allow: ANY_ROLE, params: DockParams }, ({ params }) => fleet.dock(params.id));
  api.post('/docks', { allow: editors, body: DockBody, status: 201 }, ({ body, ctx }) =>
    fleet.createDock(body, ctx),
  );
  api.patch('/docks/:id', { allow: editors, params: DockParams, body: DockPatch }, ({ params, body, ctx }) =>
    fleet.updateDock(params.id, body, ctx),
  );

  return api.router;
}
