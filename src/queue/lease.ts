// The worker side of the queue: claim, heartbeat, progress, complete, fail, release, reap.
// Every write to a claimed job is fenced by (lease_owner, attempts): a worker whose lease was
// taken over matches no row, so it can neither complete nor fail a job that is no longer its own.
// Every write also retries its own conflicts (see db-retry.ts).
//
// Round trips and statements are what the queue costs (a no-op query is ~1 ms through the local
// DB host, and every statement ~0.4+ ms of the engine's CPU on a 2-core machine: see
// src/bench/queue-bench.ts), so a claim of up to N jobs is one statement, and a completion (of all
// the jobs that finished together) carries the next claim in the same round trip. A claim is one
// block `{ LET …; UPDATE … }`: inside a block the candidate SELECT keeps its ordered index scan with
// the limit pushed down (measured, 5,000 ready jobs: block 1.2 ms; top-level LET or UPDATE (SELECT …)
// 300–900 ms, a sort of the whole lane), and a block is one transaction, so two workers that pick
// the same candidate cannot both commit: the loser's statement fails as a conflict and is retried
// (measured with two workers: 12–31 conflicts per 1,000 jobs). One job's claim, in one process: 3.1 ms as one
// statement, 3.8 ms as the SELECT + compare-and-set it replaced (interleaved, same run).
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

/** Ready rows a claim reads beyond what it wants: room to skip jobs that must run alone. */
const EXTRA_CANDIDATES = 8;
/** Due delayed jobs are moved to `ready` at most this often per store (unless promoteSoon). */
const PROMOTE_EVERY_MS = 200;
/** A worker's claim never asks for more than this many jobs at once. */
export const MAX_CLAIM = 64;

// A SELECT whose ORDER BY follows the (lane, n) index and whose WHERE is exactly the index prefix:
// a forward index scan that stops after LIMIT rows. As a top-level LET, inside UPDATE (…), ordered
// by anything else, or with one more condition (see schema.ts), the engine sorts or filters wrongly;
// inside a block `{ … }` it keeps the plan (see the header).
export function claimCandidatesSql(limit: number): string {
  return `SELECT id, lane, n, crashes FROM command WHERE lane = 'ready' ORDER BY lane, n LIMIT ${limit}`;
}
/** The candidate read of a one-job claim, for EXPLAIN in tests. */
export const CLAIM_CANDIDATES_SQL = claimCandidatesSql(1 + EXTRA_CANDIDATES);

/** The row fields a Lease is made of. */
const LEASE_FIELDS = "id, attempts, max_attempts, name, args, crashes";

/**
 * Up to $max ready jobs for $owner, oldest first by priority, in one statement. `$alone`: the
 * worker runs nothing now, so a job that was running when a worker died (crashes > 0) may be
 * taken, by itself; otherwise such jobs are skipped.
 */
function claimBlock(limit: number): string {
  // The UPDATE is a statement of the block, not an expression (`LET $x = UPDATE …`, `.map(|$x|
  // UPDATE …)`): a block whose writes are all inside expressions runs read-only and fails.
  return `{
  LET $c = (${claimCandidatesSql(limit)});
  LET $pick = IF $alone AND $c[0].crashes > 0 THEN [$c[0]]
    ELSE array::slice($c.filter(|$x| !($x.crashes > 0)), 0, $max) END;
  UPDATE $pick.id SET status = 'running', lane = 'running', attempts += 1,
      lease_owner = $owner, lease_until = time::now() + duration::from_millis($lease_ms),
      started = time::now(), updated = time::now()
    WHERE lane = 'ready' RETURN ${LEASE_FIELDS};
}`;
}

/** Due delayed jobs to `ready`, oldest first, in one statement. */
const PROMOTE_SQL = `{
  LET $due = (SELECT id, lane, n FROM command WHERE lane = 'delayed' AND n <= $now_ms ORDER BY lane, n LIMIT 50);
  UPDATE $due.id SET lane = 'ready', n = ${claimKeySql("n")}
    WHERE lane = 'delayed' AND run_after <= time::now() RETURN id;
}`;

/**
 * In the done lane `n` is the time the job finished (ms, database clock), so retention reads the
 * oldest finished jobs from the same index, however many there are.
 */
export const DONE_N = "time::millis(time::now())";

/** What a claim asks for: how many jobs, and whether the worker runs nothing else now. */
export interface ClaimRequest {
  max: number;
  alone?: boolean | undefined;
}

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

