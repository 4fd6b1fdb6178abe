// The asset register: cameras and docks, their corrections, and stock by station.
// Lifecycle changes (issue, return, fault, repair, loss) are made by the assignments capability
// through setLifecycle(); this service never decides them itself.
import { type ActionContext, assertInStationScope } from '../shared/index.js';
import { changedFields, type AuditService } from '../audit/index.js';
import { AppError, notFound } from '../errors.js';
import type { Page } from '../shared/paging.js';
import type { PeopleService } from '../people/index.js';
import type { CameraDoc, DockDoc } from './fleet.model.js';
import { CAMERA_STATUSES, type CameraStatus } from './lifecycle.js';
import { CameraImport, camerasToCsv } from './camera-import.js';
import type { DomainEventBus } from '../events/index.js';
import {
  shownFields,
  type CameraLoss,
  type FleetRepository,
  type RegisterFields,
} from './fleet.repository.js';
import { dockLabelSheetSvg, labelSheetSvg, labelSvg } from './labels.js';
import type { StockService } from './stock.service.js';
import type {
  CameraChanges,
  CameraFilter,
  CameraInput,
  DockChanges,
  DockFilter,
  DockInput,
} from './fleet.schemas.js';

/** A camera as the API shows it. */
export type Camera = Omit<CameraDoc, 'importId'>;

export const toCamera = ({ importId: _i, ...c }: CameraDoc): Camera => c;

/** A camera changes station only through a transfer, which both stations book (finding 11). */
const useTransfer = (serial: string) =>
  new AppError(
    'use-transfer',
    `To move camera '${serial}' to another station, create a transfer (POST /transfers) from its station`,
  );

const assetTagTaken = (tag: string) => new AppError('asset-tag-exists', `Asset tag '${tag}' is in use`);

export class FleetService {
  private readonly manifests: CameraImport;
  constructor(
    private readonly repo: FleetRepository,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    private readonly stockLevels: StockService,
    private readonly events: DomainEventBus,
  ) {
    this.manifests = new CameraImport(repo, people, audit);
  }

  /**
   * Announces a write to the register (after it is made), with what the write left of the shown
   * fields. Also for writes another service of this capability makes (transfers).
   */
  registerChanged(kind: 'camera' | 'dock', id: string | null, fields: RegisterFields | null) {
    this.events.publish('register.changed', { kind, id, fields });
  }

  /** Delivery-manifest CSV: row-by-row report on a dry run; otherwise all rows or none. */
  async importCameras(csv: string, dryRun: boolean, ctx: ActionContext) {
    let report;
    try {
      report = await this.manifests.run(csv, dryRun, ctx);
    } finally {
      // Written, or written and taken back after a failure: either way views read the register again.
      if (!dryRun) this.registerChanged('camera', null, null);
    }
    if (report.importId) {
      for (const station of await this.repo.importedStations(report.importId)) {
        this.stockChanged(String(station), ctx);
      }
    }
    return report;
  }

  /** The station's stock changed: its low-stock alert is re-evaluated in the background. */
  stockChanged(station: string, ctx: ActionContext): void {
    this.stockLevels.changed(station, ctx);
  }

  /** Resolves once background stock re-evaluations are done (before shutdown). */
  stockSettled(): Promise<void> {
    return this.stockLevels.settled();
  }

  /** A printable label for the camera: QR code of its serial, asset tag under it (SVG). */
  async label(serial: string): Promise<string> {
    return labelSvg(await this.camera(serial));
  }

  /** A sheet of labels for every camera at a station, in serial order (SVG). */
  async labelSheet(station: string): Promise<string> {
    await this.people.station(station);
    return labelSheetSvg(await this.allCameras({ station }), `Camera labels: ${station}`);
  }

  /**
   * A sheet of labels for the cameras chosen, in the order given (e.g. a delivery just imported).
   * Each camera is an `_id` lookup; an unknown serial refuses the whole sheet (404).
   */
  async labelSheetOf(serials: readonly string[]): Promise<string> {
    const cameras = await Promise.all(serials.map((s) => this.camera(s)));
    return labelSheetSvg(cameras, `Camera labels: ${cameras.length} camera(s)`);
  }

