export { RedactionWorker } from './redaction.worker.js';
export { startRedactionJobs, REDACTION_JOB, type RedactionJobs } from './redaction.job.js';
export { redactClip, DEFAULT_PARAMS } from './redact.js';
export { RedactionInputError, type RedactionFailure } from './errors.js';
export type { RedactionManifest } from './manifest.js';
