// The client side of the queue: submit, read, cancel, watch, requeue. The MCP server uses this;
// it never runs handlers (that is src/worker, through ./lease.ts).
import { RecordId, Table, eq } from "surrealdb";
import type { Db } from "../db/connect.js";
import { AppError, invalidInput, notFound } from "../errors.js";
import { idText, jobRecordId, randomKey } from "../core/ids.js";
import { backoffMs } from "../core/resilience/backoff.js";
import { CONFLICT_RETRY, isConflict, withConflictRetry } from "../core/resilience/conflict.js";
import { sleep } from "../core/resilience/sleep.js";
import { type CommandRegistry, retryPolicyOf } from "./command.js";
import { toJobStatus, type CommandRow, type JobStatus } from "./job-status.js";
import { PRIORITY_MAX, PRIORITY_MIN, claimKey, claimKeySql } from "./schema.js";

export type { JobStatus };

/** A checked job, not yet written: run `sql` with `vars` inside the caller's transaction. */
export interface PreparedJob {
  id: RecordId<"command", string>;
  jobId: string;
  sql: string;
  vars: Record<string, unknown>;
}

export interface SubmitOptions {
  priority?: number;
  idempotencyKey?: string;
  runAfter?: Date;
  maxAttempts?: number;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
/** Jobs one submitMany may write: one statement stays a short transaction. */
const MAX_BULK = 1_000;

function zodField(path: PropertyKey[]): string {
  return ["args", ...path.map(String)].join(".");
}

export class Queue {
  readonly #db: Db;
  readonly #registry: CommandRegistry;
  readonly #app: string;

  constructor(db: Db, registry: CommandRegistry, opts: { app?: string } = {}) {
    this.#db = db;
    this.#registry = registry;
    this.#app = opts.app ?? "podcast-mcp";
  }

  /**
   * The job record for a submit, checked (args against the command's schema, options): its id and
   * the CREATE statement, for a caller that must write other records in the same transaction (an
   * episode and its job appear together or not at all). The statement creates `$job`.
   */
  prepare(name: string, args: unknown, opts: SubmitOptions = {}): PreparedJob {
    const content = this.#content(name, args, opts);
    const id = new RecordId("command", randomKey());
    return { id, jobId: idText(id), sql: "CREATE $job CONTENT $job_content", vars: { job: id, job_content: content } };
  }

  async submit(name: string, args: unknown, opts: SubmitOptions = {}): Promise<{ job_id: string; created: boolean }> {
    const content = this.#content(name, args, opts);
    const key = opts.idempotencyKey;
    for (let attempt = 1; ; attempt++) {
      if (key !== undefined) {
        const existing = await this.#byKey(key);
        if (existing) return { job_id: existing, created: false };
      }
      try {
        const [rows] = await this.#db
          .query<[CommandRow[]]>("CREATE command CONTENT $content RETURN id", { content })
          .collect();
        return { job_id: idText(rows[0]!.id), created: true };
      } catch (err) {
        // Two submits with one key raced: the unique index (or a write conflict) stopped one.
        // Look again: the winner's job is the answer.
        const lost =
          isConflict(err) || (key !== undefined && err instanceof Error && /already contains/.test(err.message));
        if (!lost || attempt >= CONFLICT_RETRY.attempts) throw err;
        await sleep(backoffMs(attempt, CONFLICT_RETRY.baseDelayMs, CONFLICT_RETRY.maxDelayMs));
      }
    }
  }

  /**
   * Many jobs of one command in one statement (BullMQ's addBulk): all are written or none. Each
   * args is checked as submit checks it; an idempotency key cannot be shared by several jobs, so
   * none is taken here. One INSERT of 100 jobs was measured at ~0.3 ms of engine time per job,
   * 100 CREATE statements at ~1 ms per job.
   */
  async submitMany(
    name: string,
    argsList: unknown[],
    opts: Omit<SubmitOptions, "idempotencyKey"> = {},
  ): Promise<string[]> {
    if (!Array.isArray(argsList) || argsList.length > MAX_BULK) {
      throw invalidInput("args", `must be a list of at most ${MAX_BULK} jobs' args`);
    }
    if ((opts as SubmitOptions).idempotencyKey !== undefined) {
      throw invalidInput("idempotency_key", "cannot be given for several jobs at once");
    }
    if (argsList.length === 0) return [];
    const runAfter = opts.runAfter ?? new Date();
    // The list's order is the claim order: each job's claim key is 1 ms after the one before
    // (jobs of one millisecond would otherwise run in record-id order).
    const rows = argsList.map((args, i) => {
      const content = this.#content(name, args, { ...opts, runAfter });
      return { id: new RecordId("command", randomKey()), ...content, n: (content.n as number) + i };
    });
    await this.#db.query("INSERT INTO command $rows RETURN NONE", { rows }).collect();
    return rows.map((r) => idText(r.id));
  }

