export { RedactionWorker } from './redaction.worker.js';
export { RevisionWorker } from './redaction.revision.js';
export { defineRedactionJob, REDACTION_JOB, REVISION_JOB, type RedactionJobs } from './redaction.job.js';
export { redactClip, DEFAULT_PARAMS } from './redact.js';
export { RedactionInputError, type RedactionFailure } from './errors.js';
export type { RedactionManifest } from './manifest.js';
export { runRedaction, type RunningRedaction } from './redaction.runner.js';
export { startRedactionProcess } from './worker.process.js';
export { SHARE_GROUP } from './worker.process.js';