  /** The register (optionally filtered) as CSV. */
  async exportCameras(filter: CameraFilter): Promise<string> {
    return camerasToCsv(await this.allCameras(filter));
  }

  async camera(serial: string): Promise<Camera> {
    const c = await this.repo.camera(serial);
    if (!c) throw notFound('camera', serial);
    return toCamera(c);
  }

  /** The camera for display, possibly up to READ_CACHE_SECONDS old if another process changed it. */
  async cameraView(serial: string): Promise<Camera> {
    const c = await this.repo.cameraView(serial);
    if (!c) throw notFound('camera', serial);
    return toCamera(c);
  }

  cameraExists(serial: string): Promise<boolean> {
    return this.repo.cameraExists(serial);
  }

  async listCameras(filter: CameraFilter, limit: number, offset: number): Promise<Page<Camera>> {
    const { items, total } = await this.repo.listCameras(filter, limit, offset);
    return { items: items.map(toCamera), total, limit, offset };
  }

  async allCameras(filter: CameraFilter): Promise<Camera[]> {
    return (await this.repo.allCameras(filter)).map(toCamera);
  }

  async createCamera(input: CameraInput, ctx: ActionContext): Promise<Camera> {
    assertInStationScope(ctx, input.station);
    await this.people.assertStation(input.station);
    const created = await this.repo.insertCamera(input);
    if (!created) {
      if (await this.repo.cameraExists(input.serial))
        throw new AppError('camera-exists', `Camera '${input.serial}' exists`);
      throw assetTagTaken(input.assetTag);
    }
    this.registerChanged('camera', input.serial, shownFields(created));
    await this.audit.record(ctx, {
      action: 'camera.create',
      target: { kind: 'camera', id: input.serial },
      summary: `Camera ${input.serial} (${input.assetTag}) registered at ${input.station}`,
      changes: { model: input.model, assetTag: input.assetTag, station: input.station },
    });
    this.stockChanged(input.station, ctx);
    return toCamera(created);
  }

  async updateCamera(serial: string, patch: CameraChanges, ctx: ActionContext): Promise<Camera> {
    const before = await this.camera(serial);
    assertInStationScope(ctx, before.station);
    if (patch.station !== undefined) throw useTransfer(serial);
    let updated;
    try {
      updated = await this.repo.updateCamera(serial, patch);
    } catch (err) {
      if ((err as { code?: unknown }).code === 11000 && patch.assetTag) throw assetTagTaken(patch.assetTag);
      throw err;
    }
    this.registerChanged('camera', serial, shownFields(updated));
    await this.audit.record(ctx, {
      action: 'camera.update',
      target: { kind: 'camera', id: serial },
      summary: `Camera ${serial} corrected`,
      changes: changedFields(before, patch),
    });
    return updated ? toCamera(updated) : before;
  }

  /** Records a lifecycle change decided by the assignments capability (it writes the audit entry). */
  /** Sets the status and holder the register shows; returns the camera as it now is. */
  /** `loss`: why a camera going `lost` went (kept on it while it is lost; cleared otherwise). */
  async setLifecycle(
    serial: string,
    status: CameraStatus,
    holder: string | null,
    loss: CameraLoss | null = null,
  ): Promise<Camera> {
    const c = await this.repo.setLifecycle(serial, status, holder, loss);
    if (!c) throw notFound('camera', serial);
    this.registerChanged('camera', serial, shownFields(c));
    return toCamera(c);
  }

  /**
   * Marks an in-stock camera, not travelling, as issued to `holder`; false if it was not in that
   * state (a fault, loss or transfer landed since it was read). The open-assignment claim is what
   * makes a check-out exclusive; this keeps the register's copy in step with it.
   */
  async markIssued(serial: string, holder: string): Promise<boolean> {
    const issued = await this.repo.markIssued(serial, holder);
    if (issued) this.registerChanged('camera', serial, { status: 'issued', holder });
    return issued;
  }

