// The queue's public surface.
export {
  CommandRegistry,
  defineCommand,
  retryPolicyOf,
  DEFAULT_RETRY,
  type CommandDefinition,
  type CommandHandler,
  type Fence,
  type JobContext,
} from "./command.js";
export { Queue, type PreparedJob, type SubmitOptions } from "./queue.js";
export type { JobStatus, JobProgress } from "./job-status.js";
export {
  LeaseStore,
  CLAIM_CANDIDATES_SQL,
  MAX_CLAIM,
  MAX_CRASHES,
  fenceClause,
  type ClaimRequest,
  type Lease,
} from "./lease.js";
export { queueMigrations } from "./schema.js";
export { Retention, RETENTION_EVERY_MS } from "./retention.js";
