import { z } from 'zod';
import { STAFF_ROLES } from '../shared/roles.js';
import { CameraParams, CameraResponse } from '../fleet/index.js';
import { fromZod } from '../errors.js';
import { SecureRouter, type RouteInput } from '../http/route.js';
import { fingerprintOf, type IdempotencyService } from '../idempotency/index.js';
import { OfficerParams } from '../people/index.js';
import {
  CameraCheckQuery,
  CheckinBody,
  CheckoutBody,
  FaultBody,
  HistoryQuery,
  IdempotencyKey,
  LostBody,
  RepairBody,
  RetireBody,
} from './assignments.schemas.js';
import type { AssignmentsService } from './assignments.service.js';
import {
  CAMERA_CHECK_PROBLEMS,
  CHECKIN_PROBLEMS,
  CHECKOUT_PROBLEMS,
  CheckinResponse,
  CheckoutResponse,
} from './assignments.responses.js';

/** A retry with the same key (and body) answers the first result instead of acting again. */
const IdempotencyHeaders = z.object({
  'idempotency-key': IdempotencyKey.optional().meta({
    description: 'Makes a retry safe: the same key and body answer the first result (Idempotent-Replayed)',
  }),
});

/** Stores staff issue and take back cameras; admins may too. Everyone else only reads. */
const issuers = ['admin', 'stores'] as const;

/**
 * Runs a state change at most once per Idempotency-Key (when the client sends one) and writes
 * the response itself: the stored first result on a repeat, marked `Idempotent-Replayed: true`.
 */
async function once<B>(
  idem: IdempotencyService,
  route: string,
  status: number,
  { req, res, ctx, body }: RouteInput<B, unknown, unknown>,
  /** Runs the change; `requestKey` names the request across retries (its scope and key). */
  action: (requestKey?: string) => Promise<unknown>,
) {
  const raw = req.get('Idempotency-Key');
  if (raw === undefined) {
    res.status(status).json(await action());
    return;
  }
  const key = IdempotencyKey.safeParse(raw);
  if (!key.success) throw fromZod('headers.idempotency-key', key.error);
  const scope = `${ctx.actor.type}:${ctx.actor.id}\n${route}`;
  const out = await idem.run(scope, key.data, fingerprintOf(body), async () => ({
    status,
    body: await action(`${scope}\n${key.data}`),
  }));
  if (out.replayed) res.set('Idempotent-Replayed', 'true');
  if (out.error) throw out.error;
  res.status(out.status).json(out.body);
}

/** What a lifecycle step (fault, repair, repaired, lost, retire) can refuse: one set of status rules. */
const LIFECYCLE_PROBLEMS = [
  'camera-not-found',
  'camera-status-conflict',
  'camera-already-issued',
  'camera-not-issued',
  'out-of-station-scope',
] as const;

export function assignmentsRoutes(assignments: AssignmentsService, idem: IdempotencyService) {
  const api = new SecureRouter();

  api.post(
    '/checkouts',
    {
      allow: issuers,
      body: CheckoutBody,
      status: 201,
      doc: {
        summary: 'Issue a camera to an officer',
        response: CheckoutResponse,
        problems: CHECKOUT_PROBLEMS,
      },
    },
    (input) =>
      once(idem, 'POST /checkouts', 201, input, (key) => assignments.checkOut(input.body, input.ctx, key)),
  );
  api.get(
    '/checkouts/check',
    {
      allow: issuers,
      query: CameraCheckQuery,
      doc: {
        summary: 'Whether a scanned camera can be issued now (before the warrant card is scanned)',
        response: CameraResponse,
        problems: CAMERA_CHECK_PROBLEMS,
      },
    },
    ({ query, ctx }) => assignments.checkCamera(query.camera, ctx),
  );
  api.post(
    '/checkins',
    {
      allow: issuers,
      body: CheckinBody,
      doc: {
        summary: 'Take a camera back',
        headers: IdempotencyHeaders,
        response: CheckinResponse,
        problems: CHECKIN_PROBLEMS,
      },
    },
    (input) =>
      once(idem, 'POST /checkins', 200, input, (key) => assignments.checkIn(input.body, input.ctx, key)),
  );

  api.post(
    '/cameras/:serial/faults',
    {
      allow: issuers,
      params: CameraParams,
      body: FaultBody,
      status: 201,
      doc: { problems: LIFECYCLE_PROBLEMS },
    },
    ({ params, body, ctx }) => assignments.reportFault(params.serial, body, ctx),
  );
  api.post(
    '/cameras/:serial/repair',
    {
      allow: issuers,
      params: CameraParams,
      body: RepairBody,
      doc: { problems: LIFECYCLE_PROBLEMS },
    },
    ({ params, body, ctx }) => assignments.startRepair(params.serial, body.notes, ctx),
  );
  api.post(
    '/cameras/:serial/repaired',
    {
      allow: issuers,
      params: CameraParams,
      body: RepairBody,
      doc: { problems: LIFECYCLE_PROBLEMS },
    },
    ({ params, body, ctx }) => assignments.completeRepair(params.serial, body.notes, ctx),
  );
  api.post(
    '/cameras/:serial/lost',
    {
      allow: issuers,
      params: CameraParams,
      body: LostBody,
      doc: { problems: LIFECYCLE_PROBLEMS },
    },
    ({ params, body, ctx }) => assignments.reportLost(params.serial, body, ctx),
  );
  api.post(
    '/cameras/:serial/retire',
    {
      allow: issuers,
      params: CameraParams,
      body: RetireBody,
      doc: { problems: LIFECYCLE_PROBLEMS },
    },
    ({ params, body, ctx }) => assignments.retire(params.serial, body.reason, ctx),
  );

  api.get(
    '/cameras/:serial/faults',
    { allow: STAFF_ROLES, params: CameraParams, doc: { problems: ['camera-not-found'] } },
    ({ params }) => assignments.faults(params.serial),
  );
  api.get(
    '/cameras/:serial/history',
    {
      allow: STAFF_ROLES,
      params: CameraParams,
      query: HistoryQuery,
      doc: { problems: ['camera-not-found'] },
    },
    ({ params, query }) => assignments.cameraHistory(params.serial, query.limit, query.offset),
  );
  api.get(
    '/officers/:number/history',
    {
      allow: STAFF_ROLES,
      params: OfficerParams,
      query: HistoryQuery,
      doc: { problems: ['officer-not-found'] },
    },
    ({ params, query }) => assignments.officerHistory(params.number, query.limit, query.offset),
  );

  return api.router;
}
