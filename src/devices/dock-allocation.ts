// Dock self-allocation: an officer badge-taps at a dock, the platform pool-issues the fullest-charged
// healthy camera sitting in it and tells the dock to release that slot; a pool camera put back in a
// dock of its station is checked in once the camera itself confirms it (dock-claims.ts). The
// check-out and check-in themselves (their invariants, audit entries) belong to the assignments
// capability, and stations to the register, reached through the functions injected here.
import type { ActionContext } from '../shared/index.js';
import type { DeviceRef } from '../bus/index.js';
import { AppError } from '../errors.js';
import type { DockedClaims } from './dock-claims.js';
import type { DeviceRefusals } from './refusals.js';
import type { DeviceStateService } from './state.service.js';

export interface Allocation {
  /** Pool check-out; throws AppError (conflict) when the camera or officer is not available. */
  checkOutPool(camera: string, officer: string, ctx: ActionContext): Promise<unknown>;
  /** The camera's open assignment, or null when it is not issued. */
  openAssignment(camera: string): Promise<{ mode: string; station: string; issuedAt: Date } | null>;
  /** Checks the camera in, condition ok; throws AppError when it is not issued. */
  checkIn(camera: string, ctx: ActionContext): Promise<unknown>;
  /** The camera's home station by the register; null when it is not registered. */
  cameraStation(camera: string): Promise<string | null>;
  /** The dock's station by the register; null when it is not registered. */
  dockStation(dock: string): Promise<string | null>;
}

/** Refusals that are about the camera: try the next one. Anything else is about the officer. */
const CAMERA_REFUSALS = new Set([
  'camera-already-issued',
  'camera-faulty',
  'camera-in-repair',
  'camera-lost',
  'camera-retired',
  'camera-in-transit',
  'camera-status-conflict',
  'camera-not-found',
  // The check-out gates (issue 19): another camera in the dock may pass them.
  'camera-battery-low',
  'camera-firmware-blocked',
  'camera-firmware-not-approved',
]);

export class DockAllocation {
  constructor(
    private readonly state: DeviceStateService,
    private readonly allocation: Allocation,
    private readonly send: (device: DeviceRef, command: Record<string, unknown>) => Promise<string>,
    private readonly claims: DockedClaims,
    private readonly refusals: DeviceRefusals,
  ) {}

  /**
   * Pool-issues the best camera in the dock to the officer; returns the camera, or null if denied
   * (and tells `denied` why: `no-camera-available` when the dock had none to give).
   */
  async onBadgeTap(
    dock: string,
    officer: string,
    denied: (reason: string) => void = () => undefined,
  ): Promise<string | null> {
    const ctx: ActionContext = { actor: { type: 'device', id: `dock:${dock}` } };
    // Fullest charge first, among cameras that are online and not faulted.
    const candidates = this.state
      .camerasInDock(dock)
      .filter((c) => c.online && c.health !== 'fault' && c.docked !== null)
      .sort((a, b) => (b.battery ?? 0) - (a.battery ?? 0));
    for (const c of candidates) {
      try {
        await this.allocation.checkOutPool(c.id, officer, ctx);
      } catch (err) {
        if (err instanceof AppError && CAMERA_REFUSALS.has(err.type)) continue;
        const reason = err instanceof AppError ? err.type : 'error';
        await this.send({ kind: 'dock', id: dock }, { type: 'deny', officer, reason });
        denied(reason);
        if (!(err instanceof AppError)) throw err;
        return null;
      }
      await this.send(
        { kind: 'dock', id: dock },
        { type: 'release_slot', slot: c.docked!.slot, camera: c.id, officer },
      );
      return c.id;
    }
    await this.send({ kind: 'dock', id: dock }, { type: 'deny', officer, reason: 'no-camera-available' });
    denied('no-camera-available');
    return null;
  }

  /**
   * A dock says a camera was put in one of its slots: a pool camera out on an assignment is checked
   * in when the dock is at the camera's station and where it was issued, and the camera itself
   * reports sitting there. A claim that does not agree with that is refused (counted, logged,
   * audited summarised) and changes nothing. True when the camera was checked in.
   */
  async onDocked(dock: string, camera: string, slot: number): Promise<boolean> {
    const open = await this.allocation.openAssignment(camera);
    if (open?.mode !== 'pool') return false; // nothing a dock may do for it
    const [dockStation, cameraStation] = await Promise.all([
      this.allocation.dockStation(dock),
      this.allocation.cameraStation(camera),
    ]);
    if (dockStation === null || dockStation !== cameraStation || dockStation !== open.station) {
      this.refuse(dock, camera, slot, 'wrong-station', {
        dockStation,
        cameraStation,
        issuedAt: open.station,
      });
      return false;
    }
    if (!(await this.claims.corroborated(camera, dock, slot, open.issuedAt))) {
      this.refuse(dock, camera, slot, 'not-corroborated', {});
      return false;
    }
    try {
      await this.allocation.checkIn(camera, { actor: { type: 'device', id: `dock:${dock}` } });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return false; // checked in meanwhile (the dock's repeated event, or at the counter)
    }
    return true;
  }

  private refuse(
    dock: string,
    camera: string,
    slot: number,
    reason: 'wrong-station' | 'not-corroborated',
    detail: Record<string, unknown>,
  ) {
    const why =
      reason === 'wrong-station'
        ? `the dock is at ${String(detail.dockStation)}, the camera belongs to ${String(detail.cameraStation)} and was issued at ${String(detail.issuedAt)}`
        : 'the camera did not report sitting in that slot';
    this.refusals.refuse({
      device: { kind: 'dock', id: dock },
      action: 'dock.claim.refused',
      subject: camera,
      summary: `Dock ${dock} claimed camera ${camera} docked in slot ${slot}; refused: ${why}`,
      changes: { camera, slot, reason, ...detail },
    });
  }
}
