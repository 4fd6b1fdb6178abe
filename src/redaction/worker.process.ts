// `--role redaction`: a process that only runs redaction jobs, for scale (start several). It needs the
// platform's database (MONGODB_URI) and evidence directory (DATA_DIR); with MQTT_URL and the service
// credentials it also publishes clip progress on the bus. Jobs come from the shared agenda queue.
import { hostname } from 'node:os';
import path from 'node:path';
import { AuditRepository, AuditService } from '../audit/index.js';
import { clipTopic, connectPublisher, type Publisher } from '../bus/index.js';
import { ClipRedactionState, ClipsRepository, type ClipNotifier } from '../clips/index.js';
import { ConfigError, type Config } from '../config.js';
import { createConnection, ensureIndexes, openWithRetry } from '../db/connection.js';
import { LocalEvidenceStore } from '../evidence/index.js';
import type { Logger } from '../logger.js';
import { startRedactionJobs } from './redaction.job.js';
import { RedactionWorker } from './redaction.worker.js';

export async function startRedactionProcess(config: Config, log: Logger) {
  if (!config.MONGODB_URI) {
    throw new ConfigError('The redaction role needs MONGODB_URI: the database of the platform it works for');
  }
  const aborter = new AbortController();
  const conn = createConnection();
  const clipsRepo = new ClipsRepository(conn);
  const audit = new AuditService(new AuditRepository(conn));
  await openWithRetry(conn, config.MONGODB_URI, config.MONGODB_DB, log, aborter.signal);
  await ensureIndexes(conn);
  const evidence = await new LocalEvidenceStore(path.join(config.DATA_DIR, 'evidence')).init();

  let bus: Publisher | null = null;
  if (config.MQTT_URL && config.MQTT_SERVICE_PASSWORD) {
    bus = await connectPublisher(config.MQTT_URL, config.MQTT_SERVICE_USERNAME, config.MQTT_SERVICE_PASSWORD);
  }
  const notify: ClipNotifier = (id, event, payload) => {
    bus
      ?.publish(clipTopic(id, event), { clipId: id, ts: new Date().toISOString(), ...payload })
      .catch((err: unknown) => log.warn({ err, id, event }, 'could not publish a clip event'));
  };
  const workerId = `redaction@${hostname()}:${process.pid}`;
  const worker = new RedactionWorker(
    new ClipRedactionState(clipsRepo),
    evidence,
    audit,
    notify,
    log.child({ component: 'redaction' }),
    workerId,
  );
  const jobs = await startRedactionJobs({
    db: conn.db!,
    log,
    worker,
    lockLifetimeMs: config.REDACTION_LOCK_LIFETIME_MS,
    pollMs: config.REDACTION_POLL_MS,
  });
  for (const { _id } of await clipsRepo.unfinished()) await jobs.enqueue(_id);
  log.info({ workerId }, 'redaction worker ready');

  return {
    async close() {
      aborter.abort();
      await jobs.stop().catch(() => undefined);
      await bus?.close().catch(() => undefined);
      await conn.close().catch(() => undefined);
      log.info('stopped');
    },
  };
}