  /** Whether the register knows the device (credentials are issued only for registered ones). */
  async registered(kind: 'camera' | 'dock', id: string): Promise<boolean> {
    return kind === 'camera' ? this.repo.cameraExists(id) : (await this.repo.dock(id)) !== null;
  }

  /** Marks the camera as travelling in `transfer` (null: arrived, at `station` if given). */
  async setTransfer(serial: string, transfer: string | null, station?: string): Promise<void> {
    await this.repo.setTransfer(serial, transfer, station);
    this.registerChanged('camera', serial, { transfer, ...(station && { station }) });
  }

  /** Cameras the register says have this status (used to reconcile after a crash). */
  async withStatus(status: CameraStatus): Promise<Camera[]> {
    return (await this.repo.withStatus(status)).map(toCamera);
  }

  /** Count of a station's cameras in each lifecycle status (every status present, zero if none). */
  async stock(station: string) {
    await this.people.station(station);
    const byStatus = Object.fromEntries(CAMERA_STATUSES.map((s) => [s, 0])) as Record<CameraStatus, number>;
    const [rows, inTransit, { minimum, alert }] = await Promise.all([
      this.repo.stockByStatus(station),
      this.repo.inTransitFrom(station),
      this.stockLevels.level(station),
    ]);
    for (const row of rows) byStatus[row._id] = row.count;
    const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
    return { station, byStatus, total, inTransit, minimum, alert };
  }

  setMinimumStock(station: string, minimum: number, ctx: ActionContext) {
    assertInStationScope(ctx, station);
    return this.stockLevels.setMinimum(station, minimum, ctx);
  }

  stockAlerts() {
    return this.stockLevels.alerts();
  }

  async dock(id: string): Promise<DockDoc> {
    return (await this.repo.dock(id)) ?? Promise.reject(notFound('dock', id));
  }

  async listDocks(filter: DockFilter, limit: number, offset: number): Promise<Page<DockDoc>> {
    return { ...(await this.repo.listDocks(filter, limit, offset)), limit, offset };
  }

  /**
   * A sheet of dock labels (SVG): the docks named, in the order given (each an `_id` lookup; an
   * unknown id refuses the sheet), else a station's docks or every dock, in id order.
   */
  async dockLabelSheet(which: { ids?: readonly string[] | undefined; station?: string | undefined }) {
    if (which.ids) {
      const docks = await Promise.all(which.ids.map((id) => this.dock(id)));
      return dockLabelSheetSvg(docks, `Dock labels: ${docks.length} dock(s)`);
    }
    if (which.station) await this.people.station(which.station);
    const docks = await this.repo.allDocks(which.station ? { station: which.station } : {});
    return dockLabelSheetSvg(docks, `Dock labels: ${which.station ?? 'every station'}`);
  }

  async createDock(input: DockInput, ctx: ActionContext): Promise<DockDoc> {
    assertInStationScope(ctx, input.station);
    await this.people.assertStation(input.station);
    const created = await this.repo.insertDock(input);
    if (!created) throw new AppError('dock-exists', `Dock '${input.id}' exists`);
    this.registerChanged('dock', input.id, shownFields(created));
    await this.audit.record(ctx, {
      action: 'dock.create',
      target: { kind: 'dock', id: input.id },
      summary: `Dock ${input.id} (${input.slots} slots) registered at ${input.station}`,
      changes: { station: input.station, slots: input.slots, model: input.model },
    });
    return created;
  }

  async updateDock(id: string, patch: DockChanges, ctx: ActionContext): Promise<DockDoc> {
    const before = await this.dock(id);
    assertInStationScope(ctx, before.station, ...(patch.station ? [patch.station] : []));
    if (patch.station) await this.people.assertStation(patch.station);
    const written = await this.repo.updateDock(id, patch);
    this.registerChanged('dock', id, shownFields(written));
    const updated = written ?? before;
    await this.audit.record(ctx, {
      action: 'dock.update',
      target: { kind: 'dock', id },
      summary: `Dock ${id} corrected`,
      changes: changedFields(before, patch),
    });
    return updated;
  }
}
