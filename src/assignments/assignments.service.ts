// Check-out and check-in, kept side by side, plus the fault, repair, loss and retirement actions.
//
// Invariants live in unique indexes claimed by inserts (see assignments.model.ts); the camera's
// `status`/`holder` in the register is a copy the list filters use. A custody change is several
// writes and the process (or the database) may die after any of them, so each one is keyed by the
// assignment: its history event's _id and its audit entry's key are `<type>:<assignment>`, its
// fault's id `check-in:<assignment>`. Writing one again is refused, so recovery can redo them all.
//   check-out: 1 claim open assignment → 2 set camera issued → 3 audit entry → 4 history event
//     The event comes last: once it is there the check-out is complete.
//   check-in (and loss while issued): 1 insert closed record (claims the return) → 2 set camera
//     status → 3 fault record and its audit entry → 4 audit entry and history event → 5 delete the
//     open assignment. The open assignment goes last: while it is there with a closed record, the
//     return is unfinished.
// reconcile() (at start-up, and swept periodically for other processes' crashes) finishes what it
// finds unfinished with the original actor's context, or undoes a check-out whose camera could no
// longer be issued. A retried request with the same Idempotency-Key finds its own earlier attempt
// by the assignment id derived from the key and finishes it instead of refusing.
import { createHash, randomUUID } from 'node:crypto';
import { systemContext, type ActionContext, type AuditService } from '../audit/index.js';
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

