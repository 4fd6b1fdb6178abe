// The rollout's measured history, as things happen:
// - every readiness board computed (for a viewer, the API, or the sweep below) is kept as its
//   station's sample for that minute;
// - every minute, each station's board is computed, so history exists when nobody is watching;
// - a camera issued (at the desk or by a dock) is a desk issue at its station;
// - a desk check-out refused because of the camera while the officer's station had no camera in
//   stock, and a dock denying a badge tap for want of a camera, are "no camera to give";
// - closed days are folded into day records, hourly.
// Each record is keyed by its cause, so every process may hear and record the same event: one
// insert wins (see rollout/metrics.model.ts).
import type { DomainEventBus } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { ReadinessService } from '../readiness/index.js';
import type { MeasuresHistory } from '../rollout/index.js';

export function rolloutMeasures(p: {
  events: DomainEventBus;
  history: MeasuresHistory;
  readiness: ReadinessService;
  /** Every station's code. */
  stations: () => Promise<string[]>;
  /** Cameras a station has on the shelf, ready to issue. */
  inStock: (station: string) => Promise<number>;
  /** The dock's station, or null when it is not registered. */
  dockStation: (dock: string) => Promise<string | null>;
  sampleEveryMs: number;
  foldEveryMs: number;
  log: Logger;
}): () => Promise<void> {
  const failed = (what: string) => (err: unknown) => p.log.error({ err }, `${what} not recorded`);
  p.readiness.useSampler(p.history);

  const stops = [
    p.events.on('camera.checked-out', ({ id, occurredAt, data }) =>
      p.history
        .recordDesk({ key: `issue:${id}`, station: data.station, kind: 'issue', at: new Date(occurredAt) })
        .catch(failed('desk issue')),
    ),
    p.events.on('camera.checkout-refused', ({ id, occurredAt, data }) => {
      if (data.channel !== 'desk') return; // a dock tries camera after camera; its denial counts
      void (async () => {
        if ((await p.inStock(data.officerStation)) > 0) return; // there was a camera to give
        await p.history.recordDesk({
          key: `refused:${id}`,
          station: data.officerStation,
          kind: 'no-camera',
          at: new Date(occurredAt),
        });
      })().catch(failed('desk refusal'));
    }),
    p.events.on('dock.allocation-denied', ({ data }) => {
      if (data.reason !== 'no-camera-available') return;
      void (async () => {
        const station = await p.dockStation(data.dock);
        if (station === null) return;
        await p.history.recordDesk({
          // The tap's own time: every process hears the dock, one record wins.
          key: `dock:${data.dock}|${data.officer}|${data.ts}`,
          station,
          kind: 'no-camera',
          at: new Date(data.ts),
        });
      })().catch(failed('dock denial'));
    }),
  ];

  // The sweep in flight, so that stopping waits for it rather than pulling the database from under it.
  let sweep: Promise<void> | null = null;
  let stopped = false;
  const sample = setInterval(() => {
    if (sweep) return;
    sweep = (async () => {
      for (const station of await p.stations()) {
        if (stopped) return;
        await p.readiness.board(station);
      }
    })()
      .catch(failed('readiness sweep'))
      .finally(() => (sweep = null));
  }, p.sampleEveryMs);
  const fold = setInterval(() => void p.history.fold().catch(failed('day fold')), p.foldEveryMs);

  return async () => {
    stopped = true;
    clearInterval(sample);
    clearInterval(fold);
    stops.forEach((stop) => stop());
    await sweep;
  };
}
