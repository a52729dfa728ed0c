// The worker side of the queue: claim, heartbeat, progress, complete, fail, release, reap.
// Every write to a claimed job is fenced by (lease_owner, attempts): a worker whose lease was
// taken over matches no row, so it can neither complete nor fail a job that is no longer its own.
// Every write also retries its own conflicts (see db-retry.ts).
import type { RecordId } from "surrealdb";
import type { Db } from "../db/connect.js";
import type { ErrorKind } from "../errors.js";
import { isRetryableKind } from "../errors.js";
import { backoffMs, type RetryPolicy } from "../core/resilience/backoff.js";
import { withConflictRetry } from "../core/resilience/conflict.js";
import { idText, jobRecordId } from "../core/ids.js";
import type { Fence } from "./command.js";
import type { CommandRow, JobProgress } from "./job-status.js";
import { claimKeySql } from "./schema.js";

export interface Lease {
  id: RecordId;
  jobId: string;
  owner: string;
  attempt: number;
  maxAttempts: number;
  name: string;
  args: unknown;
  /** Worker processes that died while running this job: > 0 means it runs alone (see handBack). */
  crashes: number;
}

/** A job whose worker died this many times while running it is failed for good, whatever else it shared the worker with. */
export const MAX_CRASHES = 3;

/** How many ready rows one claim reads: the next takes over when another worker won the first. */
const CANDIDATES = 8;
/** Due delayed jobs are moved to `ready` at most this often per store. */
const PROMOTE_EVERY_MS = 200;

// A plain top-level SELECT whose ORDER BY follows the (lane, n) index and whose WHERE is exactly the
// index prefix: a forward index scan that stops after LIMIT rows. Inside LET, ordered by anything
// else, or with one more condition (see schema.ts), the engine sorts or filters wrongly.
export const CLAIM_CANDIDATES_SQL = `SELECT id, lane, n, crashes FROM command WHERE lane = 'ready' ORDER BY lane, n LIMIT ${CANDIDATES}`;
export const DUE_CANDIDATES_SQL = "SELECT id, lane, n FROM command WHERE lane = 'delayed' ORDER BY lane, n LIMIT 50";

const FENCE = "status = 'running' AND lease_owner = $owner AND attempts = $attempt";

/**
 * The same fence for a write to another record the job owns (its episode): true while the job is
 * still running under this owner and attempt. Read in the WHERE of that record's UPDATE, so the
 * check and the write are one statement. The variables are prefixed so they cannot clash.
 */
export function fenceClause(fence: Fence): { sql: string; vars: Record<string, unknown> } {
  return {
    sql: "$fence_job.status = 'running' AND $fence_job.lease_owner = $fence_owner AND $fence_job.attempts = $fence_attempt",
    vars: { fence_job: jobRecordId(fence.jobId), fence_owner: fence.owner, fence_attempt: fence.attempt },
  };
}

export class LeaseStore {
  readonly #db: Db;
  readonly #leaseMs: number;
  #lastPromote = 0;

  constructor(db: Db, opts: { leaseMs: number }) {
    this.#db = db;
    this.#leaseMs = opts.leaseMs;
  }

  get leaseMs(): number {
    return this.#leaseMs;
  }

