// The public view of a device's live state, as the API and the event stream show it.
import { healthOf, type Health, type HealthThresholds, type RegisterFacts } from './health.js';
import type { DeviceState } from './state.types.js';

export interface DeviceView {
  kind: DeviceState['kind'];
  id: string;
  online: boolean;
  lastSeen: string | null;
  health: Health;
  reasons: string[];
  battery: number | null;
  charging: boolean | null;
  storage: { usedMb: number; totalMb: number } | null;
  firmware: string | null;
  recording: boolean | null;
  docked: { dock: string; slot: number } | null;
  reportedAssignee: string | null;
  faults: DeviceState['faults'];
  slots: NonNullable<DeviceState['dock']>['slots'] | null;
  network: NonNullable<DeviceState['dock']>['network'] | null;
  malformedMessages: number;
}

export function viewOf(
  s: DeviceState,
  t: HealthThresholds,
  register: RegisterFacts | null = null,
  extraFaults: string[] = [],
): DeviceView {
  const c = s.camera;
  const d = s.dock;
  return {
    kind: s.kind,
    id: s.id,
    online: s.online,
    lastSeen: s.lastSeen?.toISOString() ?? null,
    ...healthOf(s, t, register, extraFaults),
    battery: c?.battery ?? null,
    charging: c?.charging ?? null,
    storage: c ? { usedMb: c.storageUsedMb, totalMb: c.storageTotalMb } : null,
    firmware: c?.firmware ?? d?.firmware ?? null,
    recording: c?.recording ?? null,
    docked: c?.dock ? { dock: c.dock.id, slot: c.dock.slot } : null,
    reportedAssignee: c?.assignedTo ?? null,
    faults: s.faults,
    slots: d?.slots ?? null,
    network: d?.network ?? null,
    malformedMessages: s.malformed,
  };
}
