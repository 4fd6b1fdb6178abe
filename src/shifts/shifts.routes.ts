import express from 'express';
import { STAFF_ROLES } from '../shared/roles.js';
import { SecureRouter } from '../http/route.js';
import {
  ImportQuery,
  OnDutyParams,
  OnDutyQuery,
  ShiftBody,
  ShiftOfficersBody,
  ShiftParams,
  ShiftQuery,
} from './shifts.schemas.js';
import type { ShiftsService } from './shifts.service.js';

/** Inspectors run shifts; admins may too. Everyone reads them. */
const planners = ['admin', 'inspector'] as const;

export function shiftsRoutes(shifts: ShiftsService, csvLimit = '5mb') {
  const api = new SecureRouter();

  api.get('/shifts', { allow: STAFF_ROLES, query: ShiftQuery }, ({ query }) => shifts.list(query));
  api.get(
    '/shifts/:id',
    { allow: STAFF_ROLES, params: ShiftParams, doc: { problems: ['shift-not-found'] } },
    ({ params }) => shifts.get(params.id),
  );
  api.post(
    '/shifts',
    {
      allow: planners,
      body: ShiftBody,
      status: 201,
      doc: { problems: ['shift-invalid', 'shift-exists', 'unknown-station', 'out-of-station-scope'] },
    },
    ({ body, ctx }) => shifts.create(body, ctx),
  );
  api.put(
    '/shifts/:id/officers',
    {
      allow: planners,
      params: ShiftParams,
      body: ShiftOfficersBody,
      doc: { problems: ['shift-not-found', 'shift-invalid', 'out-of-station-scope'] },
    },
    ({ params, body, ctx }) => shifts.setOfficers(params.id, body.officers, ctx),
  );
  api.get(
    '/stations/:code/on-duty',
    { allow: STAFF_ROLES, params: OnDutyParams, query: OnDutyQuery },
    ({ params, query }) => shifts.onDuty(params.code, query.at),
  );

  // The roster arrives as text/csv; the JSON parser in front leaves it alone.
  api.router.post('/shifts/import', express.text({ type: 'text/csv', limit: csvLimit }));
  api.post(
    '/shifts/import',
    {
      allow: planners,
      query: ImportQuery,
      doc: {
        consumes: 'text/csv',
        problems: [
          'csv-malformed',
          'csv-missing-columns',
          'roster-invalid',
          'shift-exists',
          'out-of-station-scope',
        ],
      },
    },
    ({ req, query, ctx }) =>
      shifts.importRoster(typeof req.body === 'string' ? req.body : '', query.dryRun, ctx),
  );

  return api.router;
}
