// Check-out and check-in, kept side by side, plus the fault, repair, loss and retirement actions.
//
// Invariants live in unique indexes claimed by inserts (see assignments.model.ts); the camera's
// `status`/`holder` in the register is a copy the list filters use. The steps, and what a crash
// between them leaves behind, which reconcile() (run at start-up) repairs:
//   check-out: 1 claim open assignment → 2 set camera issued → 3 history event and audit entry
//     (written together, each batched with other requests' in one round trip)
//     crash after 1: camera says in_stock but is claimed (nobody else can take it); reconcile
//     marks it issued to the claimant.
//   check-in: 1 insert closed record (claims the return) → 2 delete open assignment → 3 set camera
//     in_stock/faulty → 4 fault record, history event and audit entry (together)
//     crash after 1: open and closed both exist; reconcile deletes the open one and applies the
//     return's condition. Crash after 2: camera still says issued with no open assignment;
//     reconcile applies the last closed record's condition.
import { randomUUID } from 'node:crypto';
import type { ActionContext, AuditService } from '../audit/index.js';
import { assertInStationScope } from '../auth/index.js';
import { AppError } from '../errors.js';
import type { Camera, CameraStatus, FleetService } from '../fleet/index.js';
import type { Page } from '../http/paging.js';
import type { PeopleService } from '../people/index.js';
import type {
  CameraEventDoc,
  ClosedAssignmentDoc,
  EventType,
  FaultDoc,
  OpenAssignmentDoc,
} from './assignments.model.js';
import type { AssignmentsRepository } from './assignments.repository.js';
import type { CheckinInput, CheckoutInput } from './assignments.schemas.js';
import { assertAvailable, cameraAlreadyIssued, officerAlreadyHoldsCamera } from './availability.js';
import { AssignmentEvents, type CameraLifecycleChange } from './events.js';

export type Assignment = OpenAssignmentDoc;
export interface CheckinResult {
  assignment: ClosedAssignmentDoc;
  camera: Camera;
  fault: FaultDoc | null;
}

const notIssued = (serial: string) =>
  new AppError(
    'conflict',
    'camera-not-issued',
    'Camera is not issued',
    `Camera '${serial}' is not checked out`,
  );

const wrongStatus = (serial: string, status: CameraStatus, action: string) =>
  new AppError(
    'conflict',
    'camera-status-conflict',
    `Camera cannot be ${action} from its current status`,
    `Camera '${serial}' is ${status.replace('_', ' ')}`,
  );

const statusAfterReturn = (condition: ClosedAssignmentDoc['condition']): CameraStatus =>
  condition === 'ok' ? 'in_stock' : condition === 'lost' ? 'lost' : 'faulty';

export class AssignmentsService {
  /** Every status/holder change this service writes, once written (the live dashboard listens). */
  readonly events = new AssignmentEvents();

  constructor(
    private readonly repo: AssignmentsRepository,
    private readonly fleet: FleetService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
  ) {}

  /** Issues `camera` to `officer`. Throws 404 for unknown ones and 409 (precise type) when refused. */
  async checkOut(input: CheckoutInput, ctx: ActionContext): Promise<Assignment> {
    const [camera, officer] = await Promise.all([
      this.fleet.camera(input.camera),
      this.people.officer(input.officer),
    ]);
    assertInStationScope(ctx, camera.station, officer.station);
    if (!officer.active) {
      throw new AppError(
        'conflict',
        'officer-inactive',
        'Officer is not active',
        `Officer '${officer.number}' is inactive`,
      );
    }
    assertAvailable(camera, officer.station);
    const assignment: OpenAssignmentDoc = {
      id: randomUUID(),
      camera: camera.serial,
      officer: officer.number,
      mode: input.mode,
      station: camera.station,
      issuedAt: new Date(),
      issuedBy: ctx.actor.id,
    };
    const claim = await this.repo.claim(assignment);
    if (claim === 'camera-taken') throw cameraAlreadyIssued(camera.serial);
    if (claim === 'officer-taken') {
      throw officerAlreadyHoldsCamera(
        officer.number,
        (await this.repo.openByOfficer(officer.number))?.camera,
      );
    }
    // A fault, loss or transfer may have landed between our read and the claim: then the register
    // refuses, and we give the claim back.
    if (!(await this.fleet.markIssued(camera.serial, officer.number))) {
      await this.repo.release(assignment);
      assertAvailable(await this.fleet.camera(camera.serial), officer.station);
      throw cameraAlreadyIssued(camera.serial);
    }
    this.changed('check-out', { ...camera, status: 'issued', holder: officer.number }, officer.number);
    await Promise.all([
      this.event('check-out', camera.serial, officer.number, ctx, {
        mode: input.mode,
        assignment: assignment.id,
      }),
      this.audit.record(ctx, {
        action: 'camera.check-out',
        target: { kind: 'camera', id: camera.serial },
        summary: `Camera ${camera.serial} issued to officer ${officer.number} (${input.mode})`,
        changes: { status: { from: 'in_stock', to: 'issued' }, holder: officer.number, mode: input.mode },
      }),
    ]);
    this.fleet.stockChanged(camera.station, ctx);
    return assignment;
  }

