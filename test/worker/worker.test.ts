// The Worker in-process against the real embedded engine (rocksdb://): outcomes, retries and
// backoff, cancel, lease recovery, shutdown, and two workers racing over one table.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/index.js";
import { silentLogger } from "../../src/log.js";
import { CommandRegistry, LeaseStore, Queue, type JobStatus } from "../../src/queue/index.js";
import { defineRunLog, TEST_COMMANDS, testHandlers } from "../../src/testing/commands.js";
import { HandlerRegistry } from "../../src/worker/handlers.js";
import { Worker } from "../../src/worker/worker.js";
import { stopAll, waitFor } from "../helpers/procs.js";
import { countRows, openTestDb } from "../queue/db.js";

let db: Db;
let queue: Queue;
const workers: Worker[] = [];

function handlers(): HandlerRegistry {
  const registry = new HandlerRegistry();
  for (const [definition, handler] of testHandlers({ db, dataDir: "." })) registry.register(definition, handler);
  return registry;
}

function newWorker(opts: { concurrency?: number; leaseMs?: number } = {}): Worker {
  const registry = handlers();
  const w = new Worker({
    db,
    registry,
    concurrency: opts.concurrency ?? 2,
    leaseMs: opts.leaseMs ?? 2_000,
    pollMs: 200,
    log: silentLogger,
  });
  workers.push(w);
  return w;
}

async function settled(jobId: string, timeoutMs = 20_000): Promise<JobStatus> {
  return waitFor(async () => {
    const s = await queue.status(jobId);
    return ["completed", "failed", "canceled"].includes(s.status) ? s : undefined;
  }, timeoutMs);
}

beforeAll(async () => {
  db = await openTestDb();
  await defineRunLog(db);
  queue = new Queue(db, new CommandRegistry(TEST_COMMANDS));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop(500)));
  await db?.close();
  await stopAll();
});

describe("one worker", () => {
  let w: Worker;
  beforeAll(async () => {
    w = newWorker();
    await w.start();
  });
  afterAll(async () => w.stop(500));

  it("runs a job to completed, with progress, and a watcher sees it happen", async () => {
    const seen: string[] = [];
    const { job_id } = await queue.submit("sleep", { ms: 600 }, { runAfter: new Date(Date.now() + 300) });
    const unwatch = await queue.watch(job_id, (s) => seen.push(s.status));
    const s = await settled(job_id);
    // The poll above can see "completed" before the LIVE notification of it arrives: wait for it.
    await waitFor(() => seen.at(-1) === "completed", 5_000);
    await unwatch();
    expect(s).toMatchObject({ status: "completed", result: { slept: 600 }, error_message: null, attempts: 1 });
    // Done reads done, not the last stage's words (issue 7 §5).
    expect(s.progress).toEqual({ fraction: 1, stage: "done", message: "completed" });
    expect(seen).toContain("running");
    expect(seen.at(-1)).toBe("completed");
  });

  it("a retryable error goes back with backoff, then succeeds", async () => {
    const { job_id } = await queue.submit("fail", { kind: "provider_transient", message: "TTS said 503", times: 2 });
    const s = await settled(job_id);
    expect(s).toMatchObject({ status: "completed", result: { succeeded_on_attempt: 3 }, attempts: 3 });
  });

  it("backoff: a retry waits at least half the base delay, growing", async () => {
    const { job_id } = await queue.submit("fail", { kind: "internal", message: "flaky", times: 1 });
    const retried = await waitFor(
      async () => {
        const [[row]] = await db
          .query<[[{ status: string; attempts: number; run_after: { toDate(): Date }; updated: { toDate(): Date } }]]>(
            "SELECT status, attempts, run_after, updated FROM $id",
            { id: (await import("../../src/core/ids.js")).jobRecordId(job_id) },
          )
          .collect();
        return row && row.attempts === 1 && row.status === "pending" ? row : undefined;
      },
      10_000,
      5,
    );
    // fail's policy: base 100 ms → first retry after 50–100 ms.
    const gap = retried.run_after.toDate().getTime() - retried.updated.toDate().getTime();
    expect(gap).toBeGreaterThanOrEqual(45);
    expect(gap).toBeLessThanOrEqual(110);
    const s = await settled(job_id);
    expect(s.status).toBe("completed");
  });

  it("a retryable error that never clears fails after max_attempts with a readable message", async () => {
    const { job_id } = await queue.submit(
      "fail",
      { kind: "provider_transient", message: "TTS said 503" },
      { maxAttempts: 3 },
    );
    const s = await settled(job_id);
    expect(s).toMatchObject({ status: "failed", attempts: 3 });
    expect(s.error_message).toBe("TTS said 503 (gave up after 3 attempts)");
  });

  it("a permanent error fails at once", async () => {
    const { job_id } = await queue.submit("fail", {
      kind: "provider_auth",
      message: "OPENAI_API_KEY was refused (401)",
    });
    const s = await settled(job_id);
    expect(s).toMatchObject({ status: "failed", attempts: 1, error_message: "OPENAI_API_KEY was refused (401)" });
  });

  it("cancel of a running job: the handler's signal fires and the job ends canceled within a second", async () => {
    const { job_id } = await queue.submit("sleep", { ms: 30_000 });
    await waitFor(async () => (await queue.status(job_id)).status === "running");
    const t = Date.now();
    const c = await queue.cancel(job_id);
    expect(c.status).toBe("running");
    const s = await settled(job_id, 5_000);
    const took = Date.now() - t;
    expect(s.status).toBe("canceled");
    expect(took).toBeLessThan(1_000);
    await waitFor(() => w.running === 0, 2_000);
  });
});

