// The `command` table. Claims read the (lane, n) index in order. `lane` splits `pending` into
// `ready` (runnable now) and `delayed` (run_after in the future), and groups `running` and `done`.
// In `ready`, `n` is the claim key (priority first, then the time the job became runnable), so
// "oldest runnable first, by priority" is a forward index scan of one prefix that stops after a few
// rows however many jobs have finished. In `delayed`, `n` is run_after in ms; workers move due
// jobs to `ready`. In `done`, `n` is the time the job finished in ms, so retention deletes the
// oldest first from the same index. Why not `WHERE status = 'pending' AND run_after <= now`:
// SurrealDB 3.0.2 pushes the LIMIT into the index scan *before* that filter, so a few delayed jobs at the head of the
// index hide every runnable one behind them (measured: 10 delayed + 1 due → the claim saw none).

// Tables are defined with OVERWRITE, not IF NOT EXISTS: a migration runs once, and a table that a
// stray write created implicitly (schemaless) before it must still end up SCHEMAFULL.
import { JOB_STATUSES, sqlList } from "../core/enums.js";
import type { Migration } from "../db/migrations.js";

/** Where a job sits in the claim index; see the header. */
const LANES = ["ready", "delayed", "running", "done"] as const;

/** Ids 100–199 belong to the queue. */
export const queueMigrations: Migration[] = [
  {
    id: 100,
    name: "command table",
    sql: `
DEFINE TABLE OVERWRITE command SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS app ON command TYPE string;
DEFINE FIELD IF NOT EXISTS name ON command TYPE string;
DEFINE FIELD IF NOT EXISTS args ON command TYPE object FLEXIBLE;
DEFINE FIELD IF NOT EXISTS status ON command TYPE string ASSERT $value IN ${sqlList(JOB_STATUSES)};
DEFINE FIELD IF NOT EXISTS attempts ON command TYPE int DEFAULT 0;
DEFINE FIELD IF NOT EXISTS max_attempts ON command TYPE int ASSERT $value >= 1;
DEFINE FIELD IF NOT EXISTS priority ON command TYPE int DEFAULT 0;
DEFINE FIELD IF NOT EXISTS lane ON command TYPE string ASSERT $value IN ${sqlList(LANES)};
DEFINE FIELD IF NOT EXISTS n ON command TYPE int;
DEFINE FIELD IF NOT EXISTS run_after ON command TYPE datetime;
DEFINE FIELD IF NOT EXISTS lease_owner ON command TYPE option<string>;
DEFINE FIELD IF NOT EXISTS lease_until ON command TYPE option<datetime>;
DEFINE FIELD IF NOT EXISTS cancel_requested ON command TYPE bool DEFAULT false;
DEFINE FIELD IF NOT EXISTS progress ON command TYPE option<object>;
DEFINE FIELD IF NOT EXISTS progress.fraction ON command TYPE number;
DEFINE FIELD IF NOT EXISTS progress.stage ON command TYPE string;
DEFINE FIELD IF NOT EXISTS progress.message ON command TYPE string;
DEFINE FIELD IF NOT EXISTS result ON command TYPE any;
DEFINE FIELD IF NOT EXISTS error_message ON command TYPE option<string>;
DEFINE FIELD IF NOT EXISTS error_kind ON command TYPE option<string>;
DEFINE FIELD IF NOT EXISTS idempotency_key ON command TYPE option<string>;
DEFINE FIELD IF NOT EXISTS created ON command TYPE datetime DEFAULT time::now();
DEFINE FIELD IF NOT EXISTS updated ON command TYPE datetime DEFAULT time::now();
DEFINE FIELD IF NOT EXISTS started ON command TYPE option<datetime>;
DEFINE FIELD IF NOT EXISTS finished ON command TYPE option<datetime>;
-- Keep this the only index that starts with lane: with a second one (lane, …) the planner may pick
-- that one and sort the whole prefix. Reaping scans lane = 'running' here (workers × concurrency rows).
DEFINE INDEX IF NOT EXISTS command_claim ON command FIELDS lane, n;
DEFINE INDEX IF NOT EXISTS command_idempotency ON command FIELDS idempotency_key UNIQUE;
`,
  },
  // 101 defined run_log, a table of the test-only `record` command; tests define it themselves now.
  { id: 102, name: "drop run_log from production schemas", sql: "REMOVE TABLE IF EXISTS run_log;" },
  {
    id: 103,
    name: "worker crashes: how many, and the last cause",
    sql: `
DEFINE FIELD IF NOT EXISTS crashes ON command TYPE int DEFAULT 0;
DEFINE FIELD IF NOT EXISTS last_crash ON command TYPE option<string>;
`,
  },
  {
    id: 104,
    name: "done lane ordered by finish time (retention reads the oldest first)",
    sql: "UPDATE command SET n = time::millis(finished ?? updated) WHERE lane = 'done';",
  },
  {
    id: 105,
    name: "queue_state: when retention last ran (workers take turns through it)",
    sql: `
DEFINE TABLE OVERWRITE queue_state SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS last_run ON queue_state TYPE datetime;
`,
  },
  {
    id: 106,
    name: "queue_state: the retention gate's row exists, so a turn is one compare-and-set",
    sql: "INSERT IGNORE INTO queue_state { id: queue_state:retention, last_run: d'1970-01-01T00:00:00Z' };",
  },
];

/** Priority range: keeps the claim key `n` inside a float64's exact integers until year 2109. */
export const PRIORITY_MIN = -100;
export const PRIORITY_MAX = 100;
const MS_SPAN = 2 ** 42;

/** Claim order: higher priority first, then earlier runnable time. */
export function claimKey(priority: number, runAfter: Date): number {
  return (PRIORITY_MAX - priority) * MS_SPAN + runAfter.getTime();
}

/** The same key computed in SurrealQL from the row's own priority and a bound ms value. */
export function claimKeySql(msParam: string): string {
  return `(${PRIORITY_MAX} - priority) * ${MS_SPAN} + ${msParam}`;
}
