import { z } from 'zod';
import { STAFF_ROLES } from '../shared/roles.js';
import { ImportQuery, readCsvBody } from '../http/csv-body.js';
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
  DockLabelQuery,
  DockQuery,
  LabelSheetQuery,
} from './fleet.schemas.js';
import type { Camera, FleetService } from './fleet.service.js';
import {
  CameraPage,
  CameraResponse,
  CameraViewResponse,
  DockPage,
  DockResponse,
  StockAlertResponse,
  StockResponse,
} from './fleet.responses.js';

/** Stores keep the register; admins may correct it. Everyone else reads. */
const editors = ['admin', 'stores'] as const;

const MinimumStockBody = z.object({ minimum: z.number().int().min(0).max(10_000) }).strict();

export interface FleetRouteOptions {
  /** Adds what the bus knows about a camera (battery, health, …) to GET /cameras/:serial. */
  cameraLive?: (camera: Camera) => unknown;
}

export function fleetRoutes(fleet: FleetService, opts: FleetRouteOptions = {}) {
  const api = new SecureRouter();

  // Before /cameras/:serial so the literal paths win.
  api.post(
    '/cameras/import',
    {
      allow: editors,
      query: ImportQuery,
      doc: {
        consumes: 'text/csv',
        problems: ['csv-malformed', 'csv-missing-columns', 'import-invalid-rows', 'import-conflict'],
      },
    },
    async ({ query, ctx, req, res }) => {
      const report = await fleet.importCameras(await readCsvBody(req, res), query.dryRun, ctx);
      res.status(query.dryRun ? 200 : 201).json(report);
    },
  );
  api.get(
    '/cameras/export.csv',
    {
      allow: STAFF_ROLES,
      query: CameraQuery.omit({ limit: true, offset: true }),
      doc: { produces: 'text/csv' },
    },
    async ({ query, res }) => {
      res
        .type('text/csv')
        .attachment('cameras.csv')
        .send(await fleet.exportCameras(query));
    },
  );

  api.get(
    '/cameras/labels.svg',
    {
      allow: STAFF_ROLES,
      query: LabelSheetQuery,
      doc: {
        summary: 'A printable sheet of labels for the cameras named in `serials` (comma-separated)',
        produces: 'image/svg+xml',
        problems: ['camera-not-found'],
      },
    },
    async ({ query, res }) => {
      res.type('image/svg+xml').send(await fleet.labelSheetOf(query.serials));
    },
  );

  api.get(
    '/cameras',
    { allow: STAFF_ROLES, query: CameraQuery, doc: { response: CameraPage } },
    ({ query: { limit, offset, ...filter } }) => fleet.listCameras(filter, limit, offset),
  );
  api.get(
    '/cameras/:serial/label.svg',
    {
      allow: STAFF_ROLES,
      params: CameraParams,
      doc: { produces: 'image/svg+xml', problems: ['camera-not-found'] },
    },
    async ({ params, res }) => {
      res.type('image/svg+xml').send(await fleet.label(params.serial));
    },
  );
  api.get(
    '/stations/:code/labels.svg',
    {
      allow: STAFF_ROLES,
      params: StationParams,
      doc: { produces: 'image/svg+xml', problems: ['station-not-found'] },
    },
    async ({ params, res }) => {
      res.type('image/svg+xml').send(await fleet.labelSheet(params.code));
    },
  );
  api.get(
    '/cameras/:serial',
    {
      allow: STAFF_ROLES,
      params: CameraParams,
      doc: { response: CameraViewResponse, problems: ['camera-not-found'] },
    },
    async ({ params }) => {
      const camera = await fleet.cameraView(params.serial);
      return opts.cameraLive ? { ...camera, live: opts.cameraLive(camera) } : camera;
    },
  );
  api.post(
    '/cameras',
    {
      allow: editors,
      body: CameraBody,
      status: 201,
      doc: {
        response: CameraResponse,
        problems: ['camera-exists', 'asset-tag-exists', 'unknown-station', 'out-of-station-scope'],
      },
    },
    ({ body, ctx }) => fleet.createCamera(body, ctx),
  );
  api.patch(
    '/cameras/:serial',
    {
      allow: editors,
      params: CameraParams,
      body: CameraPatch,
      doc: {
        response: CameraResponse,
        problems: ['camera-not-found', 'asset-tag-exists', 'use-transfer', 'out-of-station-scope'],
      },
    },
    ({ params, body, ctx }) => fleet.updateCamera(params.serial, body, ctx),
  );

  api.get(
    '/stations/:code/stock',
    {
      allow: STAFF_ROLES,
      params: StationParams,
      doc: { response: StockResponse, problems: ['station-not-found'] },
    },
    ({ params }) => fleet.stock(params.code),
  );

  api.patch(
    '/stations/:code/stock',
    {
      allow: editors,
      params: StationParams,
      body: MinimumStockBody,
      doc: { problems: ['station-not-found', 'out-of-station-scope'] },
    },
    ({ params, body, ctx }) => fleet.setMinimumStock(params.code, body.minimum, ctx),
  );
  api.get('/stock-alerts', { allow: STAFF_ROLES, doc: { response: z.array(StockAlertResponse) } }, () =>
    fleet.stockAlerts(),
  );

  api.get(
    '/docks',
    { allow: STAFF_ROLES, query: DockQuery, doc: { response: DockPage } },
    ({ query: { limit, offset, ...filter } }) => fleet.listDocks(filter, limit, offset),
  );
  // Before /docks/:id so the literal path wins.
  api.get(
    '/docks/labels.svg',
    {
      allow: STAFF_ROLES,
      query: DockLabelQuery,
      doc: {
        summary:
          'A printable sheet of dock labels (QR code of the dock id, its station under it): the docks in `ids` (comma-separated), else those at `station`, else every dock',
        produces: 'image/svg+xml',
        problems: ['dock-not-found', 'station-not-found'],
      },
    },
    async ({ query, res }) => {
      res.type('image/svg+xml').send(await fleet.dockLabelSheet(query));
    },
  );
  api.get(
    '/docks/:id',
    { allow: STAFF_ROLES, params: DockParams, doc: { response: DockResponse, problems: ['dock-not-found'] } },
    ({ params }) => fleet.dock(params.id),
  );
  api.post(
    '/docks',
    {
      allow: editors,
      body: DockBody,
      status: 201,
      doc: { response: DockResponse, problems: ['dock-exists', 'unknown-station', 'out-of-station-scope'] },
    },
    ({ body, ctx }) => fleet.createDock(body, ctx),
  );
  api.patch(
    '/docks/:id',
    {
      allow: editors,
      params: DockParams,
      body: DockPatch,
      doc: {
        response: DockResponse,
        problems: ['dock-not-found', 'unknown-station', 'out-of-station-scope'],
      },
    },
    ({ params, body, ctx }) => fleet.updateDock(params.id, body, ctx),
  );

  return api.router;
}
