// Starts every flow (src/flows/) once the bus and the live gateway exist. Resolves with the stops,
// in start order. Which flows run, and what each is given: nothing else.
import type { BusClient, SendCommand } from '../bus/index.js';
import type { ClipNotifier } from '../clips/index.js';
import type { Config } from '../config.js';
import type { Connection } from '../db/connection.js';
import type { DomainEventBus } from '../events/index.js';
import type { EvidenceStore } from '../evidence/index.js';
import { custodyToDashboards } from '../flows/custody-to-dashboards.flow.js';
import { provisionToBroker } from '../flows/device-access.flow.js';
import { dockSelfAllocation } from '../flows/dock-self-allocation.flow.js';
import { firmwarePolicyFlow } from '../flows/firmware-policy.flow.js';
import { firmwareEngineFlow } from '../flows/firmware-engine.flow.js';
import { firmwareLive } from '../flows/firmware-live.flow.js';
import { offloadToRedaction } from '../flows/offload-to-redaction.flow.js';
import { rosterToReadiness } from '../flows/roster-to-readiness.flow.js';
import { rolloutMeasures } from '../flows/rollout-measures.flow.js';
import { rolloutScope } from '../flows/rollout-scope.flow.js';
import { telemetryToDashboard } from '../flows/telemetry-to-dashboard.flow.js';
import { userAccess } from '../flows/user-access.flow.js';
import { webhooksFlow } from '../flows/webhooks.flow.js';
import type { JobScheduler } from '../jobs/index.js';
import type { Logger } from '../logger.js';
import type { RealtimeGateway } from '../realtime/index.js';
import type { Services } from './services.js';

export async function startFlows(
  s: Services,
  p: {
    config: Config;
    conn: Connection;
    events: DomainEventBus;
    /** The process's job scheduler, not yet started: flows define their jobs on it. */
    jobs: JobScheduler;
    bus: BusClient;
    gateway: RealtimeGateway;
    evidence: EvidenceStore;
    notifyClip: ClipNotifier;
    sendCommand: SendCommand;
    log: Logger;
  },
): Promise<Array<() => unknown>> {
  const { config, events, gateway, log } = p;
  const dashboardLog = log.child({ component: 'dashboard' });
  provisionToBroker(s.credentials, p.bus);
  const stops: Array<() => unknown> = [
    dockSelfAllocation({
      events,
      state: s.deviceState,
      assignments: s.assignments,
      fleet: s.fleet,
      refusals: s.refusals,
      sendCommand: p.sendCommand,
      log: log.child({ component: 'dock-allocation' }),
    }),
    userAccess(events, gateway),
    rosterToReadiness(events, s.readiness),
    rolloutScope(events, s.rolloutScope, s.readiness),
    rolloutMeasures({
      events,
      history: s.rolloutMeasures.history,
      readiness: s.readiness,
      stations: async () => (await s.people.listStations()).map((x) => x.code),
      inStock: async (station) => (await s.fleet.stock(station)).byStatus.in_stock,
      dockStation: (dock) =>
        s.fleet.dock(dock).then(
          (d) => d.station,
          () => null,
        ),
      sampleEveryMs: 60_000,
      foldEveryMs: 3_600_000,
      log: log.child({ component: 'rollout-measures' }),
    }),
    telemetryToDashboard({
      events,
      state: s.deviceState,
      fleetView: s.fleetView,
      gateway,
      readiness: s.readiness,
      log: dashboardLog,
    }),
  ];
  const custody = custodyToDashboards({
    events,
    fleetView: s.fleetView,
    gateway,
    readiness: s.readiness,
    deviceHealth: s.deviceState,
    registerRefreshMs: config.DASHBOARD_REGISTER_REFRESH_S * 1000,
    log: dashboardLog,
  });
  stops.push(() => custody.stop());
  const firmwarePolicy = firmwarePolicyFlow({
    events,
    policy: s.firmwarePolicy,
    state: s.deviceState,
    // As fresh as the other per-process copies (READ_CACHE_SECONDS), at least every 30 s.
    refreshMs: Math.min(30, Math.max(1, config.READ_CACHE_SECONDS)) * 1000,
    log: log.child({ component: 'firmware-policy' }),
  });
  stops.push(() => firmwarePolicy.stop());
  stops.push(await webhooksFlow(events, s.webhookDeliveries, p.jobs));
  stops.push(
    firmwareLive({
      events,
      campaigns: s.firmwareCampaigns,
      gateway,
      log: log.child({ component: 'firmware-live' }),
    }),
  );
  if (s.firmwareEngine)
    stops.push(await firmwareEngineFlow({ events, engine: s.firmwareEngine, jobs: p.jobs }));
  if (config.REDACTION_WORKER === 'in-process') {
    const redaction = offloadToRedaction({
      config,
      jobs: p.jobs,
      events,
      state: s.redactionState,
      evidence: p.evidence,
      audit: s.audit,
      notify: p.notifyClip,
      log,
    });
    stops.push(() =>
      redaction.close().catch((err: unknown) => log.error({ err }, 'could not stop the redaction worker')),
    );
  }
  return stops;
}
