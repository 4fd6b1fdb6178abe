// Shapes the API returns, as the dashboard uses them. Live-feed types come from the server's own
// event map so the two cannot drift.
export type {
  DevicePatch,
  DevicesDiff,
  LiveDevice,
  OfficerReadiness,
  Rag,
  ReadinessAlert,
  ReadinessBoard,
  Snapshot,
} from '../../../src/realtime/events.js';
export type { Viewer } from '../../../src/realtime/access.js';

// The server's own list, so a role added there (reviewer was missed) reaches every screen.
import type { Role as ServerRole } from '../../../src/shared/roles.js';
// Issue 17's programme roles, until the server's list has them (helper P's branch adds them to
// src/shared/roles.ts; the integrator then drops this union, which changes nothing else).
export type Role = ServerRole | 'programme-lead' | 'board';

// Request and response shapes come from the server's zod schemas (`*.responses.ts`, which import
// nothing but zod), the same ones the OpenAPI document at /api/v1/openapi.json is generated from.
export type {
  SessionResponse as Session,
  TokenResponse as Token,
  UserResponse as User,
} from '../../../src/auth/auth.responses.js';
export type { CameraResponse as Camera, StockResponse as Stock } from '../../../src/fleet/fleet.responses.js';
export type { StationResponse as Station } from '../../../src/people/people.responses.js';
import type { UserResponse } from '../../../src/auth/auth.responses.js';

/** The logged-in user, as POST /auth/login and GET /me answer. */
export type Me = UserResponse;
