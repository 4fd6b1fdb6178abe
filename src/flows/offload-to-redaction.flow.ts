// When a clip is offloaded, its redaction job is queued: by the redaction intake, which hears
// `clip.offloaded` on this process's event bus. In the platform (REDACTION_WORKER=in-process) that is
// the event the clips service just published, with no trip through the broker; a `--role redaction`
// worker (redaction/worker.process.ts) hears the same event through the spine on the bus. Either way
// a sweep queues any offloaded clip still without a job (an event missed while nobody listened).
// Likewise, when a reviewer marks a missed face, the revision it asks for is queued and rendered.
import { hostname } from 'node:os';
import type { AuditService } from '../audit/index.js';
import type { ClipNotifier, ClipRedactionState } from '../clips/index.js';
import type { Config } from '../config.js';
import type { DomainEventBus } from '../events/index.js';
import type { EvidenceStore } from '../evidence/index.js';
import type { JobScheduler } from '../jobs/index.js';
import type { Logger } from '../logger.js';
import { RedactionWorker, RevisionWorker, runRedaction, type RunningRedaction } from '../redaction/index.js';

export function offloadToRedaction(p: {
  config: Config;
  jobs: JobScheduler;
  events: DomainEventBus;
  state: ClipRedactionState;
  evidence: EvidenceStore;
  audit: AuditService;
  notify: ClipNotifier;
  log: Logger;
}): RunningRedaction {
  const workerId = `platform@${hostname()}:${process.pid}`;
  const log = p.log.child({ component: 'redaction' });
  const worker = new RedactionWorker(p.state, p.evidence, p.audit, p.notify, log, workerId);
  // A missed face marked by a reviewer (clip.missed-face-marked) is rendered as a new revision.
  const revisions = new RevisionWorker(p.state, p.evidence, p.audit, p.notify, log, workerId);
  return runRedaction({
    scheduler: p.jobs,
    worker,
    revisions,
    state: p.state,
    events: p.events,
    config: p.config,
    log: p.log,
  });
}
