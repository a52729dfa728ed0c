// The worker loop: claims jobs up to `concurrency`, runs their handlers, keeps their leases alive,
// takes back jobs whose worker died, and turns each handler's outcome into the job's final state.
// It wakes on a LIVE query when a job arrives and polls as a backstop (LIVE notifications are
// not replayed after a reconnect, and jobs made before the subscription exist too).
//
// Round trips are what a job costs here (~1 ms each through the local DB host), so a worker claims
// all its free slots in one statement, and a job that completes claims its successor in the same
// round trip: a busy worker's steady state is one round trip per job. A claim that comes back
// short means the queue had no more; the worker then claims again only when told of new work
// (LIVE, the poll, a reap), not every time a slot frees. Jobs that finish together complete in
// one statement. And a worker holds its LIVE query only while it waits for work: every write to
// the table costs the engine ~0.4 ms per LIVE query on it, matching or not (measured), so a busy
// worker, which claims from a backlog anyway, drops it and subscribes again once it goes hungry.
import { randomBytes } from "node:crypto";
import os from "node:os";
import { Table, inside, type LiveSubscription } from "surrealdb";
import type { Db } from "../db/connect.js";
import { AppError, errorKind, errorMessage } from "../errors.js";
import type { Logger } from "../log.js";
import { backoffMs } from "../core/resilience/backoff.js";
import { sleep } from "../core/resilience/sleep.js";
import { retryPolicyOf, type CommandDefinition, type JobContext } from "../queue/command.js";
import type { HandlerRegistry } from "./handlers.js";
import { LeaseStore, type ClaimRequest, type Lease } from "../queue/lease.js";
import { Retention, RETENTION_EVERY_MS } from "../queue/retention.js";
import { progressWriter } from "./progress-writer.js";

export interface WorkerOptions {
  db: Db;
  registry: HandlerRegistry;
  concurrency: number;
  leaseMs?: number;
  pollMs?: number;
  log: Logger;
  workerId?: string;
  /** Finished jobs older than this many days are deleted (see queue/retention.ts); 0 or absent: kept. */
  retentionDays?: number;
}

type EndReason = "canceled" | "lost" | "shutdown";

interface Running {
  lease: Lease;
  ac: AbortController;
  reason: EndReason | undefined;
  /** The handler returned or threw: its final write is under way, so heartbeats leave it alone. */
  settling: boolean;
  /** Set by the completion write: false when the lease had been taken over. */
  completed?: boolean;
  done: Promise<void>;
}

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_POLL_MS = 1_000;
/** How long a final write (complete, fail, release) keeps trying while the database is unreachable. */
const PERSIST_FOR_MS = 30_000;
/** A worker busy (no slot free, or a backlog) this long drops its LIVE query (see the header). */
const LIVE_DROP_AFTER_MS = 2_000;
/** How often a worker asks whether it is its turn to purge old jobs (the turn comes every 5 min). */
const RETENTION_CHECK_MS = 60_000;

/** Waits for p or ms, whichever is first, without leaving a timer that holds the process open. */
async function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((r) => (t = setTimeout(r, ms)))]);
  clearTimeout(t);
}

export class Worker {
  readonly id: string;
  readonly #db: Db;
  readonly #registry: HandlerRegistry;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #heartbeatMs: number;
  readonly #reapMs: number;
  readonly #log: Logger;
  readonly #store: LeaseStore;
  readonly #retention: Retention;
  readonly #retentionDays: number;
  readonly #active = new Map<string, Running>();
  /** Slots promised to claims in flight (the loop's, or a completion's). */
  #reserved = 0;
  /** Bumped whenever work may have arrived (LIVE, poll, reap); a short claim records the value it started at. */
  #workSeq = 1;
  #emptyAt = 0;
  #delayedTimer: { at: number; t: NodeJS.Timeout } | undefined;
  /** When the worker last waited for work with a slot free (it needs its LIVE query then). */
  #hungryAt = Date.now();
  #subscribing: Promise<void> | undefined;
  /** The database refused a LIVE query once: poll only, do not ask again at every wait. */
  #liveUnavailable = false;
  /** Completions waiting to be written together (see #flush). */
  #completions: Array<{ r: Running; result: unknown; settle: (err?: unknown) => void }> = [];
  #flushing = false;
  #stopping = false;
  #woken = false;
  #wakeFn: (() => void) | undefined;
  #loopDone: Promise<void> | undefined;
  #timers: NodeJS.Timeout[] = [];
  #live: LiveSubscription | undefined;
  #heartbeating = false;