  /** Takes `camera` back. Damaged or faulty moves it to `faulty` with a fault record. */
  async checkIn(input: CheckinInput, ctx: ActionContext): Promise<CheckinResult> {
    const open = await this.repo.openByCamera(input.camera);
    if (!open) {
      await this.fleet.camera(input.camera); // an unknown camera is a 404, not a 409
      throw notIssued(input.camera);
    }
    // The camera's station when issued: an issued camera cannot be transferred or moved.
    assertInStationScope(ctx, open.station);
    const { closed, camera } = await this.closeAssignment(open, input.condition, input.notes ?? '', ctx);
    this.changed('check-in', camera, open.officer);
    const status = statusAfterReturn(input.condition);
    const [fault] = await Promise.all([
      input.condition === 'ok'
        ? null
        : this.openFault(input.camera, input.condition, input.notes ?? '', 'check-in', ctx),
      this.event('check-in', input.camera, open.officer, ctx, {
        condition: input.condition,
        assignment: open.id,
        ...(input.notes && { notes: input.notes }),
      }),
      this.audit.record(ctx, {
        action: 'camera.check-in',
        target: { kind: 'camera', id: input.camera },
        summary: `Camera ${input.camera} returned by officer ${open.officer} (${input.condition})`,
        changes: {
          status: { from: 'issued', to: status },
          holder: { from: open.officer, to: null },
          condition: input.condition,
        },
      }),
    ]);
    this.fleet.stockChanged(camera.station, ctx);
    return { assignment: closed, camera, fault };
  }

  /** Claims the return of `open` (one winner), ends it and sets the camera's status. */
  private async closeAssignment(
    open: OpenAssignmentDoc,
    condition: ClosedAssignmentDoc['condition'],
    notes: string,
    ctx: ActionContext,
  ): Promise<{ closed: ClosedAssignmentDoc; camera: Camera }> {
    const closed: ClosedAssignmentDoc = {
      ...open,
      returnedAt: new Date(),
      returnedBy: ctx.actor.id,
      condition,
      notes,
    };
    if (!(await this.repo.close(closed))) throw notIssued(open.camera);
    await this.repo.release(open);
    const camera = await this.fleet.setLifecycle(open.camera, statusAfterReturn(condition), null);
    return { closed, camera };
  }

  /** Stores report a fault on a camera in stock (found on the shelf, or at a dock). */
  async reportFault(
    serial: string,
    input: { condition: 'damaged' | 'faulty'; notes: string },
    ctx: ActionContext,
  ) {
    const camera = await this.fleet.camera(serial);
    assertInStationScope(ctx, camera.station);
    if (camera.status !== 'in_stock') throw wrongStatus(serial, camera.status, 'reported faulty');
    if (await this.repo.openByCamera(serial)) throw cameraAlreadyIssued(serial);
    this.changed('fault-reported', await this.fleet.setLifecycle(serial, 'faulty', null), null);
    const fault = await this.openFault(serial, input.condition, input.notes, 'report', ctx);
    this.fleet.stockChanged(camera.station, ctx);
    await this.event('fault-reported', serial, null, ctx, {
      fault: fault.id,
      condition: input.condition,
      notes: input.notes,
    });
    return { camera: await this.fleet.camera(serial), fault };
  }

