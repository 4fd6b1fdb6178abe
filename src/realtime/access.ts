// Who sees what on the live feeds. Rooms are the unit of delivery: a socket joins the rooms its
// user may see at connect time, and broadcasts go to rooms, so no per-message permission check
// can be forgotten.
import type { Role } from '../shared/roles.js';

export interface Viewer {
  username: string;
  displayName: string;
  role: Role;
  /** Home station, or null for force-wide users. */
  station: string | null;
}

/** Users without a home station see every station's feed. */
export const FORCE_ROOM = 'force';
export const stationRoom = (code: string) => `station:${code}`;
export const roleRoom = (role: Role) => `role:${role}`;
export const readinessRoom = (station: string) => `readiness:${station}`;

/** Shift readiness names officers and why their camera fails: for those who run the shift. */
const READINESS_ROLES: readonly Role[] = ['inspector', 'admin', 'auditor'];

/** Firmware campaigns are IT's (and admins'); auditors read everything. */
export const FIRMWARE_ROLES: readonly Role[] = ['it', 'admin', 'auditor'];

export const roomsFor = (v: Viewer): string[] => [
  roleRoom(v.role),
  v.station ? stationRoom(v.station) : FORCE_ROOM,
];

export const maySeeStation = (v: Viewer, station: string) => v.station === null || v.station === station;

export const maySeeReadiness = (v: Viewer, station: string) =>
  READINESS_ROLES.includes(v.role) && maySeeStation(v, station);
