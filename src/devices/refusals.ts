// What devices were refused, in the audit trail without flooding it (issue 14, finding 12): per
// device and window (refusal-windows.ts), the first refusal is audited at once and logged at warn,
// the rest are counted and audited as one summary entry when the window ends, with counts per
// action and a few example subjects. A cut-off (the broker closed a device refused too often) is
// audited at once. Used for the broker's refusals, docks' refused claims and clip uploads.
import type { AuditRecord, AuditService } from '../audit/index.js';
import {
  DEFAULT_REFUSAL_LIMITS,
  RefusalWindows,
  deviceFromUsername,
  deviceUsername,
  type BrokerRefusal,
  type DeviceRef,
  type RefusalLimits,
  type RefusalSummary,
} from '../bus/index.js';
import type { Logger } from '../logger.js';

export interface Refusal {
  device: DeviceRef;
  /** Audit action of the refusal, e.g. `mqtt.subscribe.refused`, `dock.claim.refused`. */
  action: string;
  /** What was asked for: a topic, a filter, a camera. */
  subject: string;
  /** One line for the audit entry and the log. */
  summary: string;
  changes?: Record<string, unknown>;
}

const actor = (d: DeviceRef) => ({ type: 'device' as const, id: deviceUsername(d.kind, d.id) });

export class DeviceRefusals {
  private readonly windows: RefusalWindows;
  private readonly counts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly writes = new Set<Promise<unknown>>();

  constructor(
    private readonly audit: AuditService,
    private readonly log: Logger,
    private readonly limits: RefusalLimits = DEFAULT_REFUSAL_LIMITS,
  ) {
    this.windows = new RefusalWindows(limits);
  }

  start() {
    const every = Math.max(1_000, Math.min(5_000, this.limits.windowMs / 4));
    this.timer = setInterval(() => this.writeSummaries(this.windows.due(Date.now())), every).unref();
  }

  /** Writes every pending summary and waits for the audit writes under way. */
  async stop() {
    clearInterval(this.timer);
    this.writeSummaries(this.windows.all(Date.now()));
    await Promise.allSettled([...this.writes]);
  }

  /** Refusals so far, by action (since start). */
  stats(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  refuse(r: Refusal) {
    this.counts.set(r.action, (this.counts.get(r.action) ?? 0) + 1);
    const device = deviceUsername(r.device.kind, r.device.id);
    if (!this.windows.note(device, r.action, r.subject, Date.now()).first) return;
    this.log.warn({ device, action: r.action, subject: r.subject }, r.summary);
    this.write(r.device, {
      action: r.action,
      target: { kind: r.device.kind, id: r.device.id },
      summary: r.summary,
      changes: r.changes ?? { subject: r.subject },
    });
  }

  /** The broker thread's report: a refused CONNECT, publish or subscribe, or a cut-off. */
  fromBroker(b: BrokerRefusal) {
    const device = { kind: b.identity.kind, id: b.identity.id };
    if (b.type === 'attempt') {
      const on = b.action === 'connect' ? 'with client id' : 'on';
      this.refuse({
        device,
        action: `mqtt.${b.action}.refused`,
        subject: b.subject,
        summary: `${b.identity.username} refused ${b.action} ${on} ${b.subject} (${b.reason})`,
        changes: { [b.action === 'connect' ? 'clientId' : 'topic']: b.subject, reason: b.reason },
      });
      return;
    }
    const until = new Date(b.until).toISOString();
    this.log.warn({ device: b.identity.username, until }, 'device cut off after too many refusals');
    this.write(device, {
      action: 'mqtt.device.cut-off',
      target: { kind: device.kind, id: device.id },
      summary: `${b.identity.username} disconnected after ${b.refusals} refusals within ${this.limits.windowMs / 1000} s; its CONNECTs are refused until ${until}`,
      changes: { refusals: b.refusals, until },
    });
  }

  private writeSummaries(summaries: RefusalSummary[]) {
    for (const s of summaries) {
      const device = deviceFromUsername(s.device);
      if (!device) continue; // keys are device usernames: cannot happen
      const seconds = Math.max(1, Math.round((s.to - s.from) / 1000));
      const counts = Object.entries(s.byAction)
        .map(([a, n]) => `${a} ×${n}`)
        .join(', ');
      const summary = `${s.device}: ${s.count} more refusals in ${seconds} s (${counts}), e.g. ${s.samples.join(', ')}`;
      this.log.warn({ device: s.device, count: s.count, byAction: s.byAction }, 'refusals summarised');
      this.write(device, {
        action: 'device.refusals.summary',
        target: { kind: device.kind, id: device.id },
        summary,
        changes: {
          count: s.count,
          byAction: s.byAction,
          samples: s.samples,
          from: new Date(s.from).toISOString(),
          to: new Date(s.to).toISOString(),
        },
      });
    }
  }

  private write(device: DeviceRef, entry: AuditRecord) {
    const p = this.audit
      .record({ actor: actor(device) }, entry)
      .catch((err: unknown) => this.log.error({ err }, 'could not audit a refused device attempt'));
    this.writes.add(p);
    void p.finally(() => this.writes.delete(p));
  }
}