  #content(name: string, args: unknown, opts: SubmitOptions): Record<string, unknown> {
    const def = this.#registry.get(name);
    if (!def)
      throw invalidInput(
        "name",
        `unknown command "${String(name)}"; known commands: ${this.#registry.names().join(", ")}`,
      );
    const parsed = def.input.safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw invalidInput(zodField(issue.path), issue.message);
    }
    const priority = opts.priority ?? 0;
    if (!Number.isInteger(priority) || priority < PRIORITY_MIN || priority > PRIORITY_MAX) {
      throw invalidInput("priority", `must be a whole number from ${PRIORITY_MIN} to ${PRIORITY_MAX}`);
    }
    const maxAttempts = opts.maxAttempts ?? retryPolicyOf(def).attempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) {
      throw invalidInput("max_attempts", "must be a whole number from 1 to 100");
    }
    const runAfter = opts.runAfter ?? new Date();
    if (!(runAfter instanceof Date) || Number.isNaN(runAfter.getTime()))
      throw invalidInput("run_after", "must be a valid date");
    const key = opts.idempotencyKey;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw invalidInput("idempotency_key", "must be 1 to 200 printable ASCII characters without spaces");
    }
    const delayed = runAfter.getTime() > Date.now();
    return {
      app: this.#app,
      name,
      args: parsed.data ?? {},
      status: "pending",
      attempts: 0,
      max_attempts: maxAttempts,
      priority,
      ...(delayed ? { lane: "delayed", n: runAfter.getTime() } : { lane: "ready", n: claimKey(priority, runAfter) }),
      run_after: runAfter,
      cancel_requested: false,
      ...(key !== undefined ? { idempotency_key: key } : {}),
    };
  }

  async #byKey(key: string): Promise<string | undefined> {
    const [rows] = await this.#db
      .query<[CommandRow[]]>("SELECT id FROM command WHERE idempotency_key = $key LIMIT 1", { key })
      .collect();
    return rows[0] ? idText(rows[0].id) : undefined;
  }

  async status(jobId: string): Promise<JobStatus> {
    const id = jobRecordId(jobId);
    const [rows] = await this.#db.query<[CommandRow[]]>("SELECT * FROM $id", { id }).collect();
    if (!rows[0]) throw notFound("job", jobId);
    return toJobStatus(rows[0]);
  }

  /** Several jobs in one round trip; ids that do not exist are left out. */
  async statuses(jobIds: string[]): Promise<Map<string, JobStatus>> {
    if (jobIds.length === 0) return new Map();
    const ids = jobIds.map((j) => jobRecordId(j));
    const [rows] = await this.#db.query<[CommandRow[]]>("SELECT * FROM $ids", { ids }).collect();
    return new Map(rows.map((r) => [idText(r.id), toJobStatus(r)]));
  }

  /** Pending → canceled at once. Running → flag the handler sees (heartbeat) and ends canceled. */
  async cancel(jobId: string): Promise<JobStatus> {
    const id = jobRecordId(jobId);
    const [, , rows] = await withConflictRetry(() =>
      this.#db
        .query<[unknown, unknown, CommandRow[]]>(
          // In the done lane, n is the time the job finished (see schema.ts).
          `UPDATE $id SET status = 'canceled', lane = 'done', n = time::millis(time::now()), cancel_requested = true,
             error_message = 'canceled before it started',
             error_kind = 'canceled', finished = time::now(), updated = time::now() WHERE status = 'pending';
           UPDATE $id SET cancel_requested = true, updated = time::now() WHERE status = 'running';
           SELECT * FROM $id;`,
          { id },
        )
        .collect(),
    );
    if (!rows[0]) throw notFound("job", jobId);
    return toJobStatus(rows[0]);
  }

  /** Failed, canceled, or running with an expired lease → pending with fresh attempts. */
  async requeue(jobId: string): Promise<JobStatus> {
    const id = jobRecordId(jobId);
    const now = new Date();
    const [rows] = await withConflictRetry(() =>
      this.#db
        .query<[CommandRow[]]>(
          `UPDATE $id SET status = 'pending', lane = 'ready', attempts = 0, cancel_requested = false, run_after = $now,
             n = ${claimKeySql("$now_ms")}, lease_owner = NONE, lease_until = NONE,
             error_message = NONE, error_kind = NONE, result = NONE, progress = NONE, started = NONE, finished = NONE,
             updated = time::now()
           WHERE status IN ['failed', 'canceled'] OR (status = 'running' AND lease_until < time::now()) RETURN AFTER`,
          { id, now, now_ms: now.getTime() },
        )
        .collect(),
    );
    if (rows[0]) return toJobStatus(rows[0]);
    const current = await this.status(jobId);
    throw new AppError(
      "conflict",
      `job ${jobId} is ${current.status}; only a failed or canceled job (or one whose worker died) can be requeued`,
      {
        field: "job_id",
      },
    );
  }

  /** LIVE subscription on one job (jobId omitted: all, or those of command `name`); calls back on every change. */
  async watch(
    jobId: string | undefined,
    onChange: (s: JobStatus) => void,
    opts: { name?: string } = {},
  ): Promise<() => Promise<void>> {
    const only = jobId === undefined ? undefined : idText(jobRecordId(jobId));
    // Filtered in the database: notifications of other jobs are neither sent nor decoded. (Every
    // LIVE query on the table still costs the engine some work per write: see the worker's header.)
    const table = this.#db.live(new Table("command"));
    const sub = await (only !== undefined
      ? table.where(eq("id", jobRecordId(only)))
      : opts.name !== undefined
        ? table.where(eq("name", opts.name))
        : table);
    // Notifications of one record can arrive out of commit order (seen: a job's "running" after
    // its "completed"): pass on only what is newer than what this watcher already passed on.
    const lastUpdated = new Map<string, string>();
    const unsubscribe = sub.subscribe((msg) => {
      if (msg.action === "KILLED" || msg.action === "DELETE") return;
      const id = idText(msg.recordId);
      if (only !== undefined && id !== only) return;
      const status = toJobStatus({ ...msg.value, id: msg.recordId });
      const previous = lastUpdated.get(id);
      if (previous !== undefined && status.updated < previous) return;
      lastUpdated.delete(id);
      lastUpdated.set(id, status.updated);
      if (lastUpdated.size > 10_000) lastUpdated.delete(lastUpdated.keys().next().value!); // a long-lived watch of every job
      onChange(status);
    });
    return async () => {
      unsubscribe();
      await sub.kill();
    };
  }
}
