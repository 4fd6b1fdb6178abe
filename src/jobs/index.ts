export type { JobDefinition, JobScheduler, RunningJob } from './job-scheduler.js';
export { createJobScheduler, JOBS_COLLECTION } from './agenda.scheduler.js';
