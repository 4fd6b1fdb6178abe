// Dock self-allocation: an officer badge-taps at a dock, the platform pool-issues the fullest-charged
// healthy camera sitting in it and tells the dock to release that slot; a pool camera put back in a
// dock is checked in. The check-out and check-in themselves (their invariants, audit entries) belong
// to the assignments capability, reached through the functions injected here.
import type { ActionContext } from '../audit/index.js';
import type { DeviceRef } from '../bus/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DeviceEvents } from './events.js';
import type { DeviceStateService } from './state.service.js';

export interface Allocation {
  /** Pool check-out; throws AppError (conflict) when the camera or officer is not available. */
  checkOutPool(camera: string, officer: string, ctx: ActionContext): Promise<unknown>;
  /** Checks a camera in if it is on an open pool assignment; false when there was none. */
  checkInPool(camera: string, ctx: ActionContext): Promise<boolean>;
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
]);

export class DockAllocation {
  constructor(
    private readonly events: DeviceEvents,
    private readonly state: DeviceStateService,
    private readonly allocation: Allocation,
    private readonly send: (device: DeviceRef, command: Record<string, unknown>) => Promise<string>,
    private readonly log: Logger,
  ) {}

  start() {
    this.events.on(
      'dock:badge-tap',
      (e) => void this.onBadgeTap(e.dock, e.officer).catch((err: unknown) => this.fail(err)),
    );
    this.events.on(
      'dock:camera-docked',
      (e) => void this.onDocked(e.dock, e.camera).catch((err: unknown) => this.fail(err)),
    );
  }

  /** Pool-issues the best camera in the dock to the officer; returns the camera, or null if denied. */
  async onBadgeTap(dock: string, officer: string): Promise<string | null> {
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
    return null;
  }

  async onDocked(dock: string, camera: string) {
    await this.allocation.checkInPool(camera, { actor: { type: 'device', id: `dock:${dock}` } });
  }

  private fail(err: unknown) {
    this.log.error({ err }, 'dock self-allocation failed');
  }
}
