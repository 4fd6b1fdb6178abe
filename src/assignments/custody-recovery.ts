// Recovery of custody changes a crash (of this process, another one, or the database) left half
// done: at start-up, and swept periodically for processes that died and do not come back. Each
// unfinished one is finished with its keyed steps (custody-steps.ts), in its original actor's name,
// or a check-out whose camera could no longer be issued is given back. See assignments.service.ts.
import { systemContext, type ActionContext } from '../shared/index.js';
import { type AuditService } from '../audit/index.js';
import type { FleetService } from '../fleet/index.js';
import type { AssignmentsRepository } from './assignments.repository.js';
import type { CustodySteps } from './custody-steps.js';

/** Custody changes younger than this may still be mid-write in a live request of another process. */
export const SETTLE_MS = 30_000;

export class CustodyRecovery {
  /** Open assignments whose check-out this process knows to be complete (recovery skips them). */
  private readonly settled = new Set<string>();

  constructor(
    private readonly repo: AssignmentsRepository,
    private readonly fleet: FleetService,
    private readonly audit: AuditService,
    private readonly steps: CustodySteps,
  ) {}

  /** Notes a check-out this process has just completed, so the sweep does not re-check it. */
  completed(assignment: string) {
    this.settled.add(assignment);
  }

  /**
   * Finishes (or undoes) every check-out, check-in and loss a crash or a failed write left half
   * done (see assignments.service.ts), writing its missing history event and audit entry in the original
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
        await this.steps.finishReturn(closed, a);
        fixed++;
        continue;
      }
      if (this.settled.has(a.id) || (!startup && a.issuedAt.getTime() > cutoff)) continue;
      if (await this.steps.finishCheckOut(a)) fixed++;
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
        if (last) await this.steps.finishReturn(last, null);
        else this.steps.checkedIn(await this.fleet.setLifecycle(camera.serial, 'in_stock', null), null, 'ok');
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
}
