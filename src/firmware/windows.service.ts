// Maintenance windows per station: IT sets when a station's devices may be updated (weekly spans in
// the station's time zone). Every change is audited. The engine reads them all on each tick (a
// handful of documents), so a change made through any process applies at the next tick.
import type { AuditService } from '../audit/index.js';
import { AppError } from '../errors.js';
import type { ActionContext } from '../shared/index.js';
import type { FirmwareFleet } from './engine.ports.js';
import type { WindowDoc } from './windows.model.js';
import type { WindowsRepository } from './windows.repository.js';
import type { MaintenanceWindow } from './windows.rules.js';
import type { WindowInput } from './windows.schemas.js';

export interface WindowView extends MaintenanceWindow {
  updatedBy: string;
  updatedAt: string;
}

const view = (w: WindowDoc): WindowView => ({
  station: w._id,
  timeZone: w.timeZone,
  windows: w.windows,
  updatedBy: w.updatedBy,
  updatedAt: new Date(w.updatedAt).toISOString(),
});

export class WindowsService {
  constructor(
    private readonly repo: WindowsRepository,
    private readonly fleet: Pick<FirmwareFleet, 'stationExists'>,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<WindowView[]> {
    return (await this.repo.all()).map(view);
  }

  /** Every station's window, by station (what the engine checks at the moment of sending). */
  async byStation(): Promise<Map<string, MaintenanceWindow>> {
    return new Map((await this.repo.all()).map((w) => [w._id, view(w)]));
  }

  /** The station's window as stored now (null: any time). */
  async of(station: string): Promise<MaintenanceWindow | null> {
    const w = await this.repo.byStation(station);
    return w && view(w);
  }

  async put(station: string, input: WindowInput, ctx: ActionContext): Promise<WindowView> {
    if (!(await this.fleet.stationExists(station))) {
      throw new AppError('station-not-found', `No station '${station}'`);
    }
    const before = await this.repo.byStation(station);
    await this.repo.put(station, { ...input, updatedBy: ctx.actor.id });
    const after = await this.repo.byStation(station);
    await this.audit.record(ctx, {
      action: 'firmware.window.set',
      target: { kind: 'station', id: station },
      summary: `Maintenance window of ${station} set: ${input.windows
        .map((s) => `${s.days.join(',')} ${s.start}–${s.end}`)
        .join('; ')} (${input.timeZone})`,
      changes: {
        timeZone: input.timeZone,
        windows: input.windows,
        ...(before && { before: { timeZone: before.timeZone, windows: before.windows } }),
      },
    });
    return view(after!);
  }

  async delete(station: string, ctx: ActionContext): Promise<void> {
    const before = await this.repo.byStation(station);
    if (!before || !(await this.repo.delete(station))) {
      throw new AppError('firmware-window-not-found', `Station '${station}' has no maintenance window`);
    }
    await this.audit.record(ctx, {
      action: 'firmware.window.delete',
      target: { kind: 'station', id: station },
      summary: `Maintenance window of ${station} removed: its devices may be updated at any time`,
      changes: { before: { timeZone: before.timeZone, windows: before.windows } },
    });
  }
}
