// The steps of a custody change (check-out, check-in, loss while issued) that come after its
// claim, each keyed so that it is written at most once however often it runs: by the request that
// claimed, by that request's retry with the same Idempotency-Key, or by recovery after a crash
// (custody-recovery.ts). The order, and why, is at the top of assignments.service.ts.
import type { ActionContext } from '../shared/index.js';
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import type { Camera, CameraStatus, FleetService } from '../fleet/index.js';
import type { ClosedAssignmentDoc, EventType, FaultDoc, OpenAssignmentDoc } from './assignments.model.js';
import type { DomainEventBus } from '../events/index.js';
import type { AssignmentsRepository } from './assignments.repository.js';

export interface CheckinResult {
  assignment: ClosedAssignmentDoc;
  camera: Camera;
  fault: FaultDoc | null;
}

export const statusAfterReturn = (condition: ClosedAssignmentDoc['condition']): CameraStatus =>
  condition === 'ok' ? 'in_stock' : condition === 'lost' ? 'lost' : 'faulty';

export class CustodySteps {
  constructor(
    private readonly repo: AssignmentsRepository,
    private readonly fleet: FleetService,
    private readonly audit: AuditService,
    private readonly events: DomainEventBus,
  ) {}

  /** Steps 3 and 4 of a check-out, each written at most once. */
  async recordCheckOut(a: OpenAssignmentDoc, ctx: ActionContext) {
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
  async finishCheckOut(open: OpenAssignmentDoc): Promise<boolean> {
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
      this.checkedOut(camera, open.officer, open.mode);
      this.fleet.stockChanged(camera.station, ctx);
      changed = true;
    }
    if (complete) return changed;
    await this.recordCheckOut(open, ctx);
    return true;
  }

  /**
   * Steps 2 to 5 of a return, each written at most once: camera status, fault, audit entry and
   * history event, then the open assignment goes. Run by the request and by recovery alike.
   */
  async finishReturn(closed: ClosedAssignmentDoc, open: OpenAssignmentDoc | null): Promise<CheckinResult> {
    const ctx = closed.returnContext ?? { actor: { type: 'user' as const, id: closed.returnedBy } };
    const status = statusAfterReturn(closed.condition);
    const camera = await this.fleet.setLifecycle(
      closed.camera,
      status,
      null,
      closed.condition === 'lost' ? { reason: lossReason(closed.notes), officer: closed.officer } : null,
    );
    if (closed.condition === 'lost') this.statusChanged('lost', camera, closed.officer);
    else this.checkedIn(camera, closed.officer, closed.condition);
    const [fault] = await Promise.all([
      closed.condition === 'damaged' || closed.condition === 'faulty'
        ? this.openFault(camera, closed.condition, closed.notes, 'check-in', ctx, `check-in:${closed.id}`)
        : null,
      closed.condition === 'lost' ? this.recordLoss(closed, ctx) : this.recordCheckIn(closed, ctx),
    ]);
    if (open) await this.repo.releaseExactly(open);
    this.fleet.stockChanged(camera.station, ctx);
    return { assignment: publicClosed(closed), camera, fault };
  }

  async recordCheckIn(c: ClosedAssignmentDoc, ctx: ActionContext) {
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
  async recordLoss(c: ClosedAssignmentDoc, ctx: ActionContext) {
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

  /** Opens a fault and audits it; with `id` (a check-in's) each is written at most once. */
  async openFault(
    { serial: camera, station }: Pick<Camera, 'serial' | 'station'>,
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
    this.events.publish('camera.fault-opened', { camera, station, condition, source });
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

  /** Announces an issue once the register shows it (dashboards, readiness, webhooks listen). */
  checkedOut(camera: Pick<Camera, 'serial' | 'station'>, officer: string, mode: 'personal' | 'pool') {
    this.events.publish('camera.checked-out', {
      camera: camera.serial,
      station: camera.station,
      officer,
      mode,
    });
  }

  /** Announces a return once the register shows it. */
  checkedIn(camera: Camera, officer: string | null, condition: 'ok' | 'damaged' | 'faulty') {
    this.events.publish('camera.checked-in', {
      camera: camera.serial,
      station: camera.station,
      officer,
      condition,
      status: camera.status,
    });
  }

  /** Announces any other status change once written; `officer`: who held it until now, if anyone. */
  statusChanged(
    reason: 'fault-reported' | 'repair-started' | 'repair-completed' | 'lost' | 'retired',
    camera: Camera,
    officer: string | null,
  ) {
    this.events.publish('camera.status-changed', {
      camera: camera.serial,
      station: camera.station,
      status: camera.status,
      holder: camera.holder,
      officer,
      reason,
    });
  }

  /** Appends a line to the camera's (and officer's) history. */
  event(
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

/** Lost or stolen, from a loss's notes `<reason>: <details>` (see reportLost). */
const lossReason = (notes: string): 'lost' | 'stolen' =>
  splitOnce(notes, ': ')[0] === 'stolen' ? 'stolen' : 'lost';

/** What a crash-recovery needs of the request's context (the actor and request id, nothing else). */
export const contextOf = (ctx: ActionContext): ActionContext => ({
  actor: ctx.actor,
  ...(ctx.requestId !== undefined && { requestId: ctx.requestId }),
});

/** The closed assignment as the API shows it (without the recovery bookkeeping). */
export function publicClosed(c: ClosedAssignmentDoc): ClosedAssignmentDoc {
  const { context: _c, returnContext: _r, returnKey: _k, ...shown } = c;
  return shown;
}

function splitOnce(s: string, sep: string): [string, string] | [string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + sep.length)];
}