function toLease(owner: string, row: CommandRow): Lease {
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

function toLeases(owner: string, rows: unknown): Lease[] {
  return Array.isArray(rows) ? (rows as CommandRow[]).map((r) => toLease(owner, r)) : [];
}

/**
 * One UPDATE that completes every job given, each fenced by its own attempt (and the owner), with
 * its own result: per-record values are looked up by record key in bound objects.
 */
function completeStatement(done: Array<{ lease: Lease; result: unknown }>): {
  sql: string;
  vars: Record<string, unknown>;
} {
  const attempts: Record<string, number> = {};
  const results: Record<string, unknown> = {};
  for (const { lease, result } of done) {
    const key = String((lease.id as RecordId).id);
    attempts[key] = lease.attempt;
    results[key] = result ?? null;
  }
  return {
    sql: `UPDATE $done_ids SET status = 'completed', lane = 'done', n = ${DONE_N},
      result = $done_results[record::id(id)], lease_owner = NONE, lease_until = NONE, finished = time::now(),
      error_message = NONE, error_kind = NONE,
      progress = { fraction: 1, stage: 'done', message: 'completed' }, updated = time::now()
    WHERE status = 'running' AND lease_owner = $done_owner AND attempts = $done_attempts[record::id(id)] RETURN id`,
    vars: {
      done_ids: done.map((d) => d.lease.id),
      done_owner: done[0]!.lease.owner,
      done_attempts: attempts,
      done_results: results,
    },
  };
}

function completedIds(rows: unknown): Set<string> {
  return new Set(Array.isArray(rows) ? (rows as CommandRow[]).map((r) => idText(r.id)) : []);
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

  /** The next claim promotes due delayed jobs, however recently the last one did. */
  promoteSoon(): void {
    this.#lastPromote = 0;
  }

  /** Moves delayed jobs whose run_after has passed to `ready`, oldest first; returns how many. */
  async promoteDue(): Promise<number> {
    this.#lastPromote = Date.now();
    const query = () => this.#db.query<[unknown[]]>(PROMOTE_SQL, { now_ms: Date.now() }).collect();
    const [moved] = await withConflictRetry(query);
    return moved.length;
  }

  /** The statements (and their variables) a claim adds to a query: promotion first when it is due. */
  #claimPart(owner: string, req: ClaimRequest): { sql: string; vars: Record<string, unknown>; statements: number } {
    const max = Math.max(0, Math.min(MAX_CLAIM, Math.floor(req.max)));
    const promote = Date.now() - this.#lastPromote >= PROMOTE_EVERY_MS;
    if (promote) this.#lastPromote = Date.now();
    return {
      sql: `${promote ? `${PROMOTE_SQL};\n` : ""}${claimBlock(max + EXTRA_CANDIDATES)};`,
      vars: { owner, max, alone: req.alone !== false, lease_ms: this.#leaseMs, now_ms: Date.now() },
      statements: promote ? 2 : 1,
    };
  }

  /**
   * Up to `max` of the oldest runnable jobs (by priority), in one statement and one round trip.
   * `alone`: the worker runs nothing else now, so it may take a job that was running when a worker
   * died (crashes > 0): such a job runs by itself (it is then the only one claimed), so if it kills
   * its worker again, no other job goes down with it. Due delayed jobs are promoted in the same
   * round trip (at most every PROMOTE_EVERY_MS).
   */
  async claim(owner: string, req: ClaimRequest): Promise<Lease[]> {
    if (req.max < 1) return [];
    const part = this.#claimPart(owner, req);
    const results = await withConflictRetry(() => this.#db.query<unknown[]>(part.sql, part.vars).collect());
    return toLeases(owner, results.at(-1));
  }

  /** The oldest runnable job this worker may take (see claim). */
  async claimNext(owner: string, opts: { alone?: boolean } = {}): Promise<Lease | undefined> {
    return (await this.claim(owner, { max: 1, alone: opts.alone }))[0];
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
    const row = await this.#fenced(lease, "lease_until = time::now() + duration::from_millis($lease_ms)", {
      lease_ms: this.#leaseMs,
    });
    return { held: row !== undefined, cancelRequested: row?.cancel_requested === true };
  }

  async progress(lease: Lease, p: JobProgress): Promise<boolean> {
    return (await this.#fenced(lease, "progress = $p", { p })) !== undefined;
  }

  async complete(lease: Lease, result: unknown): Promise<boolean> {
    return (await this.#completeMany([{ lease, result }])).has(lease.jobId);
  }

  /**
   * Completes jobs (all held by one owner: one worker's) and, when `next` asks for jobs, claims them in the same round
   * trip (see claim): a busy worker's steady state is one round trip for the jobs that finished
   * together and their successors. The completion is one statement whatever the count (measured:
   * 8 jobs in one UPDATE ~0.4–0.8 ms of engine time each, one at a time ~1.7 ms each). Two
   * statements, so a claim that loses a conflict to another worker does not undo the completions:
   * the claim then returns none (the worker loop claims again). The progress reads done, not the
   * last stage's words. `completed`: the job ids completed; one missing had lost its lease.
   */
  async completeAndClaim(
    done: Array<{ lease: Lease; result: unknown }>,
    next?: ClaimRequest,
  ): Promise<{ completed: Set<string>; claimed: Lease[] }> {
    const owner = done[0]?.lease.owner;
    if (owner === undefined) return { completed: new Set(), claimed: [] };
    const claim = next && next.max >= 1 ? this.#claimPart(owner, next) : undefined;
    const complete = completeStatement(done);
    const sql = `${complete.sql};\n${claim?.sql ?? ""}`;
    const [first, ...rest] = await this.#db.query<unknown[]>(sql, { ...claim?.vars, ...complete.vars }).responses();
    const last = rest.at(-1);
    const claimed = last?.success ? toLeases(owner, last.result) : [];
    if (first?.success) return { completed: completedIds(first.result), claimed };
    // The completion failed (a conflict, or worse) and the claim may have held: retry the completion
    // alone; if that fails too, hand the new jobs back before passing the error on.
    try {
      return { completed: await this.#completeMany(done), claimed };
    } catch (err) {
      await Promise.all(claimed.map((l) => this.release(l).catch(() => false)));
      throw err;
    }
  }

  async #completeMany(done: Array<{ lease: Lease; result: unknown }>): Promise<Set<string>> {
    if (done.length === 0) return new Set();
    const { sql, vars } = completeStatement(done);
    const [rows] = await withConflictRetry(() => this.#db.query<[unknown]>(sql, vars).collect());
    return completedIds(rows);
  }

  async canceled(lease: Lease, message: string): Promise<boolean> {
    const row = await this.#fenced(
      lease,
      `status = 'canceled', lane = 'done', n = ${DONE_N}, error_message = $msg, error_kind = 'canceled',
       lease_owner = NONE, lease_until = NONE, finished = time::now()`,
      { msg: message },
    );
    return row !== undefined;
  }

  /**
   * A handler threw. Retryable kinds go back to pending after a backoff until max_attempts;
   * everything else fails at once. Returns the status written, or "lost" when the lease was gone.
   */
  async fail(
    lease: Lease,
    kind: ErrorKind,
    message: string,
    policy: RetryPolicy,
    retryAfterMs?: number,
  ): Promise<"pending" | "failed" | "lost"> {
    const retry = isRetryableKind(kind) && lease.attempt < lease.maxAttempts;
    if (retry) {
      const delay = Math.max(retryAfterMs ?? 0, backoffMs(lease.attempt, policy.baseDelayMs, policy.maxDelayMs));
      const at = Date.now() + delay;
      const row = await this.#fenced(
        lease,
        `status = 'pending', lane = 'delayed', run_after = time::now() + duration::from_millis($delay), n = $at,
         lease_owner = NONE, lease_until = NONE, error_message = $msg, error_kind = $kind`,
        {
          delay,
          at,
          msg: `${message} (attempt ${lease.attempt} of ${lease.maxAttempts}; retrying in ${Math.ceil(delay / 1000)} s)`,
          kind,
        },
      );
      return row ? "pending" : "lost";
    }
    const why = isRetryableKind(kind) ? ` (gave up after ${lease.attempt} attempts)` : "";
    const row = await this.#fenced(
      lease,
      `status = 'failed', lane = 'done', n = ${DONE_N}, error_message = $msg, error_kind = $kind, lease_owner = NONE,
       lease_until = NONE, finished = time::now()`,
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
    const lanes = ["ready", "delayed", "running"]
      .map((l) => `SELECT id FROM command WHERE lane = '${l}' LIMIT 1;`)
      .join(" ");
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
             run_after = time::now(),
             n = IF cancel_requested OR crashes + 1 >= $max THEN ${DONE_N} ELSE ${claimKeySql("$at")} END,
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
        .query<[CommandRow[]]>(
          "SELECT id, lane, lease_until FROM command WHERE lane = 'running' AND lease_until < time::now()",
        )
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
               run_after = time::now(),
               n = IF attempts >= max_attempts OR cancel_requested THEN ${DONE_N} ELSE ${claimKeySql("$at")} END,
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