describe("waking", () => {
  it("a LIVE query wakes an idle worker at once; the poll is only a backstop", async () => {
    const registry = handlers();
    const before = await queue.submit("noop", { made: "before the worker" });
    const w = new Worker({ db, registry, concurrency: 1, pollMs: 60_000, log: silentLogger });
    workers.push(w);
    await w.start();
    expect((await settled(before.job_id, 5_000)).status).toBe("completed");
    await new Promise((r) => setTimeout(r, 300)); // idle now, with a minute until the next poll
    const t = Date.now();
    const { job_id } = await queue.submit("noop", {});
    expect((await settled(job_id, 5_000)).status).toBe("completed");
    expect(Date.now() - t).toBeLessThan(1_000);
    await w.stop(500);
  });
});

describe("waking without the poll", () => {
  it("a delayed job runs when it is due, not at the next poll", async () => {
    const w = new Worker({ db, registry: handlers(), concurrency: 1, pollMs: 60_000, log: silentLogger });
    workers.push(w);
    await w.start();
    try {
      const due = Date.now() + 400;
      const { job_id } = await queue.submit("noop", { k: "delayed" }, { runAfter: new Date(due) });
      const s = await settled(job_id, 10_000);
      expect(s.status).toBe("completed");
      // Woken by its own timer at run_after: well before the minute-long poll.
      expect(Date.now() - due).toBeLessThan(5_000);
    } finally {
      await w.stop(500);
    }
  });

  it("a worker busy long enough to drop its LIVE query subscribes again when it runs out of work", async () => {
    const w = new Worker({ db, registry: handlers(), concurrency: 1, pollMs: 60_000, log: silentLogger });
    workers.push(w);
    await w.start();
    try {
      // Busy for 3 s: past the 2 s after which a busy worker drops its LIVE query.
      const busy = await queue.submit("sleep", { ms: 3_000 });
      expect((await settled(busy.job_id, 15_000)).status).toBe("completed");
      await new Promise((r) => setTimeout(r, 300)); // idle now, with a minute until the next poll
      const t = Date.now();
      const { job_id } = await queue.submit("noop", { k: "after busy" });
      expect((await settled(job_id, 10_000)).status).toBe("completed");
      expect(Date.now() - t).toBeLessThan(5_000);
    } finally {
      await w.stop(500);
    }
  });
});

describe("leases and shutdown", () => {
  it("a job whose worker died is taken back after the lease and completes once", async () => {
    const dead = new LeaseStore(db, { leaseMs: 400 });
    const { job_id } = await queue.submit("record", {});
    const lease = await dead.claimNext("dead-worker");
    expect(lease?.jobId).toBe(job_id);
    const w = newWorker({ leaseMs: 400 });
    await w.start();
    const s = await settled(job_id);
    await w.stop(500);
    expect(s, JSON.stringify(s)).toMatchObject({ status: "completed", attempts: 2 });
    const [runs] = await db
      .query<[Array<{ attempt: number }>]>("SELECT attempt FROM run_log WHERE job = $job", { job: job_id })
      .collect();
    expect(runs.map((r) => r.attempt)).toEqual([2]);
  });

  it("stop() past its grace hands a running job back without counting the attempt", async () => {
    const w = newWorker();
    await w.start();
    const { job_id } = await queue.submit("sleep", { ms: 30_000 });
    await waitFor(async () => (await queue.status(job_id)).status === "running");
    await w.stop(200);
    expect(await queue.status(job_id)).toMatchObject({ status: "pending", attempts: 0, lease_until: null });
    await queue.cancel(job_id);
  });
});

describe("two workers racing", () => {
  it("every job runs exactly once (counted in run_log, not on the job)", async () => {
    await db.query("DELETE run_log").collect();
    const a = newWorker({ concurrency: 4 });
    const b = newWorker({ concurrency: 4 });
    await Promise.all([a.start(), b.start()]);
    const N = 150;
    const ids = await Promise.all(Array.from({ length: N }, () => queue.submit("record", {}).then((r) => r.job_id)));
    await waitFor(
      async () => {
        const [[row]] = await db
          .query<[[{ c: number }]]>(
            "SELECT count() AS c FROM command WHERE status = 'completed' AND name = 'record' GROUP ALL",
          )
          .collect();
        return (row?.c ?? 0) >= N + 1;
      },
      60_000,
      100,
    );
    await Promise.all([a.stop(500), b.stop(500)]);
    const [runs] = await db.query<[Array<{ job: string }>]>("SELECT job FROM run_log").collect();
    const perJob = new Map<string, number>();
    for (const r of runs) perJob.set(r.job, (perJob.get(r.job) ?? 0) + 1);
    expect(runs.length).toBe(N);
    for (const id of ids) expect(perJob.get(id)).toBe(1);
    expect(await countRows(db, "run_log")).toBe(N);
  });
});
