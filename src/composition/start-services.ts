// What the services do once the database is up and before the API serves: repair any custody
// change a crash interrupted (then keep sweeping for other processes' crashes), forget old
// idempotency keys, create the first admin, load device state, credentials and the firmware
// versions register, make the firmware store's folders, schedule the history retention (on the job
// scheduler, which the platform starts once every job is defined).
// Resolves with the stops, in start order.
import type { Config } from '../config.js';
import type { Connection } from '../db/connection.js';
import { defineHistoryRetention } from '../devices/index.js';
import type { JobScheduler } from '../jobs/index.js';
import type { Logger } from '../logger.js';
import { systemContext } from '../shared/index.js';
import { readinessScope } from '../rollout/index.js';
import type { Services } from './services.js';

export async function startServices(
  s: Services,
  p: { config: Config; conn: Connection; jobs: JobScheduler; log: Logger },
): Promise<Array<() => unknown>> {
  const { config, log } = p;
  await s.assignments.reconcile(systemContext);
  const sweep = s.assignments.startSweep(config.CUSTODY_SWEEP_S * 1000, (err) =>
    log.error({ err }, 'custody recovery sweep failed'),
  );
  await s.idempotency.prune();
  const generated = await s.users.ensureFirstAdmin(config.BWV_ADMIN_PASSWORD, systemContext);
  if (generated) {
    // Printed once, to the terminal only, never to the structured log.
    process.stderr.write(
      `\n  First run: created user 'admin' with password ${generated}\n  Change it after logging in. It will not be shown again.\n\n`,
    );
  }
  await Promise.all([
    s.deviceState.load(),
    s.credentials.startCache(config.CREDENTIALS_REFRESH_S * 1000),
    s.firmwarePolicy.reload(),
    s.firmwareArtifacts.init(),
  ]);
  s.deviceState.start();
  const retention = defineHistoryRetention({
    jobs: p.jobs,
    state: s.deviceState,
    audit: s.audit,
    retentionDays: config.TELEMETRY_HISTORY_RETENTION_DAYS,
    everyS: config.TELEMETRY_TRIM_EVERY_S,
    log: log.child({ component: 'retention' }),
  });
  await retention.repeat();
  // Readiness counts the officers in the rollout's scope (all of them while no phase has started).
  s.readiness.useScope(readinessScope(s.rolloutScope, s.people));
  const closeReports = await s.rolloutReports.start(p.jobs);
  return [() => sweep.stop(), closeReports];
}
