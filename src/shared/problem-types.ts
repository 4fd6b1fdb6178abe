// Every problem type the API answers with, declared once (RFC 9457): its stable slug, its kind (and
// so its HTTP status) and its title, the same for every occurrence. AppError takes a slug from here,
// so a mistyped slug is a type error; the OpenAPI document lists them; the web app keys its wording
// by them. What went wrong this time goes in the problem's `detail`, never in a new title.

/** The kinds of operational error, each with its HTTP status. */
export const STATUS_OF_KIND = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media': 415,
  'unsatisfiable-range': 416,
  unprocessable: 422,
  'too-many': 429,
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof STATUS_OF_KIND;

export interface ProblemType {
  kind: ErrorKind;
  title: string;
}

const problem = <K extends ErrorKind>(kind: K, title: string) => ({ kind, title });

/** The register's things a `…-not-found` problem can name (errors.ts `notFound`). */
export type NotFoundSubject =
  | 'user'
  | 'api-token'
  | 'station'
  | 'officer'
  | 'camera'
  | 'dock'
  | 'transfer'
  | 'shift'
  | 'clip'
  | 'disclosure'
  | 'device-state'
  | 'webhook'
  | 'delivery'
  | 'firmware-artifact'
  | 'firmware-version'
  | 'firmware-campaign'
  | 'rollout-phase'
  | 'rollout-concern'
  | 'rollout-report';

const notFound = <S extends NotFoundSubject>(subject: S, title: string) =>
  ({ [`${subject}-not-found`]: problem('not-found', title) }) as Record<
    `${S}-not-found`,
    { kind: 'not-found'; title: string }
  >;