  /** Moves delayed jobs whose run_after has passed to `ready`, oldest first; returns how many. */
  async promoteDue(): Promise<number> {
    this.#lastPromote = Date.now();
    const [rows] = await withConflictRetry(() => this.#db.query<[CommandRow[]]>(DUE_CANDIDATES_SQL).collect());
    let moved = 0;
    for (const r of rows) {
      // n is run_after in ms here; the row's own run_after (database clock) has the last word.
      if (Number(r.n) > Date.now()) break;
      const [done] = await withConflictRetry(() =>
        this.#db
          .query<[CommandRow[]]>(
            `UPDATE $id SET lane = 'ready', n = ${claimKeySql("$at")} WHERE lane = 'delayed' AND run_after <= time::now() RETURN id`,
            { id: r.id, at: Number(r.n) },
          )
          .collect(),
      );
      if (done[0]) moved++;
    }
    return moved;
  }

  /**
   * The oldest runnable job this worker may take. `alone`: the worker runs nothing else now, so it
   * may take a job that was running when a worker died (crashes > 0): such a job runs by itself,
   * so if it kills its worker again, no other job goes down with it.
   */
  async claimNext(owner: string, opts: { alone?: boolean } = {}): Promise<Lease | undefined> {
    if (Date.now() - this.#lastPromote >= PROMOTE_EVERY_MS) await this.promoteDue();
    const [candidates] = await withConflictRetry(() => this.#db.query<[CommandRow[]]>(CLAIM_CANDIDATES_SQL).collect());
    for (const c of candidates) {
      if (Number(c.crashes ?? 0) > 0 && opts.alone === false) continue;
      // Compare-and-set: an empty result means another worker won this one; take the next.
      const [rows] = await withConflictRetry(() =>
        this.#db
          .query<[CommandRow[]]>(
            `UPDATE $id SET status = 'running', lane = 'running', attempts += 1, lease_owner = $owner,
               lease_until = time::now() + duration::from_millis($lease_ms), started = time::now(), updated = time::now()
             WHERE lane = 'ready' RETURN AFTER`,
            { id: c.id, owner, lease_ms: this.#leaseMs },
          )
          .collect(),
      );
      const row = rows[0];
      if (row) {
        return {
          id: row.id as RecordId,
          jobId: idText(row.id),
          owner,
          attempt: Number(row.attempts),
          maxAttempts: Number(row.max_attempts),
          name: String(row.name),
          args: row.args,
          crashes: Number(row.crashes ?? 0),
        };
      }
    }
    return undefined;
  }

  async #fenced(lease: Lease, set: string, vars: Record<string, unknown> = {}): Promise<CommandRow | undefined> {
    const [rows] = await withConflictRetry(() =>
      this.#db
        .query<[CommandRow[]]>(`UPDATE $id SET ${set}, updated = time::now() WHERE ${FENCE} RETURN AFTER`, {
          id: lease.id,
          owner: lease.owner,
          attempt: lease.attempt,
          ...vars,
        })
        .collect(),
    );
    return rows[0];
  }

  /** Extends the lease. held=false: the lease was taken over (or the job ended elsewhere). */
  async heartbeat(lease: Lease): Promise<{ held: boolean; cancelRequested: boolean }> {
    const row = await this.#fenced(lease, "lease_until = time::now() + duration::from_millis($lease_ms)", { lease_ms: this.#leaseMs });
    return { held: row !== undefined, cancelRequested: row?.cancel_requested === true };
  }

  async progress(lease: Lease, p: JobProgress): Promise<boolean> {
    return (await this.#fenced(lease, "progress = $p", { p })) !== undefined;
  }

  async complete(lease: Lease, result: unknown): Promise<boolean> {
    const row = await this.#fenced(
      lease,
      `status = 'completed', lane = 'done', result = $result, lease_owner = NONE, lease_until = NONE, finished = time::now(),
       error_message = NONE, error_kind = NONE,
       progress = { fraction: 1, stage: progress.stage ?? 'done', message: progress.message ?? '' }`,
      { result: result ?? null },
    );
    return row !== undefined;
  }

  async canceled(lease: Lease, message: string): Promise<boolean> {
    const row = await this.#fenced(
      lease,
      "status = 'canceled', lane = 'done', error_message = $msg, error_kind = 'canceled', lease_owner = NONE, lease_until = NONE, finished = time::now()",
      { msg: message },
    );
    return row !== undefined;
  }

  /**
   * A handler threw. Retryable kinds go back to pending after a backoff until max_attempts;
   * everything else fails at once. Returns the status written, or "lost" when the lease was gone.
   */
  async fail(lease: Lease, kind: ErrorKind, message: string, policy: RetryPolicy, retryAfterMs?: number): Promise<"pending" | "failed" | "lost"> {
    const retry = isRetryableKind(kind) && lease.attempt < lease.maxAttempts;
    if (retry) {
      const delay = Math.max(retryAfterMs ?? 0, backoffMs(lease.attempt, policy.baseDelayMs, policy.maxDelayMs));
      const at = Date.now() + delay;
      const row = await this.#fenced(
        lease,
        `status = 'pending', lane = 'delayed', run_after = time::now() + duration::from_millis($delay), n = $at,
         lease_owner = NONE, lease_until = NONE, error_message = $msg, error_kind = $kind`,
        { delay, at, msg: `${message} (attempt ${lease.attempt} of ${lease.maxAttempts}; retrying in ${Math.ceil(delay / 1000)} s)`, kind },
      );
      return row ? "pending" : "lost";
    }
    const why = isRetryableKind(kind) ? ` (gave up after ${lease.attempt} attempts)` : "";
    const row = await this.#fenced(
      lease,
      "status = 'failed', lane = 'done', error_message = $msg, error_kind = $kind, lease_owner = NONE, lease_until = NONE, finished = time::now()",
      { msg: `${message}${why}`, kind },
    );
    return row ? "failed" : "lost";
  }

