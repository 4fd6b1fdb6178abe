import { z } from 'zod';
import { STAFF_ROLES } from '../shared/roles.js';
import { ImportQuery, readCsvBody } from '../http/csv-body.js';
import { SecureRouter } from '../http/route.js';
import {
  OfficerBody,
  OfficerParams,
  OfficerPatch,
  OfficerQuery,
  StationBody,
  StationParams,
  StationPatch,
} from './people.schemas.js';
import type { PeopleService } from './people.service.js';
import { OfficerPage, OfficerResponse, StationResponse } from './people.responses.js';

const editors = ['admin', 'stores'] as const;

export function peopleRoutes(people: PeopleService) {
  const api = new SecureRouter();

  api.post(
    '/officers/import',
    {
      allow: editors,
      query: ImportQuery,
      doc: {
        consumes: 'text/csv',
        problems: ['csv-malformed', 'csv-missing-columns', 'import-invalid-rows', 'import-conflict'],
      },
    },
    async ({ query, ctx, req, res }) => {
      const report = await people.importOfficers(await readCsvBody(req, res), query.dryRun, ctx);
      res.status(query.dryRun ? 200 : 201).json(report);
    },
  );

  api.get('/stations', { allow: STAFF_ROLES, doc: { response: z.array(StationResponse) } }, () =>
    people.listStations(),
  );
  api.get(
    '/stations/:code',
    {
      allow: STAFF_ROLES,
      params: StationParams,
      doc: { response: StationResponse, problems: ['station-not-found'] },
    },
    ({ params }) => people.station(params.code),
  );
  api.post(
    '/stations',
    {
      allow: editors,
      body: StationBody,
      status: 201,
      doc: { response: StationResponse, problems: ['station-exists', 'out-of-station-scope'] },
    },
    ({ body, ctx }) => people.createStation(body, ctx),
  );
  api.patch(
    '/stations/:code',
    {
      allow: editors,
      params: StationParams,
      body: StationPatch,
      doc: { response: StationResponse, problems: ['station-not-found', 'out-of-station-scope'] },
    },
    ({ params, body, ctx }) => people.updateStation(params.code, body, ctx),
  );

  api.get(
    '/officers',
    { allow: STAFF_ROLES, query: OfficerQuery, doc: { response: OfficerPage } },
    ({ query: { limit, offset, ...filter } }) => people.listOfficers(filter, limit, offset),
  );
  api.get(
    '/officers/:number',
    {
      allow: STAFF_ROLES,
      params: OfficerParams,
      doc: { response: OfficerResponse, problems: ['officer-not-found'] },
    },
    ({ params }) => people.officer(params.number),
  );
  api.post(
    '/officers',
    {
      allow: editors,
      body: OfficerBody,
      status: 201,
      doc: {
        response: OfficerResponse,
        problems: ['officer-exists', 'unknown-station', 'out-of-station-scope'],
      },
    },
    ({ body, ctx }) => people.createOfficer(body, ctx),
  );
  api.patch(
    '/officers/:number',
    {
      allow: editors,
      params: OfficerParams,
      body: OfficerPatch,
      doc: {
        response: OfficerResponse,
        problems: ['officer-not-found', 'unknown-station', 'out-of-station-scope'],
      },
    },
    ({ params, body, ctx }) => people.updateOfficer(params.number, body, ctx),
  );

  return api.router;
}
