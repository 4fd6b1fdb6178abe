// Per-device MQTT credentials: issued through the API, shown once, stored hashed.
//
// Why SHA-256 and not scrypt (which protects user passwords): the broker checks a password on every
// device CONNECT, and a fleet reconnecting after a network blip is 10,000 CONNECTs at once; scrypt at
// ~50 ms and 32 MiB each would take minutes and exhaust memory. Slow hashes exist to make guessing a
// low-entropy human password expensive; these passwords are 256 bits from the CSPRNG, so no amount of
// guessing against a leaked hash is feasible and a single fast hash is as strong (the same reasoning
// as the API tokens in auth/users.service.ts).
import type { ActionContext } from '../shared/index.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import { deviceFromUsername, deviceUsername, type DeviceKind } from '../bus/index.js';
import type { DomainEventBus } from '../events/index.js';
import { AppError, notFound } from '../errors.js';
import type { CredentialsRepository } from './credentials.repository.js';

/** Whether the register knows the device; credentials are issued only for registered devices. */
export interface DeviceRegistry {
  registered(kind: DeviceKind, id: string): Promise<boolean>;
}

const hashOf = (password: string) => `sha256$${createHash('sha256').update(password).digest('hex')}`;

export class CredentialsService {
  /**
   * Username → stored hash, for the broker's check at every CONNECT. A fleet joining at once is
   * thousands of CONNECTs a second; one database read each queued behind every other command and
   * timed devices out (bench:telemetry). Loaded whole at start, written through by issue().
   */
  private readonly hashes = new Map<string, { hash: string; issue: number }>();
  /** Counts this process's issues, so that a database read can tell one that was made while it ran. */
  private issues = 0;
  private refresher: NodeJS.Timeout | null = null;
  private brokerSync:
    ((kind: DeviceKind, id: string, username: string, password: string) => Promise<void>) | null = null;

  constructor(
    private readonly repo: CredentialsRepository,
    private readonly audit: AuditService,
    private readonly registry: DeviceRegistry,
    /** `device.credentials-revoked` whenever a device's earlier password stops working. */
    private readonly events: DomainEventBus,
  ) {}

  /**
   * An external broker that keeps its own credential store (Mosquitto dynsec) is told of every
   * issue; if it cannot be told, the issue fails, since the device could not log in. Set late: the
   * platform's client of an external broker connects once the device state is loaded, after this
   * service already answers the broker's password checks.
   */
  syncToBroker(sync: (kind: DeviceKind, id: string, username: string, password: string) => Promise<void>) {
    this.brokerSync = sync;
  }

  async issue(kind: DeviceKind, id: string, ctx: ActionContext) {
    const [issued] = await this.issueMany([{ kind, id }], ctx);
    return { username: issued!.username, password: issued!.password };
  }

  /**
   * Issues credentials for many devices at once (a delivery of cameras, a simulated fleet): every
   * device must be registered or nothing is issued; one bulk write, an audit entry per device
   * (group-committed), each device's earlier credentials revoked.
   */
  async issueMany(devices: Array<{ kind: DeviceKind; id: string }>, ctx: ActionContext) {
    const known = await Promise.all(devices.map((d) => this.registry.registered(d.kind, d.id)));
    const unknown = devices.find((_, i) => !known[i]);
    if (unknown) throw notFound(unknown.kind, unknown.id);
    const issued = devices.map((d) => ({
      ...d,
      username: deviceUsername(d.kind, d.id),
      password: randomBytes(32).toString('base64url'),
    }));
    const sync = this.brokerSync;
    if (sync) {
      await Promise.all(issued.map((d) => sync(d.kind, d.id, d.username, d.password))).catch(() => {
        throw new AppError(
          'unavailable',
          'broker-unavailable',
          'The MQTT broker could not be updated',
          'Try again',
        );
      });
    }
    const issuedAt = new Date();
    await this.repo.replaceMany(
      issued.map((d) => ({
        _id: d.username,
        kind: d.kind,
        deviceId: d.id,
        hash: hashOf(d.password),
        issuedAt,
      })),
    );
    await Promise.all(
      issued.map((d) =>
        this.audit.record(ctx, {
          action: 'device.credentials.issue',
          target: { kind: d.kind, id: d.id },
          summary: `MQTT credentials issued for ${d.username}; any earlier ones revoked`,
        }),
      ),
    );
    this.issues++;
    for (const d of issued) this.learn(d.username, hashOf(d.password));
    return issued;
  }

  /**
   * Loads every credential into the cache and keeps it current: every `refreshMs` it re-reads what
   * was issued since the last read (a scan of the collection: cheap at that interval). Credentials
   * issued by another process (several API processes on one broker) thus revoke the old ones here
   * within `refreshMs`, sooner if the device connects with its new ones first (verify()).
   */
  async startCache(refreshMs: number) {
    let since = new Date();
    for (const c of await this.repo.hashes()) this.learn(c._id, c.hash);
    this.refresher = setInterval(() => {
      const from = new Date(since.getTime() - 5_000); // overlap: clocks and in-flight writes
      since = new Date();
      const readAt = this.issues;
      this.repo.hashes(from).then(
        (cs) => cs.forEach((c) => this.learn(c._id, c.hash, readAt)),
        () => undefined, // the next refresh tries again
      );
    }, refreshMs).unref();
  }

  stopCache() {
    if (this.refresher) clearInterval(this.refresher);
  }

  async verify(username: string, password: string): Promise<boolean> {
    const offered = hashOf(password);
    let hash = this.hashes.get(username)?.hash;
    if (hash !== offered) {
      // Not cached, or issued anew elsewhere since the last refresh: the database decides.
      const readAt = this.issues;
      const stored = await this.repo.hashOf(username);
      if (!stored) return false;
      hash = this.learn(username, stored.hash, readAt);
    }
    const a = Buffer.from(hash);
    const b = Buffer.from(offered);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /**
   * Records a username's current hash and returns it. A hash read from the database (`readAt`, the
   * issue count when the read began) gives way to one this process issued while the read ran,
   * which is newer. A hash that replaces another means the earlier password was revoked, wherever
   * that happened: sessions that logged in with it are ended (`device.credentials-revoked`).
   */
  private learn(username: string, hash: string, readAt?: number): string {
    const before = this.hashes.get(username);
    if (before && readAt !== undefined && before.issue > readAt) return before.hash;
    if (before?.hash === hash) return hash;
    this.hashes.set(username, { hash, issue: readAt === undefined ? this.issues : (before?.issue ?? 0) });
    const device = before && deviceFromUsername(username);
    if (device) this.events.publish('device.credentials-revoked', device);
    return hash;
  }
}
