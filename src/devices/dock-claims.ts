// Whether a dock's "docked" claim is corroborated by the camera itself. A dock is one device
// speaking for another: a dock at S2 publishing `{"type":"docked","camera":"CAM-030"}` checked in a
// camera of S1 issued to an officer of S1 (issue 14, finding 9). The camera's own report is what
// makes the claim believable: it says it sits in that dock and slot, it is online, and it reported
// docking there after it was issued (a camera still in the dock it was just taken from does not
// count). The camera's report may come a moment after the dock's, so a claim waits for it a while.
import type { DomainEvent, DomainEventBus, Unsubscribe } from '../events/index.js';
import type { DeviceStateService } from './state.service.js';

/** How long a dock's claim waits for the camera's own report (it reports about once a second). */
export const CORROBORATION_GRACE_MS = 60_000;

interface Waiter {
  dock: string;
  slot: number;
  since: number;
  done(ok: boolean): void;
}

export class DockedClaims {
  /** Claims waiting for their camera, by camera serial. */
  private readonly waiting = new Map<string, Set<Waiter>>();
  private unsubscribe: Unsubscribe | null = null;
  private readonly listener = ({ data: e }: DomainEvent<'device.state-changed'>) => {
    if (e.kind !== 'camera') return;
    for (const w of [...(this.waiting.get(e.id) ?? [])]) if (this.reports(e.id, w)) w.done(true);
  };

  constructor(
    private readonly state: DeviceStateService,
    private readonly events: DomainEventBus,
    private readonly graceMs = CORROBORATION_GRACE_MS,
  ) {}

  /**
   * Resolves true once the camera reports sitting in that dock slot, online, having docked there
   * at or after `since` (its check-out); false if it has not within the grace period.
   */
  corroborated(camera: string, dock: string, slot: number, since: Date): Promise<boolean> {
    const claim = { dock, slot, since: since.getTime() };
    if (this.reports(camera, claim)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => w.done(false), this.graceMs).unref();
      const w: Waiter = {
        ...claim,
        done: (ok) => {
          clearTimeout(timer);
          const set = this.waiting.get(camera);
          set?.delete(w);
          if (set?.size === 0) this.waiting.delete(camera);
          if (this.waiting.size === 0) {
            this.unsubscribe?.();
            this.unsubscribe = null;
          }
          resolve(ok);
        },
      };
      // One listener for every waiting claim, and only while there is one: a subscriber is called
      // for every change of every device.
      this.unsubscribe ??= this.events.on('device.state-changed', this.listener);
      let set = this.waiting.get(camera);
      if (!set) this.waiting.set(camera, (set = new Set()));
      set.add(w);
    });
  }

  private reports(camera: string, claim: { dock: string; slot: number; since: number }) {
    const r = this.state.cameraDock(camera);
    return (
      r !== null &&
      r.online &&
      r.dock === claim.dock &&
      r.slot === claim.slot &&
      r.since !== null &&
      r.since >= claim.since
    );
  }
}
