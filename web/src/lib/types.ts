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
import type { Role } from '../../../src/shared/roles.js';
export type { Role };

export interface Me {
  username: string;
  displayName: string;
  role: Role;
  station: string | null;
  active: boolean;
}

export interface Camera {
  serial: string;
  model: string;
  assetTag: string;
  station: string;
  status: string;
  holder: string | null;
}

export interface Station {
  code: string;
  name: string;
}
