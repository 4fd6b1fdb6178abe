// What the check-out and check-in routes answer, and the problem types each may refuse with: the API
// reference's schemas and the stores desk's types (its wording is keyed by these slugs).
import { z } from 'zod';
import type { ProblemSlug } from '../shared/problem-types.js';
import { Timestamp } from '../shared/responses.js';

export const AssignmentResponse = z
  .object({
    id: z.string(),
    camera: z.string(),
    officer: z.string(),
    mode: z.enum(['personal', 'pool']),
    station: z.string(),
    issuedAt: Timestamp,
    issuedBy: z.string(),
  })
  .meta({ id: 'Assignment' });
export type AssignmentResponse = z.infer<typeof AssignmentResponse>;

/** POST /checkouts: the assignment and who it went to, for the desk to check against the person. */
export const CheckoutResponse = AssignmentResponse.extend({
  issuedTo: z
    .object({ number: z.string(), name: z.string(), station: z.string() })
    .meta({ description: 'The officer the camera was issued to (no photo): what the desk shows' }),
});
export type CheckoutResponse = z.infer<typeof CheckoutResponse>;

export const CheckinResponse = z.object({
  assignment: AssignmentResponse.extend({
    returnedAt: Timestamp.optional(),
    condition: z.string().optional(),
  }).loose(),
  camera: z.object({ serial: z.string(), status: z.string(), station: z.string() }).loose(),
  fault: z.object({}).loose().nullable(),
});

export const CHECKOUT_PROBLEMS = [
  'camera-not-found',
  'officer-not-found',
  'officer-inactive',
  'camera-already-issued',
  'camera-faulty',
  'camera-in-repair',
  'camera-lost',
  'camera-retired',
  'camera-in-transit',
  'camera-at-another-station',
  'officer-already-holds-camera',
  'out-of-station-scope',
  'idempotency-key-reused',
  'idempotency-request-in-progress',
  'camera-battery-low',
  'camera-firmware-blocked',
  'camera-firmware-not-approved',
] as const satisfies readonly ProblemSlug[];

/** GET /checkouts/check: the check-out's camera refusals, asked when the desk scans the camera. */
export const CAMERA_CHECK_PROBLEMS = [
  'camera-not-found',
  'camera-already-issued',
  'camera-faulty',
  'camera-in-repair',
  'camera-lost',
  'camera-retired',
  'camera-in-transit',
  'camera-battery-low',
  'camera-firmware-blocked',
  'camera-firmware-not-approved',
  'out-of-station-scope',
] as const satisfies readonly ProblemSlug[];

export const CHECKIN_PROBLEMS = [
  'camera-not-found',
  'camera-not-issued',
  'camera-status-conflict',
  'out-of-station-scope',
  'idempotency-key-reused',
  'idempotency-request-in-progress',
] as const satisfies readonly ProblemSlug[];

/** Every refusal the stores desk can meet when it scans. */
export type DeskProblem = (typeof CHECKOUT_PROBLEMS)[number] | (typeof CHECKIN_PROBLEMS)[number];
