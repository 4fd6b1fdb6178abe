// Minimum stock per station and the low-stock alert: re-evaluated after every change to a
// station's stock (check-out, return, fault, loss, import, move). One open alert per station.
// The change never waits for the re-evaluation (counting a station's stock scans its cameras);
// changes that arrive while one runs fold into one more run after it, so a burst of check-outs
// at shift change counts each station a few times, not once per check-out.
import type { ActionContext } from '../shared/index.js';
import type { AuditService } from '../audit/index.js';
import type { PeopleService } from '../people/index.js';
import type { StockAlertDoc } from './stock.model.js';
import type { StockRepository } from './stock.repository.js';

export class StockService {
  private readonly running = new Map<string, Promise<void>>();
  /** Stations changed again while their check ran, with the latest change's context. */
  private readonly again = new Map<string, ActionContext>();

  constructor(
    private readonly repo: StockRepository,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
  ) {}

  /** The station's stock changed: re-evaluate its alert soon, without holding up the caller. */
  changed(station: string, ctx: ActionContext): void {
    if (this.running.has(station)) {
      this.again.set(station, ctx);
      return;
    }
    const run = async () => {
      let next: ActionContext | undefined = ctx;
      for (; next; next = this.again.get(station)) {
        this.again.delete(station);
        // A failed check never fails anything: the next change re-evaluates.
        await this.check(station, next).catch(() => undefined);
      }
    };
    this.running.set(
      station,
      run().finally(() => this.running.delete(station)),
    );
  }

  /** Resolves once no re-evaluation is running (before shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  async setMinimum(station: string, minimum: number, ctx: ActionContext) {
    await this.people.station(station);
    const before = await this.repo.minimum(station);
    await this.repo.setMinimum(station, minimum);
    await this.audit.record(ctx, {
      action: 'stock.minimum',
      target: { kind: 'station', id: station },
      summary: `Minimum stock at ${station} set to ${minimum}`,
      changes: { minimum: { from: before, to: minimum } },
    });
    await this.check(station, ctx);
    return this.level(station);
  }

  async level(station: string) {
    const [minimum, inStock, alert] = await Promise.all([
      this.repo.minimum(station),
      this.repo.inStock(station),
      this.repo.alert(station),
    ]);
    return { station, inStock, minimum, alert };
  }

  alerts(): Promise<StockAlertDoc[]> {
    return this.repo.openAlerts();
  }

  /** Raises or clears the station's low-stock alert to match its stock now. */
  async check(station: string, ctx: ActionContext): Promise<void> {
    const minimum = await this.repo.minimum(station);
    if (minimum === null) return; // no minimum set: nothing to count (keeps check-out cheap)
    const inStock = await this.repo.inStock(station);
    if (inStock < minimum) {
      if (await this.repo.raise({ station, inStock, minimum, raisedAt: new Date() })) {
        await this.audit.record(ctx, {
          action: 'stock.below-minimum',
          target: { kind: 'station', id: station },
          summary: `Stock at ${station} fell to ${inStock}, under its minimum of ${minimum}`,
          changes: { inStock, minimum },
        });
      }
    } else if (await this.repo.clear(station)) {
      await this.audit.record(ctx, {
        action: 'stock.restored',
        target: { kind: 'station', id: station },
        summary: `Stock at ${station} back to ${inStock} (minimum ${minimum})`,
        changes: { inStock, minimum },
      });
    }
  }
}
