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
// The steps after each claim are in custody-steps.ts. reconcile() (custody-recovery.ts; at
// start-up, and swept periodically for other processes' crashes) finishes what it finds
// unfinished with the original actor's context, or undoes a check-out whose camera could no
// longer be issued. A retried request with the same Idempotency-Key finds its own earlier attempt
// by the assignment id derived from the key and finishes it instead of refusing.
import { type ActionContext, assertInStationScope } from '../shared/index.js';
import { createHash, randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import { AppError } from '../errors.js';
import type { CameraStatus, FleetService } from '../fleet/index.js';
import type { Page } from '../shared/paging.js';
import type { PeopleService } from '../people/index.js';
import type { CameraEventDoc, ClosedAssignmentDoc, OpenAssignmentDoc } from './assignments.model.js';
import type { AssignmentsRepository } from './assignments.repository.js';
import type { CheckinInput, CheckoutInput } from './assignments.schemas.js';
import { assertAvailable, cameraAlreadyIssued, officerAlreadyHoldsCamera } from './availability.js';
import { gateRefusal, nearestFit, type FitnessSource, type GateSettings } from './checkout-gates.js';
import { CustodyRecovery } from './custody-recovery.js';
import { CustodySteps, contextOf, publicClosed, type CheckinResult } from './custody-steps.js';
import type { DomainEventBus } from '../events/index.js';

export type Assignment = OpenAssignmentDoc;
export type { CheckinResult };

/** A check-out's answer: the assignment and who it went to, for the desk to check against the person. */
export type IssuedAssignment = Assignment & { issuedTo: { number: string; name: string; station: string } };

/** The stores desk's gates (checkout-gates.ts): the force's settings and where camera facts come from. */
export interface CheckoutGates {
  settings: GateSettings;
  fitness: FitnessSource;
}

/** How long a repeated check-out waits for the first one's register write (usually a few ms). */
const SAME_ISSUE_WAIT_MS = 2_000;

/** Camera refusals a check-out can suggest another camera for (not: officer, scope, idempotency). */
const CAMERA_REFUSALS = new Set<string>([
  'camera-already-issued',
  'camera-faulty',
  'camera-in-repair',
  'camera-lost',
  'camera-retired',
  'camera-in-transit',
  'camera-at-another-station',
  'camera-battery-low',
  'camera-firmware-blocked',
  'camera-firmware-not-approved',
]);

const notIssued = (serial: string) =>
  new AppError('camera-not-issued', `Camera '${serial}' is not checked out`);

const wrongStatus = (serial: string, status: CameraStatus, action: string) =>
  new AppError(
    'camera-status-conflict',
    `Camera '${serial}' cannot be ${action}: it is ${status.replace('_', ' ')}`,
  );

/** A stable assignment id for a request key, so a retry of the request recognises its own claim. */
const assignmentIdFor = (requestKey: string) => {
  const h = createHash('sha256').update(requestKey).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

export class AssignmentsService {
  private readonly steps: CustodySteps;
  private readonly recovery: CustodyRecovery;

  constructor(
    private readonly repo: AssignmentsRepository,
    private readonly fleet: FleetService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    /** Every status/holder change this service writes is published here, once written. */
    private readonly events: DomainEventBus,
    /** Absent: no gates beyond the register's own rules (availability.ts). */
    private readonly gates?: CheckoutGates,
  ) {
    this.steps = new CustodySteps(repo, fleet, audit, events);
    this.recovery = new CustodyRecovery(repo, fleet, audit, this.steps);
  }

  /**
   * Issues `camera` to `officer`. Throws 404 for unknown ones and 409 (precise type) when refused.
   * `requestKey` (the Idempotency-Key's scope and value) makes a retry after a crash finish and
   * return the same assignment.
   */
  async checkOut(input: CheckoutInput, ctx: ActionContext, requestKey?: string): Promise<IssuedAssignment> {
    const [camera, officer] = await Promise.all([
      this.fleet.camera(input.camera),
      this.people.officer(input.officer),
    ]);
    const issuedTo = { number: officer.number, name: officer.name, station: officer.station };
    return { ...(await this.issue(input, camera, officer, ctx, requestKey)), issuedTo };
  }

  private async issue(
    input: CheckoutInput,
    camera: Awaited<ReturnType<FleetService['camera']>>,
    officer: Awaited<ReturnType<PeopleService['officer']>>,
    ctx: ActionContext,
    requestKey?: string,
  ): Promise<Assignment> {
    assertInStationScope(ctx, camera.station, officer.station);
    const id = requestKey ? assignmentIdFor(requestKey) : randomUUID();
    if (requestKey && camera.status === 'issued') {
      const earlier = await this.ownEarlierCheckOut(camera.serial, id);
      if (earlier) return earlier;
    }
    // The same camera to the same officer again (a double scan at the desk, a retry without a key):
    // that issue is what was asked for, so it is the answer, not a refusal.
    if (camera.status === 'issued' && camera.holder === officer.number) {
      const same = await this.sameIssue(camera.serial, officer.number, input.mode, true);
      if (same) return same;
    }
    if (!officer.active) {
      throw new AppError('officer-inactive', `Officer '${officer.number}' is inactive`);
    }
    try {
      assertAvailable(camera, officer.station);
      this.assertGates(camera);
    } catch (err) {
      throw err instanceof AppError ? await this.refusal(ctx, camera, officer, err) : err;
    }
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
      const same = await this.sameIssue(camera.serial, officer.number, input.mode, false);
      if (same) return same;
      throw await this.refusal(ctx, camera, officer, cameraAlreadyIssued(camera.serial));
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
    this.steps.checkedOut(camera, officer.number, input.mode);
    await this.steps.recordCheckOut(assignment, ctx);
    this.recovery.completed(assignment.id);
    this.fleet.stockChanged(camera.station, ctx);
    const { context: _context, ...shown } = assignment;
    return shown;
  }

  /** Throws the gates' refusal if the camera, as it last reported, does not pass them (from memory). */
  private assertGates(camera: { serial: string; model: string }): void {
    if (!this.gates) return;
    const refused = gateRefusal(camera, this.gates.fitness.of(camera), this.gates.settings);
    if (refused) throw refused;
  }

  /**
   * Whether the camera could be issued now, as the stores desk asks when a camera is scanned,
   * before the warrant card: the check-out's own camera rules (status, transit, gates), so the
   * clerk hears a refusal at once. Returns the camera; throws the refusal a check-out would give,
   * with the nearest fit camera of `station` (the desk's; default the clerk's or the camera's).
   */
  async checkCamera(serial: string, ctx: ActionContext) {
    // The register's shown copy (READ_CACHE_SECONDS): the check-out itself reads the database.
    const camera = await this.fleet.cameraView(serial);
    const station = ctx.stationScope ?? camera.station;
    try {
      assertAvailable(camera, camera.station);
      this.assertGates(camera);
    } catch (err) {
      throw err instanceof AppError ? await this.withSuggestion(err, camera.serial, station) : err;
    }
    assertInStationScope(ctx, camera.station);
    return camera;
  }

  /**
   * The open assignment if `serial` is issued to `officer` in `mode`, else null. `marked`: the
   * register already showed it issued to them. Otherwise the other check-out may be between its
   * claim and its register write (which could still fail and give the claim back): wait briefly
   * for the register to show it, never finishing that request's steps for it (they would race).
   */
  private async sameIssue(
    serial: string,
    officer: string,
    mode: string,
    marked: boolean,
  ): Promise<Assignment | null> {
    const open = await this.repo.openByCamera(serial);
    if (open?.officer !== officer || open.mode !== mode) return null;
    for (let waited = 0; !marked && waited < SAME_ISSUE_WAIT_MS; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
      const now = await this.fleet.camera(serial);
      marked = now.status === 'issued' && now.holder === officer;
    }
    if (!marked || (await this.repo.openByCamera(serial))?.id !== open.id) return null;
    const { context: _context, ...assignment } = open;
    return assignment;
  }

  /** `err` with the nearest fit camera at `station` to take instead (read only on this refusal path). */
  private async withSuggestion(err: AppError, serial: string, station: string): Promise<AppError> {
    if (!CAMERA_REFUSALS.has(err.type)) return err;
    // A suggestion that cannot be read never turns the refusal into a failure.
    const candidates = await this.fleet.allCameras({ station, status: 'in_stock' }).catch(() => null);
    if (!candidates) return err;
    const instead = nearestFit(
      candidates,
      this.gates?.fitness ?? { of: () => null },
      this.gates?.settings ?? { minBattery: 0, firmware: 'any' },
      serial,
    );
    return new AppError(err.type, err.detail, err.errors, { instead });
  }

  /**
   * A check-out refused because of the camera: published (the rollout counts the times a desk had
   * no camera to give) and returned to be thrown, naming the officer's station's nearest fit camera.
   */
  private async refusal(
    ctx: ActionContext,
    camera: { serial: string; station: string },
    officer: { number: string; station: string },
    err: AppError,
  ): Promise<AppError> {
    this.events.publish('camera.checkout-refused', {
      camera: camera.serial,
      station: camera.station,
      officer: officer.number,
      officerStation: officer.station,
      reason: err.type,
      channel: ctx.actor.type === 'device' ? 'dock' : 'desk',
    });
    // A dock tries its own cameras in turn: a suggestion is for a person at a desk.
    return ctx.actor.type === 'device' ? err : this.withSuggestion(err, camera.serial, officer.station);
  }

  /** A retried request's own check-out (same derived id), finished if it was interrupted. */
  private async ownEarlierCheckOut(serial: string, id: string): Promise<Assignment | null> {
    const open = await this.repo.openByCamera(serial);
    if (open?.id !== id) return null;
    await this.steps.finishCheckOut(open);
    if ((await this.repo.openByCamera(serial))?.id !== id) return null; // undone: the camera went
    const { context: _context, ...assignment } = open;
    return assignment;
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
    // The camera's station when issued: an issued camera cannot be transferred or moved.
    assertInStationScope(ctx, open.station);
    const closed = await this.closeAssignment(open, input.condition, input.notes ?? '', ctx, requestKey);
    if (closed) return this.steps.finishReturn(closed, open);
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
    if (open) return this.steps.finishReturn(closed, open);
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
    this.steps.statusChanged('fault-reported', await this.fleet.setLifecycle(serial, 'faulty', null), null);
    const fault = await this.steps.openFault(camera, input.condition, input.notes, 'report', ctx);
    this.fleet.stockChanged(camera.station, ctx);
    await this.steps.event('fault-reported', serial, null, ctx, {
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
    this.steps.statusChanged(type, await this.fleet.setLifecycle(serial, to, null), null);
    if (fault)
      await this.repo.setFaultState(
        fault.id,
        to === 'in_stock' ? 'closed' : 'in_repair',
        to === 'in_stock' ? new Date() : null,
      );
    await this.steps.event(type, serial, null, ctx, {
      ...(fault && { fault: fault.id }),
      ...(notes && { notes }),
    });
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
    if (open) {
      const closed = await this.closeAssignment(open, 'lost', `${input.reason}: ${input.details}`, ctx);
      if (!closed) throw notIssued(serial);
      await this.steps.finishReturn(closed, open);
      return this.fleet.camera(serial);
    }
    this.steps.statusChanged(
      'lost',
      await this.fleet.setLifecycle(serial, 'lost', null, { reason: input.reason, officer: null }),
      null,
    );
    await this.steps.event('lost', serial, null, ctx, {
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
    assertInStationScope(ctx, camera.station);
    if (!['in_stock', 'faulty', 'lost'].includes(camera.status))
      throw wrongStatus(serial, camera.status, 'retired');
    if (await this.repo.openByCamera(serial)) throw cameraAlreadyIssued(serial);
    this.steps.statusChanged('retired', await this.fleet.setLifecycle(serial, 'retired', null), null);
    await this.steps.event('retired', serial, null, ctx, { reason });
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

  /** A camera's transfer, as a line of its history (the fleet capability sends and receives them). */
  async recordTransfer(e: {
    camera: string;
    type: 'transfer-sent' | 'transfer-received';
    at: Date;
    actor: string;
    details: Record<string, unknown>;
  }): Promise<void> {
    await this.repo.addEvent({ ...e, officer: null });
  }

  /** Custody spans still open or closed since `since` (the rollout's measures). */
  custodySince(since: Date) {
    return this.repo.custodySince(since);
  }

  /** Faults opened in [from, to) (the rollout's measures). */
  faultsOpened(from: Date, to: Date) {
    return this.repo.faultsOpened(from, to);
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
   * Finishes (or undoes) every custody change a crash left half done; see custody-recovery.ts.
   * Run at start-up (settleMs 0) before the API serves. Returns how many it corrected.
   */
  reconcile(ctx: ActionContext, settleMs = 0): Promise<number> {
    return this.recovery.reconcile(ctx, settleMs);
  }

  /** Runs reconcile every `everyMs` for what other processes (or failed writes) left behind. */
  startSweep(everyMs: number, onError: (err: unknown) => void, settleMs?: number): { stop(): void } {
    return this.recovery.startSweep(everyMs, onError, settleMs);
  }
}