export const PROBLEM_TYPES = {
  // Any request, before or around the route's own work.
  'validation-failed': problem('invalid', 'The request is not valid'),
  'malformed-path': problem('invalid', 'The URL path is not valid percent-encoding'),
  'malformed-json': problem('invalid', 'Request body is not valid JSON'),
  'malformed-body-encoding': problem('invalid', 'The body does not match its Content-Encoding'),
  'body-too-large': problem('invalid', 'Request body too large'),
  'bad-request': problem('invalid', 'The request could not be read'),
  'unsupported-media-type': problem('unsupported-media', 'Unsupported media type'),
  'route-not-found': problem('not-found', 'No such route'),
  'not-ready': problem('unavailable', 'Not ready'),

  // Who is asking, and may they.
  unauthenticated: problem('unauthenticated', 'Authentication required'),
  'invalid-credentials': problem('unauthenticated', 'Wrong username or password'),
  'invalid-token': problem('unauthenticated', 'Invalid API token'),
  'too-many-login-attempts': problem('too-many', 'Too many failed logins'),
  'device-unauthenticated': problem('unauthenticated', 'Device authentication required'),
  forbidden: problem('forbidden', 'Not allowed for your role'),
  'csrf-token-invalid': problem('forbidden', 'CSRF token missing or wrong'),
  'out-of-station-scope': problem('forbidden', 'Outside your station'),
  'other-station': problem('forbidden', 'Not your station'),

  // Things that are not there.
  ...notFound('user', 'No such user'),
  ...notFound('api-token', 'No such API token'),
  ...notFound('station', 'No such station'),
  ...notFound('officer', 'No such officer'),
  ...notFound('camera', 'No such camera'),
  ...notFound('dock', 'No such dock'),
  ...notFound('transfer', 'No such transfer'),
  ...notFound('shift', 'No such shift'),
  ...notFound('clip', 'No such clip'),
  ...notFound('disclosure', 'No such disclosure of this clip'),
  ...notFound('device-state', 'Nothing heard from this device yet'),
  ...notFound('webhook', 'No such webhook'),
  ...notFound('delivery', 'No such delivery'),
  ...notFound('firmware-artifact', 'No such firmware artifact'),
  ...notFound('firmware-version', 'That firmware version is neither approved nor blocked'),
  ...notFound('firmware-campaign', 'No such firmware campaign'),
  ...notFound('rollout-report', 'No such rollout report'),

  // Users and tokens.
  'username-taken': problem('conflict', 'Username already taken'),
  'cannot-change-own-role': problem('conflict', 'You cannot change your own role or disable yourself'),
  'password-too-weak': problem('unprocessable', 'Password too weak'),

  // The register: stations, officers, cameras, docks, imports.
  'unknown-station': problem('invalid', 'Unknown station'),
  'station-exists': problem('conflict', 'Station already exists'),
  'officer-exists': problem('conflict', 'Officer already exists'),
  'camera-exists': problem('conflict', 'Camera already registered'),
  'asset-tag-exists': problem('conflict', 'Asset tag already in use'),
  'dock-exists': problem('conflict', 'Dock already registered'),
  'use-transfer': problem('unprocessable', 'Cameras move between stations only by transfer'),
  'csv-malformed': problem('invalid', 'The CSV cannot be read'),
  'csv-missing-columns': problem('invalid', 'The CSV lacks required columns'),
  'import-invalid-rows': problem('unprocessable', 'The import has invalid rows; nothing was imported'),
  'import-conflict': problem('conflict', 'The import clashed with a concurrent change; nothing was imported'),

  // Check-out, check-in and the camera's life (assignments/availability.ts says why each applies).
  'camera-already-issued': problem('conflict', 'Camera is already issued'),
  'camera-faulty': problem('conflict', 'Camera is faulty'),
  'camera-in-repair': problem('conflict', 'Camera is in repair'),
  'camera-lost': problem('conflict', 'Camera is reported lost or stolen'),
  'camera-retired': problem('conflict', 'Camera is retired'),
  'camera-in-transit': problem('conflict', 'Camera is in transit'),
  'camera-at-another-station': problem('conflict', 'Camera is held at another station'),
  'officer-already-holds-camera': problem('conflict', 'Officer already holds a camera'),
  'officer-inactive': problem('conflict', 'Officer is not active'),
  'camera-not-issued': problem('conflict', 'Camera is not issued'),
  'camera-status-conflict': problem('conflict', 'Camera cannot do that from its current status'),
  'idempotency-key-reused': problem('unprocessable', 'Idempotency-Key reused with a different request'),
  'idempotency-request-in-progress': problem(
    'conflict',
    'The first request with this Idempotency-Key is still running',
  ),

  // Transfers between stations.
  'transfer-mixed-stations': problem('conflict', 'Cameras are at different stations'),
  'transfer-same-station': problem('conflict', 'Transfer to the same station'),
  'camera-not-transferable': problem('conflict', 'Camera cannot be transferred'),
  'transfer-already-received': problem('conflict', 'Transfer already received'),

  // Shifts and rosters.
  'shift-invalid': problem('invalid', 'The shift is not valid'),
  'shift-exists': problem('conflict', 'Shift already exists'),
  'roster-invalid': problem('unprocessable', 'The roster has errors; nothing was imported'),

  // Devices, telemetry and clips.
  'broker-unavailable': problem('unavailable', 'The MQTT broker could not be updated'),
  'history-range-too-long': problem('invalid', 'The time range is too long'),
  'clip-too-large': problem('too-large', 'The clip is too large'),
  'clip-incomplete': problem('invalid', 'The upload was cut off'),
  'clip-hash-mismatch': problem('unprocessable', 'The clip does not match its SHA-256'),
  'clip-camera-unknown': problem('unprocessable', 'The camera is not in the register'),
  'clip-camera-not-held': problem('forbidden', 'The dock cannot have held this camera'),
  'clip-not-reviewable': problem('conflict', 'Only a redacted clip awaiting review can be reviewed'),
  'clip-not-redacted': problem('conflict', 'The clip has no redacted copy yet'),
  'clip-review-unacknowledged': problem(
    'conflict',
    'The clip is flagged for review: approving it needs the reasons acknowledged',
  ),
  'clip-not-markable': problem('conflict', 'A missed face can be marked only on a clip with a redacted copy'),
  'missed-face-outside-clip': problem('unprocessable', 'The frame or box lies outside the clip'),
  'clip-not-approved': problem('conflict', 'Only an approved redacted copy can be disclosed'),
  'range-not-satisfiable': problem('unsatisfiable-range', 'Range not satisfiable'),

  // Webhooks.
  'webhook-url-refused': problem('unprocessable', 'Webhooks may not be sent there'),
  'webhook-disabled': problem('conflict', 'The webhook is disabled'),

  // Firmware (docs/firmware.md).
  'firmware-signature-invalid': problem(
    'unprocessable',
    'The firmware signature is missing or not from a trusted key',
  ),
  'firmware-version-exists': problem('conflict', 'That firmware version is already uploaded'),
  'firmware-too-large': problem('too-large', 'The firmware artifact is too large'),
  // Firmware campaigns and maintenance windows.
  'firmware-window-not-found': problem('not-found', 'The station has no maintenance window'),
  'firmware-approval-own-campaign': problem(
    'forbidden',
    'Someone other than its creator must approve a campaign',
  ),
  'firmware-campaign-state': problem('conflict', 'The campaign cannot do that in its current state'),
  'firmware-campaign-empty': problem('unprocessable', 'The campaign would update no device'),
  'firmware-artifact-unusable': problem('unprocessable', 'The campaign cannot install that artifact'),
  'firmware-rollback-unavailable': problem('conflict', 'The campaign cannot be rolled back'),

  // The phased rollout (docs/rollout.md).
  ...notFound('rollout-phase', 'No such rollout phase'),
  ...notFound('rollout-concern', 'No such concern'),
  'rollout-phase-transition-invalid': problem('conflict', 'The phase cannot do that in its current status'),
  'rollout-phase-busy': problem('conflict', 'The phase is changing too often; try again'),
  'rollout-same-person': problem('forbidden', 'Someone other than its proposer must approve a phase'),
  'rollout-unfunded': problem(
    'conflict',
    'Approving the phase would commit more than the released funds (a board member may override with a reason)',
  ),

  // The rollout's published report (docs/rollout-report.md).
  'rollout-report-published': problem('conflict', 'The report is already published'),
  'rollout-report-damaged': problem('unavailable', 'The stored report does not match its hash'),
  'rollout-report-pdf-unavailable': problem('unavailable', 'The report could not be printed to PDF'),

  // The audit trail.
  'audit-entry-not-reanchorable': problem(
    'conflict',
    'Only entries broken by the lone-surrogate hashing bug can be re-anchored',
  ),

  // The stores desk's check-out gates (assignments/checkout-gates.ts; CHECKOUT_* configuration).
  'camera-battery-low': problem('conflict', 'Camera battery is below the check-out minimum'),
  'camera-firmware-blocked': problem('conflict', 'Camera runs a blocked firmware version'),
  'camera-firmware-not-approved': problem('conflict', 'Camera firmware is not approved for issue'),
  // Passwords (issue 19): a user's own change, and the change an admin's reset requires.
  'current-password-wrong': problem('unprocessable', 'The current password is wrong'),
  'password-change-required': problem('forbidden', 'Choose a new password first'),
} as const satisfies Record<string, ProblemType>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

/** Every declared slug, in declaration order. */
export const PROBLEM_SLUGS = Object.keys(PROBLEM_TYPES) as ProblemSlug[];

export const isProblemSlug = (s: string): s is ProblemSlug => Object.hasOwn(PROBLEM_TYPES, s);

export const statusOfProblem = (slug: ProblemSlug): number => STATUS_OF_KIND[PROBLEM_TYPES[slug].kind];

/** The problem's `type` member: a relative URI, resolved against the API's origin. */
export const problemTypeUri = (slug: ProblemSlug) => `/problems/${slug}`;