/** A stable assignment id for a request key, so a retry of the request recognises its own claim. */
const assignmentIdFor = (requestKey: string) => {
  const h = createHash('sha256').update(requestKey).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** Open assignments younger than this may still be mid-write in a live request of another process. */
const SETTLE_MS = 30_000;

const statusAfterReturn = (condition: ClosedAssignmentDoc['condition']): CameraStatus =>
  condition === 'ok' ? 'in_stock' : condition === 'lost' ? 'lost' : 'faulty';

export class AssignmentsService {
  /** Every status/holder change this service writes, once written (the live dashboard listens). */
  readonly events = new AssignmentEvents();
  /** Open assignments whose check-out this process knows to be complete (recovery skips them). */
  private readonly settled = new Set<string>();

  constructor(
    private readonly repo: AssignmentsRepository,
    private readonly fleet: FleetService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Issues `camera` to `officer`. Throws 404 for unknown ones and 409 (precise type) when refused.
   * `requestKey` (the Idempotency-Key's scope and value) makes a retry after a crash finish and
   * return the same assignment.
   */
  async checkOut(input: CheckoutInput, ctx: ActionContext, requestKey?: string): Promise<Assignment> {
    const [camera, officer] = await Promise.all([
      this.fleet.camera(input.camera),
      this.people.officer(input.officer),
    ]);
    const id = requestKey ? assignmentIdFor(requestKey) : randomUUID();
    if (requestKey && camera.status === 'issued') {
      const earlier = await this.ownEarlierCheckOut(camera.serial, id);
      if (earlier) return earlier;
    }
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
      id,
      camera: camera.serial,
      officer: officer.number,
      mode: input.mode,
      station: camera.station,
      issuedAt: new Date(),
      issuedBy: ctx.actor.id,
      context: contextOf(ctx),
    };
    const claim = await this.repo.claim(assignment);
    if (claim === 'camera-taken') {
      const earlier = requestKey ? await this.ownEarlierCheckOut(camera.serial, id) : null;
      if (earlier) return earlier;
      throw cameraAlreadyIssued(camera.serial);
    }
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
    await this.recordCheckOut(assignment, ctx);
    this.settled.add(assignment.id);
    this.fleet.stockChanged(camera.station, ctx);
    const { context: _context, ...shown } = assignment;
    return shown;
  }

  /** A retried request's own check-out (same derived id), finished if it was interrupted. */
  private async ownEarlierCheckOut(serial: string, id: string): Promise<Assignment | null> {
    const open = await this.repo.openByCamera(serial);
    if (open?.id !== id) return null;
    await this.finishCheckOut(open);
    if ((await this.repo.openByCamera(serial))?.id !== id) return null; // undone: the camera went
    const { context: _context, ...assignment } = open;
    return assignment;
  }

  /** Steps 3 and 4 of a check-out, each written at most once. */
  private async recordCheckOut(a: OpenAssignmentDoc, ctx: ActionContext) {
    await this.audit.recordOnce(ctx, {
      key: `check-out:${a.id}`,
      action: 'camera.check-out',
      target: { kind: 'camera', id: a.camera },
      summary: `Camera ${a.camera} issued to officer ${a.officer} (${a.mode})`,
      changes: { status: { from: 'in_stock', to: 'issued' }, holder: a.officer, mode: a.mode },
    });
    await this.event('check-out', a.camera, a.officer, ctx, { mode: a.mode, assignment: a.id }, a.id);
  }

  /**
   * Completes a check-out from whatever step it stopped at, or undoes it when the camera can no
   * longer be issued (a fault, loss or transfer got there first). True if it changed anything.
   */
  private async finishCheckOut(open: OpenAssignmentDoc): Promise<boolean> {
    const ctx = open.context ?? { actor: { type: 'user' as const, id: open.issuedBy } };
    // The camera before the closed record: a check-in writes its closed record before the status,
    // so a status it changed is always explained by a closed record read after.
    const camera = await this.fleet.camera(open.camera).catch(() => null);
    if (!camera) return false;
    const issued = camera.status === 'issued' && camera.holder === open.officer;
    // Made before check-outs kept their context (and keyed their entries): if the camera shows it
    // issued, the old code may well have written its entries; writing them again could duplicate.
    if (!open.context && issued) return false;
    const complete = await this.repo.hasEvent(`check-out:${open.id}`);
    let changed = false;
    if (!issued) {
      if (await this.repo.closedById(open.id)) return false; // a check-in is under way
      if (complete) {
        await this.fleet.setLifecycle(open.camera, 'issued', open.officer);
      } else if (!(await this.fleet.markIssued(open.camera, open.officer))) {
        await this.repo.releaseExactly(open);
        return true;
      }
      this.changed('check-out', { ...camera, status: 'issued', holder: open.officer }, open.officer);
      this.fleet.stockChanged(camera.station, ctx);
      changed = true;
    }
    if (complete) return changed;
    await this.recordCheckOut(open, ctx);
    return true;
  }

  /**
   * Takes `camera` back. Damaged or faulty moves it to `faulty` with a fault record. `requestKey`
   * as for checkOut: a retry after a crash finishes and returns the same return.
   */
  async checkIn(input: CheckinInput, ctx: ActionContext, requestKey?: string): Promise<CheckinResult> {
    const open = await this.repo.openByCamera(input.camera);
    // Not issued, or its return already claimed: perhaps by this very request's earlier attempt.
    const earlier = () => (requestKey ? this.ownEarlierReturn(input.camera, open, requestKey) : null);
    if (!open) {
      const mine = await earlier();
      if (mine) return mine;
      await this.fleet.camera(input.camera); // an unknown camera is a 404, not a 409
      throw notIssued(input.camera);
    }
    const closed = await this.closeAssignment(open, input.condition, input.notes ?? '', ctx, requestKey);
    if (closed) return this.finishReturn(closed, open);
    const mine = await earlier();
    if (mine) return mine;
    throw notIssued(input.camera);
  }

  /** A retried request's own check-in (its key on the closed record), finished if interrupted. */
  private async ownEarlierReturn(
    serial: string,
    open: OpenAssignmentDoc | null,
    requestKey: string,
  ): Promise<CheckinResult | null> {
    const closed = open ? await this.repo.closedById(open.id) : await this.repo.lastClosed(serial);
    if (!closed || closed.returnKey !== assignmentIdFor(requestKey)) return null;
    if (open) return this.finishReturn(closed, open);
    const fault = closed.condition === 'damaged' || closed.condition === 'faulty';
    return {
      assignment: publicClosed(closed),
      camera: await this.fleet.camera(serial),
      fault: fault ? await this.repo.faultById(`check-in:${closed.id}`) : null,
    };
  }

  /** Claims the return of `open` (one winner): step 1 of a check-in or of a loss while issued. */
  private async closeAssignment(
    open: OpenAssignmentDoc,
    condition: ClosedAssignmentDoc['condition'],
    notes: string,
    ctx: ActionContext,
    requestKey?: string,
  ): Promise<ClosedAssignmentDoc | null> {
    const closed: ClosedAssignmentDoc = {
      ...open,
      returnedAt: new Date(),
      returnedBy: ctx.actor.id,
      condition,
      notes,
      returnContext: contextOf(ctx),
      ...(requestKey !== undefined && { returnKey: assignmentIdFor(requestKey) }),
    };
    return (await this.repo.close(closed)) ? closed : null; // null: someone else claimed it first
  }

  /**
   * Steps 2 to 5 of a return, each written at most once: camera status, fault, audit entry and
   * history event, then the open assignment goes. Run by the request and by recovery alike.
   */
  private async finishReturn(
    closed: ClosedAssignmentDoc,
    open: OpenAssignmentDoc | null,
  ): Promise<CheckinResult> {
    const ctx = closed.returnContext ?? { actor: { type: 'user' as const, id: closed.returnedBy } };
    const status = statusAfterReturn(closed.condition);
    const camera = await this.fleet.setLifecycle(closed.camera, status, null);
    this.changed(closed.condition === 'lost' ? 'lost' : 'check-in', camera, closed.officer);
    const [fault] = await Promise.all([
      closed.condition === 'damaged' || closed.condition === 'faulty'
        ? this.openFault(
            closed.camera,
            closed.condition,
            closed.notes,
            'check-in',
            ctx,
            `check-in:${closed.id}`,
          )
        : null,
      closed.condition === 'lost' ? this.recordLoss(closed, ctx) : this.recordCheckIn(closed, ctx),
    ]);
    if (open) await this.repo.releaseExactly(open);
    this.fleet.stockChanged(camera.station, ctx);
    return { assignment: publicClosed(closed), camera, fault };
  }

  private async recordCheckIn(c: ClosedAssignmentDoc, ctx: ActionContext) {
    const status = statusAfterReturn(c.condition);
    await Promise.all([
      this.event(
        'check-in',
        c.camera,
        c.officer,
        ctx,
        { condition: c.condition, assignment: c.id, ...(c.notes && { notes: c.notes }) },
        c.id,
      ),
      this.audit.recordOnce(ctx, {
        key: `check-in:${c.id}`,
        action: 'camera.check-in',
        target: { kind: 'camera', id: c.camera },
        summary: `Camera ${c.camera} returned by officer ${c.officer} (${c.condition})`,
        changes: {
          status: { from: 'issued', to: status },
          holder: { from: c.officer, to: null },
          condition: c.condition,
        },
      }),
    ]);
  }

  /** The loss of an issued camera: its notes are `<reason>: <details>` (see reportLost). */
  private async recordLoss(c: ClosedAssignmentDoc, ctx: ActionContext) {
    const [reason = 'lost', details = ''] = splitOnce(c.notes, ': ');
    await this.event('lost', c.camera, c.officer, ctx, { reason, details }, c.id);
    await this.audit.recordOnce(ctx, {
      key: `lost:${c.id}`,
      action: 'camera.lost',
      target: { kind: 'camera', id: c.camera },
      summary: `Camera ${c.camera} reported ${reason} while held by officer ${c.officer}`,
      changes: { status: { from: 'issued', to: 'lost' }, reason, details },
    });
  }

  /** Stores report a fault on a camera in stock (found on the shelf, or at a dock). */
  async reportFault(
    serial: string,
    input: { condition: 'damaged' | 'faulty'; notes: string },
    ctx: ActionContext,
  ) {
    const camera = await this.fleet.camera(serial);
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
    if (camera.status === 'lost' || camera.status === 'retired')
      throw wrongStatus(serial, camera.status, 'reported lost');
    const open = await this.repo.openByCamera(serial);
    if (open) {
      const closed = await this.closeAssignment(open, 'lost', `${input.reason}: ${input.details}`, ctx);
      if (!closed) throw notIssued(serial);
      await this.finishReturn(closed, open);
      return this.fleet.camera(serial);
    }
    this.changed('lost', await this.fleet.setLifecycle(serial, 'lost', null), null);
    await this.event('lost', serial, null, ctx, {
      reason: input.reason,
      details: input.details,
    });
    await this.audit.record(ctx, {
      action: 'camera.lost',
      target: { kind: 'camera', id: serial },
      summary: `Camera ${serial} reported ${input.reason}`,
      changes: {
        status: { from: camera.status, to: 'lost' },
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
   * Finishes (or undoes) every check-out, check-in and loss a crash or a failed write left half
   * done (see the header), writing its missing history event and audit entry in the original
   * actor's name. Safe to run again at any point and from several processes at once: every write
   * is keyed. At start-up `settleMs` is 0; the periodic sweep (startSweep) leaves alone check-outs
   * younger than a live request may take. Returns how many custody changes it corrected.
   */
  async reconcile(ctx: ActionContext, settleMs = 0): Promise<number> {
    const startup = settleMs === 0;
    const cutoff = Date.now() - settleMs;
    let fixed = 0;
    const open = await this.repo.allOpen();
    for (const a of open) {
      const closed = await this.repo.closedById(a.id);
      if (closed) {
        if (!startup && closed.returnedAt.getTime() > cutoff) continue; // its request may be running
        await this.finishReturn(closed, a);
        fixed++;
        continue;
      }
      if (this.settled.has(a.id) || (!startup && a.issuedAt.getTime() > cutoff)) continue;
      if (await this.finishCheckOut(a)) fixed++;
      this.settled.add(a.id);
    }
    // Forget finished assignments that have since ended.
    const live = new Set(open.map((a) => a.id));
    for (const id of this.settled) if (!live.has(id)) this.settled.delete(id);
    // A camera the register shows issued with no open assignment: left by a check-in interrupted
    // before this code kept the open assignment to the end. Start-up only: today's steps never
    // leave it, and re-reading it while other processes serve would race their check-outs.
    if (startup) {
      for (const camera of await this.fleet.withStatus('issued')) {
        if (await this.repo.openByCamera(camera.serial)) continue;
        const last = await this.repo.lastClosed(camera.serial);
        if (last) await this.finishReturn(last, null);
        else this.changed('check-in', await this.fleet.setLifecycle(camera.serial, 'in_stock', null), null);
        fixed++;
      }
    }
    if (fixed > 0) {
      await this.audit.record(ctx, {
        action: 'assignments.reconcile',
        target: { kind: 'system', id: 'assignments' },
        summary: `Finished or undid ${fixed} interrupted check-out(s), check-in(s) or loss(es)`,
      });
    }
    return fixed;
  }

  /**
   * Runs reconcile every `everyMs` for check-outs and check-ins another process (or a failed write
   * in this one) left unfinished, each once it is `settleMs` old. Failures are logged and retried.
   */
  startSweep(everyMs: number, onError: (err: unknown) => void, settleMs = SETTLE_MS): { stop(): void } {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.reconcile(systemContext, settleMs)
        .catch(onError)
        .finally(() => (running = false));
    }, everyMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  /** Opens a fault and audits it; with `id` (a check-in's) each is written at most once. */
  private async openFault(
    camera: string,
    condition: 'damaged' | 'faulty',
    notes: string,
    source: FaultDoc['source'],
    ctx: ActionContext,
    id?: string,
  ): Promise<FaultDoc> {
    const fault: FaultDoc = {
      id: id ?? randomUUID(),
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
    await this.audit.recordOnce(ctx, {
      key: `fault:${fault.id}`,
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
    /** The assignment of a custody change: keys the event so it is written at most once. */
    assignment?: string,
  ) {
    return this.repo.addEvent(
      { camera, officer, type, at: new Date(), actor: ctx.actor.id, details },
      assignment === undefined ? undefined : `${type}:${assignment}`,
    );
  }
}

/** What a crash-recovery needs of the request's context (the actor and request id, nothing else). */
const contextOf = (ctx: ActionContext): ActionContext => ({
  actor: ctx.actor,
  ...(ctx.requestId !== undefined && { requestId: ctx.requestId }),
});

/** The closed assignment as the API shows it (without the recovery bookkeeping). */
function publicClosed(c: ClosedAssignmentDoc): ClosedAssignmentDoc {
  const { context: _c, returnContext: _r, returnKey: _k, ...shown } = c;
  return shown;
}

function splitOnce(s: string, sep: string): [string, string] | [string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + sep.length)];
}
