// The queue's public surface.
export { CommandRegistry, defineCommand, retryPolicyOf, DEFAULT_RETRY, type CommandDef, type JobContext, type RetryPolicy } from "./command.js";
export { Queue, parseJobId, type SubmitOptions } from "./queue.js";
export type { JobStatus, JobProgress } from "./job-status.js";
export { LeaseStore, CLAIM_CANDIDATES_SQL, type Lease } from "./lease.js";
export { queueMigrations, JOB_STATUSES, type JobStatusName, type QueueMigration } from "./schema.js";