  /** faulty → in_repair: the camera goes to the repairer. */
  async startRepair(serial: string, notes: string | undefined, ctx: ActionContext) {
    return this.repairStep(serial, 'faulty', 'in_repair', 'repair-started', notes, ctx);
  }

  /** in_repair → in_stock: back from repair, the fault is closed. */
  async completeRepair(serial: string, notes: string | undefined, ctx: ActionContext) {
    return this.repairStep(serial, 'in_repair', 'in_stock', 'repair-completed', notes, ctx);
  }

  private async repairStep(
    serial: string,
    from: CameraStatus,
    to: CameraStatus,
    type: 'repair-started' | 'repair-completed',
    notes: string | undefined,
    ctx: ActionContext,
  ) {
    const camera = await this.fleet.camera(serial);
    assertInStationScope(ctx, camera.station);
    if (camera.status !== from)
      throw wrongStatus(
        serial,
        camera.status,
        type === 'repair-started' ? 'sent to repair' : 'returned from repair',
      );
    const fault = await this.repo.currentFault(serial);
    this.changed(type, await this.fleet.setLifecycle(serial, to, null), null);
    if (fault)
      await this.repo.setFaultState(
        fault.id,
        to === 'in_stock' ? 'closed' : 'in_repair',
        to === 'in_stock' ? new Date() : null,
      );
    await this.event(type, serial, null, ctx, { ...(fault && { fault: fault.id }), ...(notes && { notes }) });
    await this.audit.record(ctx, {
      action: `camera.${type}`,
      target: { kind: 'camera', id: serial },
      summary: `Camera ${serial} ${type === 'repair-started' ? 'sent to repair' : 'back from repair'}`,
      changes: { status: { from, to }, ...(notes && { notes }) },
    });
    this.fleet.stockChanged(camera.station, ctx);
    return this.fleet.camera(serial);
  }

  /** Lost or stolen: its own action with a reason. An issued camera's assignment ends with it. */
  async reportLost(
    serial: string,
    input: { reason: 'lost' | 'stolen'; details: string },
    ctx: ActionContext,
  ) {
    const camera = await this.fleet.camera(serial);
    assertInStationScope(ctx, camera.station);
    if (camera.status === 'lost' || camera.status === 'retired')
      throw wrongStatus(serial, camera.status, 'reported lost');
    const open = await this.repo.openByCamera(serial);
    const lost = open
      ? (await this.closeAssignment(open, 'lost', `${input.reason}: ${input.details}`, ctx)).camera
      : await this.fleet.setLifecycle(serial, 'lost', null);
    this.changed('lost', lost, open?.officer ?? null);
    await this.event('lost', serial, open?.officer ?? null, ctx, {
      reason: input.reason,
      details: input.details,
    });
    await this.audit.record(ctx, {
      action: 'camera.lost',
      target: { kind: 'camera', id: serial },
      summary: `Camera ${serial} reported ${input.reason}${open ? ` while held by officer ${open.officer}` : ''}`,
      changes: {
        status: { from: open ? 'issued' : camera.status, to: 'lost' },
        reason: input.reason,
        details: input.details,
      },
    });
    this.fleet.stockChanged(camera.station, ctx);
    return this.fleet.camera(serial);
  }

  /** Takes a camera out of service for good (in stock, faulty or lost; never while issued). */
  async retire(serial: string, reason: string, ctx: ActionContext) {
    const camera = await this.fleet.camera(serial);
    assertInStationScope(ctx, camera.station);
    if (!['in_stock', 'faulty', 'lost'].includes(camera.status))
      throw wrongStatus(serial, camera.status, 'retired');
    if (await this.repo.openByCamera(serial)) throw cameraAlreadyIssued(serial);
    this.changed('retired', await this.fleet.setLifecycle(serial, 'retired', null), null);
    await this.event('retired', serial, null, ctx, { reason });
    await this.audit.record(ctx, {
      action: 'camera.retired',
      target: { kind: 'camera', id: serial },
      summary: `Camera ${serial} retired`,
      changes: { status: { from: camera.status, to: 'retired' }, reason },
    });
    this.fleet.stockChanged(camera.station, ctx);
    return this.fleet.camera(serial);
  }