  constructor(opts: WorkerOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1)
      throw new AppError("invalid_input", "concurrency: must be a whole number of at least 1", {
        field: "concurrency",
      });
    const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.id = opts.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    this.#db = opts.db;
    this.#registry = opts.registry;
    this.#concurrency = opts.concurrency;
    this.#pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
    // Cancel must reach a running handler within a second: the heartbeat carries the flag back.
    this.#heartbeatMs = Math.min(500, Math.max(50, Math.floor(leaseMs / 3)));
    this.#reapMs = Math.min(5_000, Math.max(200, Math.floor(leaseMs / 2)));
    this.#log = opts.log.child({ worker: this.id });
    this.#store = new LeaseStore(opts.db, { leaseMs });
    this.#retention = new Retention(opts.db);
    this.#retentionDays = opts.retentionDays ?? 0;
  }

  /** Jobs this worker is running now. */
  get running(): number {
    return this.#active.size;
  }

  /** Resolves once the worker has run no job for `ms` on end. */
  idleFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let idleSince = Date.now();
      const t = setInterval(
        () => {
          if (this.#active.size > 0 || this.#stopping) idleSince = Date.now();
          else if (Date.now() - idleSince >= ms) {
            clearInterval(t);
            resolve();
          }
        },
        Math.max(50, Math.min(1_000, Math.floor(ms / 4))),
      );
      t.unref();
    });
  }

  async start(): Promise<void> {
    await this.#subscribe();
    this.#timers.push(setInterval(() => void this.#heartbeatAll(), this.#heartbeatMs));
    this.#timers.push(setInterval(() => void this.#dropLiveIfBusy(), LIVE_DROP_AFTER_MS / 2));
    this.#timers.push(setInterval(() => void this.#reap(), this.#reapMs));
    void this.#reap();
    if (this.#retentionDays > 0) {
      this.#timers.push(setInterval(() => void this.#purge(), RETENTION_CHECK_MS));
      void this.#purge();
    }
    this.#loopDone = this.#loop();
    this.#log.info({ concurrency: this.#concurrency, commands: this.#registry.names() }, "worker started");
  }

  /** Stops claiming, lets running handlers finish for graceMs, then aborts and releases the rest. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#wake();
    // A claim stuck on an unreachable database must not hold the shutdown; the loop hands back
    // whatever that claim returns once it does.
    await settleWithin(this.#loopDone ?? Promise.resolve(), Math.min(graceMs, 2_000));
    const all = () => Promise.all([...this.#active.values()].map((r) => r.done));
    await settleWithin(all(), graceMs);
    for (const r of this.#active.values())
      this.#abort(
        r,
        "shutdown",
        new AppError("canceled", "the worker is shutting down; the job goes back to the queue"),
      );
    await settleWithin(all(), 2_000);
    // A handler that ignores its AbortSignal: hand its job back anyway; its late writes are fenced out.
    await Promise.all(
      [...this.#active.values()].map((r) =>
        this.#persist("release", () => this.#store.release(r.lease)).catch(() => undefined),
      ),
    );
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    clearTimeout(this.#delayedTimer?.t);
    this.#delayedTimer = undefined;
    await this.#subscribing?.catch(() => undefined);
    if (this.#live)
      await settleWithin(
        this.#live.kill().catch(() => undefined),
        1_000,
      );
    this.#live = undefined;
    this.#log.info("worker stopped");
  }

  #subscribe(): Promise<void> {
    this.#subscribing ??= (async () => {
      try {
        // Only jobs that become runnable (ready) or wait (delayed), and only the fields needed: with
        // `LIVE SELECT *` every claim and completion reached every worker, a whole record each.
        const live = await this.#db
          .live(new Table("command"))
          .fields("id", "lane", "n")
          .where(inside("lane", ["ready", "delayed"]));
        live.subscribe((msg) => {
          if (msg.action !== "CREATE" && msg.action !== "UPDATE") return;
          if (msg.value.lane === "ready") this.#newWork();
          else if (msg.value.lane === "delayed") this.#wakeAt(Number(msg.value.n));
        });
        this.#live = live;
      } catch (err) {
        this.#liveUnavailable = true;
        this.#log.warn({ err }, "LIVE query unavailable; polling only");
      } finally {
        this.#subscribing = undefined;
      }
    })();
    return this.#subscribing;
  }

  /** Hungry again: subscribe, then claim once more for jobs that arrived before the subscription. */
  async #ensureLive(): Promise<void> {
    this.#hungryAt = Date.now();
    if (this.#live || this.#stopping || this.#liveUnavailable) return;
    await this.#subscribe();
    if (this.#live) this.#newWork();
  }

  async #dropLiveIfBusy(): Promise<void> {
    if (!this.#live || this.#subscribing || Date.now() - this.#hungryAt < LIVE_DROP_AFTER_MS) return;
    const live = this.#live;
    this.#live = undefined;
    await live.kill().catch((err: unknown) => this.#log.debug({ err: errorMessage(err) }, "LIVE kill failed"));
  }

  /** A job may be waiting: claim again even after a claim that came back short. */
  #newWork(): void {
    this.#workSeq++;
    this.#wake();
  }

  /** A delayed job is due at `at` (ms): wake then and promote it, rather than at the next poll. */
  #wakeAt(at: number): void {
    if (!Number.isFinite(at) || this.#stopping) return;
    if (this.#delayedTimer && this.#delayedTimer.at <= at) return;
    clearTimeout(this.#delayedTimer?.t);
    const t = setTimeout(
      () => {
        this.#delayedTimer = undefined;
        this.#store.promoteSoon();
        this.#newWork();
      },
      Math.max(0, at - Date.now()) + 5,
    );
    t.unref();
    this.#delayedTimer = { at, t };
  }

  #wake(): void {
    this.#woken = true;
    this.#wakeFn?.();
  }

  /** Waits for a wake (new job, free slot, stop) or ms, whichever comes first; true when the time ran out. */
  async #idle(ms: number): Promise<boolean> {
    if (this.#woken || this.#stopping) return false;
    let timedOut = false;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timedOut = true;
        done();
      }, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.#wakeFn = done;
    });
    this.#wakeFn = undefined;
    return timedOut;
  }

  /** A job that was running when a worker died runs alone: nothing else is claimed beside it. */
  #isolated(except: ReadonlySet<string>): boolean {
    for (const [jobId, r] of this.#active) if (!except.has(jobId) && r.lease.crashes > 0) return true;
    return false;
  }

  /**
   * What the next claim may ask for, its slots reserved, or undefined when it should not claim:
   * no free slot, a job that must run alone, no sign of work since the last short claim, stopping.
   * `finishing`: jobs whose slots the claim may take (their completion carries the claim).
   */
  #reserve(finishing: ReadonlySet<string> = new Set()): (ClaimRequest & { seq: number }) | undefined {
    if (this.#stopping || this.#workSeq <= this.#emptyAt || this.#isolated(finishing)) return undefined;
    const running = this.#active.size - finishing.size;
    const max = this.#concurrency - running - this.#reserved;
    if (max <= 0) return undefined;
    const alone = running === 0 && this.#reserved === 0;
    this.#reserved += max;
    return { max, alone, seq: this.#workSeq };
  }

  /** A claim came back: free its reserved slots, note a short one, and run (or hand back) what it got. */
  async #claimed(req: ClaimRequest & { seq: number }, leases: Lease[]): Promise<void> {
    this.#reserved -= req.max;
    if (leases.length < req.max) this.#emptyAt = Math.max(this.#emptyAt, req.seq);
    if (this.#stopping) {
      // stop() came while this claim was in flight: hand the jobs straight back.
      const back = (l: Lease) => this.#persist("release", () => this.#store.release(l)).catch(() => undefined);
      await Promise.all(leases.map(back));
      return;
    }
    for (const lease of leases) this.#start(lease);
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      this.#woken = false;
      const req = this.#reserve();
      if (!req) {
        const hungry = this.#workSeq <= this.#emptyAt && this.#active.size + this.#reserved < this.#concurrency;
        if (hungry && !this.#stopping) {
          await this.#ensureLive();
          if (this.#woken) continue;
        }
        // The poll is the backstop for a missed LIVE notification: its timeout counts as new work.
        if (await this.#idle(this.#pollMs)) this.#workSeq++;
        continue;
      }
      let leases: Lease[];
      try {
        leases = await this.#store.claim(this.id, req);
      } catch (err) {
        this.#reserved -= req.max;
        this.#log.warn({ err: errorMessage(err) }, "claim failed; retrying");
        await this.#idle(Math.min(this.#pollMs, 500));
        continue;
      }
      await this.#claimed(req, leases);
    }
  }

  #start(lease: Lease): void {
    const r: Running = {
      lease,
      ac: new AbortController(),
      reason: undefined,
      settling: false,
      done: Promise.resolve(),
    };
    this.#active.set(lease.jobId, r);
    r.done = this.#execute(r)
      .catch((err: unknown) =>
        this.#log.error(
          { err, jobId: lease.jobId },
          "job bookkeeping failed; the lease will expire and the job run again",
        ),
      )
      .finally(() => {
        this.#active.delete(lease.jobId);
        this.#wake();
      });
  }

  #abort(r: Running, reason: EndReason, err: Error): void {
    if (r.reason) return;
    r.reason = reason;
    r.ac.abort(err);
  }

  async #execute(r: Running): Promise<void> {
    const { lease } = r;
    const log = this.#log.child({ jobId: lease.jobId, command: lease.name, attempt: lease.attempt });
    const runnable = this.#registry.get(lease.name);
    if (!runnable) {
      await this.#persist("fail", () =>
        this.#store.fail(
          lease,
          "invalid_input",
          `unknown command "${lease.name}": this worker runs ${this.#registry.names().join(", ")}`,
          retryPolicyOf({}),
        ),
      );
      return;
    }
    const def = runnable.definition;
    const parsed = def.input.safeParse(lease.args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = ["args", ...issue.path.map(String)].join(".");
      await this.#persist("fail", () =>
        this.#store.fail(lease, "invalid_input", `${field}: ${issue.message}`, retryPolicyOf(def)),
      );
      return;
    }
    const progress = progressWriter(this.#store, lease, log);
    const ctx: JobContext = {
      jobId: lease.jobId,
      attempt: lease.attempt,
      fence: { jobId: lease.jobId, owner: lease.owner, attempt: lease.attempt },
      signal: r.ac.signal,
      progress: progress.report,
      log,
    };
    log.debug("job started");
    try {
      const result = await runnable.handler(parsed.data, ctx);
      r.settling = true;
      progress.close();
      await this.#finishOk(r, result, log);
    } catch (err) {
      r.settling = true;
      progress.close();
      await this.#finishErr(r, def, err, log);
    }
  }

  async #finishOk(r: Running, result: unknown, log: Logger): Promise<void> {
    if (r.reason === "lost" || r.reason === "canceled") return; // the job's state was settled elsewhere
    const err = await new Promise<unknown>((settle) => {
      this.#completions.push({ r, result, settle });
      // Wait one turn of the event loop: jobs that finish together complete in one statement.
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
    if (err !== undefined) throw err;
    if (r.completed) log.debug("job completed");
    else log.warn("job finished but its lease was taken over; result discarded");
  }

  /**
   * Writes the waiting completions in one statement and claims the slots they free in the same
   * round trip; completions that arrive meanwhile go in the next. Should a retry follow an attempt
   * whose claim held but whose answer was lost (the connection dropped), those jobs wait for their
   * lease to expire, like any job of a vanished worker.
   */
  async #flush(): Promise<void> {
    while (this.#completions.length > 0) {
      const batch = this.#completions.splice(0);
      const next = this.#reserve(new Set(batch.map((b) => b.r.lease.jobId)));
      try {
        const done = batch.map((b) => ({ lease: b.r.lease, result: b.result }));
        const out = await this.#persist("complete", () => this.#store.completeAndClaim(done, next));
        if (next) await this.#claimed(next, out.claimed);
        for (const b of batch) {
          b.r.completed = out.completed.has(b.r.lease.jobId);
          b.settle();
        }
      } catch (err) {
        if (next) this.#reserved -= next.max;
        for (const b of batch) b.settle(err);
      }
    }
    this.#flushing = false;
  }

  async #finishErr(r: Running, def: CommandDefinition, err: unknown, log: Logger): Promise<void> {
    if (r.reason === "lost" || r.reason === "canceled") return;
    if (r.reason === "shutdown") {
      await this.#persist("release", () => this.#store.release(r.lease));
      return;
    }
    const kind = errorKind(err);
    const retryAfterMs = err instanceof AppError ? err.retryAfterMs : undefined;
    const outcome = await this.#persist("fail", () =>
      this.#store.fail(r.lease, kind, errorMessage(err), retryPolicyOf(def), retryAfterMs),
    );
    log.info({ kind, outcome, err: errorMessage(err) }, "job failed");
  }

  async #heartbeatAll(): Promise<void> {
    if (this.#heartbeating || this.#active.size === 0) return;
    this.#heartbeating = true;
    try {
      await Promise.all(
        [...this.#active.values()]
          .filter((r) => !r.reason && !r.settling)
          .map(async (r) => {
            try {
              const hb = await this.#store.heartbeat(r.lease);
              if (r.settling) return;
              if (!hb.held) {
                this.#log.warn(
                  { jobId: r.lease.jobId },
                  "lease lost (taken over or ended elsewhere); aborting the handler",
                );
                this.#abort(r, "lost", new AppError("canceled", "this worker lost the job's lease"));
              } else if (hb.cancelRequested) {
                this.#abort(r, "canceled", new AppError("canceled", "the job was canceled"));
                await this.#persist("cancel", () => this.#store.canceled(r.lease, "canceled while running"));
              }
            } catch (err) {
              this.#log.debug({ err: errorMessage(err), jobId: r.lease.jobId }, "heartbeat failed; will retry");
            }
          }),
      );
    } finally {
      this.#heartbeating = false;
    }
  }

  async #reap(): Promise<void> {
    if (this.#stopping) return;
    try {
      const n = await this.#store.reapExpired();
      if (n > 0) {
        this.#log.info({ jobs: n }, "took back jobs whose lease expired");
        this.#newWork();
      }
    } catch (err) {
      this.#log.debug({ err: errorMessage(err) }, "reap failed; will retry");
    }
  }

  async #purge(): Promise<void> {
    if (this.#stopping) return;
    try {
      const n = await this.#retention.runIfDue(this.#retentionDays, RETENTION_EVERY_MS);
      if (n) this.#log.info({ jobs: n, olderThanDays: this.#retentionDays }, "deleted old finished jobs");
    } catch (err) {
      this.#log.debug({ err: errorMessage(err) }, "retention failed; will retry");
    }
  }

  /** A final write must survive a database restart: retry it (with backoff) for a while. */
  async #persist<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + PERSIST_FOR_MS;
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (err) {
        if (Date.now() > deadline) throw err;
        this.#log.debug({ err: errorMessage(err), what }, "write failed; retrying");
        await sleep(backoffMs(i + 1, 50, 1_000));
      }
    }
  }
}
