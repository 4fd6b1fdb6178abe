// `--role redaction`: a process that only redacts clips, for scale (start several). It needs the
// platform's database (MONGODB_URI), evidence directory (DATA_DIR) and bus (MQTT_URL with the service
// credentials): it hears `clip.offloaded` there through the event spine (as one shared group where
// the broker supports it), queues each clip's job, and publishes progress and results.
import { hostname } from 'node:os';
import path from 'node:path';
import { AuditRepository, AuditService } from '../audit/index.js';
import { clipTopic, connectServiceClient, eventWire } from '../bus/index.js';
import { ClipRedactionState, ClipsRepository, type ClipNotifier } from '../clips/index.js';
import { ConfigError, type Config } from '../config.js';
import { createConnection, ensureIndexes, openWithRetry } from '../db/connection.js';
import { connectEventTransport, LocalDomainEventBus } from '../events/index.js';
import { LocalEvidenceStore } from '../evidence/index.js';
import { createJobScheduler } from '../jobs/index.js';
import type { Logger } from '../logger.js';
import { RedactionWorker } from './redaction.worker.js';
import { RevisionWorker } from './redaction.revision.js';
import { runRedaction } from './redaction.runner.js';

/** Workers hear offloads as one shared subscription group, where the broker supports one. */
export const SHARE_GROUP = 'redaction';

export async function startRedactionProcess(config: Config, log: Logger) {
  if (!config.MONGODB_URI) {
    throw new ConfigError('The redaction role needs MONGODB_URI: the database of the platform it works for');
  }
  if (!config.MQTT_URL || !config.MQTT_SERVICE_PASSWORD) {
    throw new ConfigError(
      'The redaction role needs MQTT_URL and MQTT_SERVICE_PASSWORD: it hears offloads on the platform bus',
    );
  }
  const bus = {
    url: config.MQTT_URL,
    username: config.MQTT_SERVICE_USERNAME,
    password: config.MQTT_SERVICE_PASSWORD,
  };
  const aborter = new AbortController();
  const conn = createConnection();
  const clipsRepo = new ClipsRepository(conn);
  const audit = new AuditService(new AuditRepository(conn));
  await openWithRetry(conn, config.MONGODB_URI, config.MONGODB_DB, log, aborter.signal);
  await ensureIndexes(conn);
  const evidence = await new LocalEvidenceStore(path.join(config.DATA_DIR, 'evidence')).init();

  const workerId = `redaction@${hostname()}:${process.pid}`;
  const publisher = await connectServiceClient({ ...bus, log, shareGroup: SHARE_GROUP });
  const events = new LocalDomainEventBus(workerId, log);
  const notify: ClipNotifier = (id, event, payload) => {
    if (event === 'redacted') events.publish('clip.redacted', { clipId: id });
    publisher
      .publish(clipTopic(id, event), { clipId: id, ts: new Date().toISOString(), ...payload })
      .catch((err: unknown) => log.warn({ err, id, event }, 'could not publish a clip event'));
  };
  const state = new ClipRedactionState(clipsRepo);
  const worker = new RedactionWorker(
    state,
    evidence,
    audit,
    notify,
    log.child({ component: 'redaction' }),
    workerId,
  );
  const revisions = new RevisionWorker(
    state,
    evidence,
    audit,
    notify,
    log.child({ component: 'redaction' }),
    workerId,
  );
  // The process's scheduler processes redaction jobs only: the one job it defines.
  const scheduler = await createJobScheduler({ db: conn.db!, log, pollMs: config.JOBS_POLL_MS });
  const redaction = runRedaction({ scheduler, worker, revisions, state, events, config, log });
  await scheduler.start();
  // After the intake subscribed: from here on every offload reaches it (earlier ones: its sweep).
  const spine = await connectEventTransport(events, eventWire(publisher), log, {
    hear: ['clip.offloaded', 'clip.missed-face-marked'],
  });
  log.info({ shared: publisher.shared }, 'listening for offloaded clips');
  log.info({ workerId, shared: publisher.shared }, 'redaction worker ready');

  return {
    async close() {
      aborter.abort();
      await redaction.close().catch(() => undefined);
      await spine.close().catch(() => undefined);
      await scheduler.stop().catch(() => undefined);
      await publisher.close().catch(() => undefined);
      await conn.close().catch(() => undefined);
      log.info('stopped');
    },
  };
}