  /** The open assignment of a camera, or null. */
  openAssignment(camera: string): Promise<Assignment | null> {
    return this.repo.openByCamera(camera);
  }

  /** Who held the camera at that moment (an open or a closed assignment covering it), or null. */
  async holderAt(camera: string, at: Date): Promise<string | null> {
    const open = await this.repo.openByCamera(camera);
    if (open && open.issuedAt <= at) return open.officer;
    return (await this.repo.closedCovering(camera, at))?.officer ?? null;
  }

  /** The camera an officer holds, or null. */
  heldBy(officer: string): Promise<Assignment | null> {
    return this.repo.openByOfficer(officer);
  }

  async cameraHistory(serial: string, limit: number, offset: number): Promise<Page<CameraEventDoc>> {
    await this.fleet.camera(serial);
    return { ...(await this.repo.history({ camera: serial }, limit, offset)), limit, offset };
  }

  async officerHistory(number: string, limit: number, offset: number): Promise<Page<CameraEventDoc>> {
    await this.people.officer(number);
    return { ...(await this.repo.history({ officer: number }, limit, offset)), limit, offset };
  }

  faults(serial: string) {
    return this.repo.faultsOf(serial);
  }

  /**
   * Repairs what a crash between the steps of a check-out or check-in left behind (see the header).
   * Idempotent; run at start-up before the API serves. Returns how many cameras it corrected.
   */
  async reconcile(ctx: ActionContext): Promise<number> {
    let fixed = 0;
    for (const open of await this.repo.allOpen()) {
      const closed = await this.repo.closedById(open.id);
      if (closed) {
        // Another API process may be serving: remove this assignment, never a newer claim.
        await this.repo.releaseExactly(open);
        await this.fleet.setLifecycle(open.camera, statusAfterReturn(closed.condition), null);
        fixed++;
        continue;
      }
      const camera = await this.fleet.camera(open.camera).catch(() => null);
      if (camera && (camera.status !== 'issued' || camera.holder !== open.officer)) {
        await this.fleet.setLifecycle(open.camera, 'issued', open.officer);
        fixed++;
      }
    }
    for (const camera of await this.fleet.withStatus('issued')) {
      if (await this.repo.openByCamera(camera.serial)) continue;
      const last = await this.repo.lastClosed(camera.serial);
      await this.fleet.setLifecycle(
        camera.serial,
        last ? statusAfterReturn(last.condition) : 'in_stock',
        null,
      );
      fixed++;
    }
    if (fixed > 0) {
      await this.audit.record(ctx, {
        action: 'assignments.reconcile',
        target: { kind: 'system', id: 'assignments' },
        summary: `Reconciled ${fixed} camera status(es) after an interrupted check-out or check-in`,
      });
    }
    return fixed;
  }

  private async openFault(
    camera: string,
    condition: 'damaged' | 'faulty',
    notes: string,
    source: FaultDoc['source'],
    ctx: ActionContext,
  ): Promise<FaultDoc> {
    const fault: FaultDoc = {
      id: randomUUID(),
      camera,
      state: 'open',
      source,
      condition,
      notes,
      openedAt: new Date(),
      openedBy: ctx.actor.id,
      closedAt: null,
    };
    await this.repo.openFault(fault);
    await this.audit.record(ctx, {
      action: 'camera.fault',
      target: { kind: 'camera', id: camera },
      summary: `Fault opened on camera ${camera} (${condition}, ${source})`,
      changes: {
        fault: fault.id,
        condition,
        notes,
        ...(source === 'report' && { status: { from: 'in_stock', to: 'faulty' } }),
      },
    });
    return fault;
  }

  private changed(type: CameraLifecycleChange['type'], camera: Camera, officer: string | null) {
    this.events.emit('camera:lifecycle', {
      type,
      camera: camera.serial,
      station: camera.station,
      status: camera.status,
      holder: camera.holder,
      officer,
    });
  }

  private event(
    type: EventType,
    camera: string,
    officer: string | null,
    ctx: ActionContext,
    details: Record<string, unknown>,
  ) {
    return this.repo.addEvent({ camera, officer, type, at: new Date(), actor: ctx.actor.id, details });
  }
}