  /** Shutdown: hand the job back without counting the attempt, runnable at once. */
  async release(lease: Lease): Promise<boolean> {
    const at = Date.now();
    const row = await this.#fenced(
      lease,
      `status = 'pending', lane = 'ready', attempts -= 1, run_after = time::now(), n = ${claimKeySql("$at")}, lease_owner = NONE, lease_until = NONE`,
      { at },
    );
    return row !== undefined;
  }

  /** Whether any job is waiting, delayed or running (three index lookups of one row each). */
  async hasWork(): Promise<boolean> {
    const lanes = ["ready", "delayed", "running"].map((l) => `SELECT id FROM command WHERE lane = '${l}' LIMIT 1;`).join(" ");
    const results = await this.#db.query<CommandRow[][]>(lanes).collect();
    return results.some((rows) => rows.length > 0);
  }

  /**
   * The worker process `owner` died (a signal, an out-of-memory kill, a native crash): its
   * supervisor hands its jobs back at once instead of waiting for their leases. The attempt is not
   * charged (the job may only have shared the worker with the one that killed it); instead each job
   * counts the crash, runs alone from now on, and fails for good at MAX_CRASHES with the cause.
   * Returns the jobs handed back and those failed.
   */
  async handBack(owner: string, cause: string): Promise<{ requeued: number; failed: number }> {
    const at = Date.now();
    const [rows] = await withConflictRetry(() =>
      this.#db
        .query<[CommandRow[]]>(
          // Every SET expression reads the record as it was before this UPDATE (measured on
          // SurrealDB 3), so the new count is written out as crashes + 1 wherever it is used.
          `UPDATE command SET
             crashes = crashes + 1,
             last_crash = $cause + (IF progress.stage THEN ' during ' + progress.stage ELSE '' END),
             status = IF cancel_requested THEN 'canceled' ELSE IF crashes + 1 >= $max THEN 'failed' ELSE 'pending' END,
             lane = IF cancel_requested OR crashes + 1 >= $max THEN 'done' ELSE 'ready' END,
             attempts = IF crashes + 1 >= $max THEN attempts ELSE attempts - 1 END,
             error_message = IF cancel_requested THEN 'canceled while its worker was gone'
               ELSE IF crashes + 1 >= $max THEN 'its worker died ' + <string> (crashes + 1) + ' times while running it (last: ' + $cause
                 + (IF progress.stage THEN ' during ' + progress.stage ELSE '' END) + '); it is not tried again'
               ELSE 'its worker died (' + $cause + (IF progress.stage THEN ' during ' + progress.stage ELSE '' END) + '); it runs again, alone' END,
             error_kind = IF cancel_requested THEN 'canceled' ELSE IF crashes + 1 >= $max THEN 'provider_permanent' ELSE 'internal' END,
             run_after = time::now(), n = ${claimKeySql("$at")},
             finished = IF cancel_requested OR crashes + 1 >= $max THEN time::now() ELSE NONE END,
             lease_owner = NONE, lease_until = NONE, updated = time::now()
           WHERE lane = 'running' AND lease_owner = $owner RETURN AFTER`,
          { owner, cause, at, max: MAX_CRASHES },
        )
        .collect(),
    );
    const failed = rows.filter((r) => r.status !== "pending").length;
    return { requeued: rows.length - failed, failed };
  }

  /**
   * Takes back jobs whose lease expired (their worker died or hung): pending again, or failed when
   * that was the last attempt. Any worker may run this; the compare-and-set keeps it single.
   */
  async reapExpired(): Promise<number> {
    const [rows] = await withConflictRetry(() =>
      this.#db
        // No LIMIT: with one, the engine cuts the scan before this filter (see schema.ts).
        .query<[CommandRow[]]>("SELECT id, lane, lease_until FROM command WHERE lane = 'running' AND lease_until < time::now()")
        .collect(),
    );
    let reaped = 0;
    const at = Date.now();
    for (const r of rows) {
      const [, done] = await withConflictRetry(() =>
        this.#db
          .query<[unknown, CommandRow[]]>(
            `LET $msg = 'the worker running attempt ' + <string> $id.attempts + ' stopped responding (lease expired)';
             UPDATE $id SET
               status = IF attempts >= max_attempts OR cancel_requested THEN (IF cancel_requested THEN 'canceled' ELSE 'failed' END) ELSE 'pending' END,
               lane = IF attempts >= max_attempts OR cancel_requested THEN 'done' ELSE 'ready' END,
               error_message = IF cancel_requested THEN 'canceled while its worker was gone' ELSE $msg END,
               error_kind = IF cancel_requested THEN 'canceled' ELSE 'internal' END,
               run_after = time::now(), n = ${claimKeySql("$at")},
               finished = IF attempts >= max_attempts OR cancel_requested THEN time::now() ELSE NONE END,
               lease_owner = NONE, lease_until = NONE, updated = time::now()
             WHERE status = 'running' AND lease_until < time::now() RETURN AFTER`,
            { id: r.id, at },
          )
          .collect(),
      );
      if (done[0]) reaped++;
    }
    return reaped;
  }
}
