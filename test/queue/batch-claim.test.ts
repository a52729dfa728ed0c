// The batch statements on the real embedded engine: a claim of up to N jobs in one statement keeps
// priority/age order, fencing and the `alone` rule; a completion claims the next jobs in the same
// round trip; submitMany writes all jobs or none; racing claimers never take one job twice.
import { describe, expect, it } from "vitest";
import { jobRecordId } from "../../src/core/ids.js";
import type { Db } from "../../src/db/index.js";
import { AppError } from "../../src/errors.js";
import { LeaseStore, type Queue, type Lease } from "../../src/queue/index.js";
import { countRows, useQueueDb } from "./db.js";

let db: Db;
let queue: Queue;

useQueueDb((d, q) => {
  db = d;
  queue = q;
});

async function clearQueue(): Promise<void> {
  await db.query("DELETE command").collect();
}

const store = () => new LeaseStore(db, { leaseMs: 60_000 });
const ids = (leases: Lease[]) => leases.map((l) => l.jobId);

/** Marks a pending job as one whose worker died while running it (what handBack leaves). */
async function markCrashed(jobId: string): Promise<void> {
  await db.query("UPDATE $id SET crashes = 1", { id: jobRecordId(jobId) }).collect();
}

describe("claim of several jobs in one statement", () => {
  it("takes the best N by priority, then age, and leaves the rest in order", async () => {
    await clearQueue();
    const s = store();
    const low = await queue.submit("noop", { k: "low" }, { priority: -5 });
    const a = await queue.submit("noop", { k: "a" });
    const b = await queue.submit("noop", { k: "b" });
    const urgent = await queue.submit("noop", { k: "urgent" }, { priority: 7 });
    const c = await queue.submit("noop", { k: "c" });
    const runAfter = new Date(Date.now() + 60_000);
    const later = await queue.submit("noop", { k: "later" }, { runAfter, priority: 100 });
    const first = await s.claim("w", { max: 3 });
    expect(ids(first)).toEqual([urgent.job_id, a.job_id, b.job_id]);
    for (const l of first) {
      expect(l).toMatchObject({ owner: "w", attempt: 1, maxAttempts: 3, name: "noop", crashes: 0 });
    }
    expect(first[0]!.args).toEqual({ k: "urgent" });
    const rest = await s.claim("w", { max: 10 });
    expect(ids(rest)).toEqual([c.job_id, low.job_id]);
    expect(await s.claim("w", { max: 10 })).toEqual([]);
    expect((await queue.status(later.job_id)).status).toBe("pending");
    const running = await queue.statuses([...ids(first), ...ids(rest)]);
    for (const st of running.values()) expect(st).toMatchObject({ status: "running", attempts: 1 });
  });

  it("max 0 claims nothing and makes no write", async () => {
    await clearQueue();
    const { job_id } = await queue.submit("noop", {});
    expect(await store().claim("w", { max: 0 })).toEqual([]);
    expect((await queue.status(job_id)).status).toBe("pending");
  });

  it("busy (alone false): jobs that must run alone are skipped, the others taken in order", async () => {
    await clearQueue();
    const s = store();
    const crashed = await queue.submit("noop", { k: "crashed" });
    const x = await queue.submit("noop", { k: "x" });
    const y = await queue.submit("noop", { k: "y" });
    await markCrashed(crashed.job_id);
    expect(ids(await s.claim("busy", { max: 5, alone: false }))).toEqual([x.job_id, y.job_id]);
    expect((await queue.status(crashed.job_id)).status).toBe("pending");
  });

  it("idle (alone true): a job that must run alone at the head is claimed by itself", async () => {
    await clearQueue();
    const s = store();
    const crashed = await queue.submit("noop", { k: "crashed" });
    const x = await queue.submit("noop", { k: "x" });
    await markCrashed(crashed.job_id);
    const got = await s.claim("idle", { max: 4, alone: true });
    expect(ids(got)).toEqual([crashed.job_id]);
    expect(got[0]!.crashes).toBe(1);
    expect((await queue.status(x.job_id)).status).toBe("pending");
  });

  it("idle, with such a job behind others: the others are claimed; it waits for an idle worker", async () => {
    await clearQueue();
    const s = store();
    const x = await queue.submit("noop", { k: "x" });
    const crashed = await queue.submit("noop", { k: "crashed" });
    const y = await queue.submit("noop", { k: "y" });
    await markCrashed(crashed.job_id);
    expect(ids(await s.claim("idle", { max: 4, alone: true }))).toEqual([x.job_id, y.job_id]);
    expect(ids(await s.claim("other", { max: 4, alone: true }))).toEqual([crashed.job_id]);
  });

  it("fencing: a batch claim's leases lose every write once another worker took the job over", async () => {
    await clearQueue();
    const short = new LeaseStore(db, { leaseMs: 200 });
    await queue.submit("noop", { k: 1 });
    await queue.submit("noop", { k: 2 });
    const stale = await short.claim("worker-a", { max: 2 });
    expect(stale).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(await short.reapExpired()).toBe(2);
    const fresh = await store().claim("worker-b", { max: 2 });
    expect(fresh.map((l) => l.attempt)).toEqual([2, 2]);
    const out = await short.completeAndClaim(stale.map((lease) => ({ lease, result: { stale: true } })));
    expect(out.completed.size).toBe(0);
    expect((await short.heartbeat(stale[0]!)).held).toBe(false);
    for (const st of (await queue.statuses(ids(fresh))).values()) {
      expect(st).toMatchObject({ status: "running", result: null });
    }
  });

  it("submitMany writes every job in one statement, each checked; a bad one writes none", async () => {
    await clearQueue();
    const made = await queue.submitMany("sleep", [{ ms: 1 }, { ms: 2 }, { ms: 3 }], { priority: 3 });
    expect(made).toHaveLength(3);
    const claimed = await store().claim("w", { max: 5 });
    expect(claimed.map((l) => l.args)).toEqual([{ ms: 1 }, { ms: 2 }, { ms: 3 }]);
    const bad = await queue.submitMany("sleep", [{ ms: 1 }, { ms: "soon" }]).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).field).toBe("args.ms");
    const keyed = await queue.submitMany("noop", [{}], { idempotencyKey: "k" } as never).catch((e: unknown) => e);
    expect((keyed as AppError).field).toBe("idempotency_key");
    const many = await queue
      .submitMany(
        "noop",
        Array.from({ length: 1_001 }, () => ({})),
      )
      .catch((e: unknown) => e);
    expect((many as AppError).kind).toBe("invalid_input");
    expect(await countRows(db, "command")).toBe(3);
  });
});

describe("complete and claim in one round trip", () => {
  it("completes the jobs given, claims the next ones in order, and the progress reads done", async () => {
    await clearQueue();
    const s = store();
    const jobs = await queue.submitMany(
      "noop",
      Array.from({ length: 5 }, (_, i) => ({ i })),
    );
    const first = await s.claim("w", { max: 2 });
    expect(ids(first)).toEqual(jobs.slice(0, 2));
    await s.progress(first[0]!, { fraction: 0.9, stage: "assembling audio", message: "almost" });
    const out = await s.completeAndClaim(
      first.map((lease, i) => ({ lease, result: { n: i } })),
      { max: 2, alone: false },
    );
    expect([...out.completed].sort()).toEqual([...jobs.slice(0, 2)].sort());
    expect(ids(out.claimed)).toEqual(jobs.slice(2, 4));
    const done = await queue.status(jobs[0]!);
    expect(done).toMatchObject({ status: "completed", result: { n: 0 }, lease_until: null, error_message: null });
    expect(done.progress).toEqual({ fraction: 1, stage: "done", message: "completed" });
    expect((await queue.status(jobs[1]!)).result).toEqual({ n: 1 });
    // Nothing asked: nothing claimed; a short claim says the queue is empty.
    const last = await s.completeAndClaim([{ lease: out.claimed[0]!, result: null }]);
    expect(last.claimed).toEqual([]);
    const tail = await s.completeAndClaim([{ lease: out.claimed[1]!, result: null }], { max: 3 });
    expect(ids(tail.claimed)).toEqual([jobs[4]]);
  });

  it("a lost lease among several: only the held ones complete", async () => {
    await clearQueue();
    const s = store();
    await queue.submitMany("noop", [{}, {}]);
    const [held, lost] = await s.claim("w", { max: 2 });
    // Another owner has `lost` now (what a takeover leaves).
    await db.query("UPDATE $id SET lease_owner = 'other'", { id: lost!.id }).collect();
    const out = await s.completeAndClaim([
      { lease: held!, result: 1 },
      { lease: lost!, result: 2 },
    ]);
    expect([...out.completed]).toEqual([held!.jobId]);
    expect((await queue.status(lost!.jobId)).status).toBe("running");
  });
});

describe("racing claimers", () => {
  it("batch claims and complete-and-claims from four claimers at once never take one job twice", async () => {
    await clearQueue();
    const N = 120;
    await queue.submitMany(
      "noop",
      Array.from({ length: N }, () => ({})),
    );
    const taken: string[] = [];
    const claimer = async (owner: string) => {
      const s = store();
      let mine = await s.claim(owner, { max: 3 });
      while (mine.length > 0) {
        taken.push(...ids(mine));
        const out = await s.completeAndClaim(
          mine.map((lease) => ({ lease, result: owner })),
          { max: 3, alone: false },
        );
        expect(out.completed.size).toBe(mine.length);
        // A claim that lost its conflict returns none though jobs remain: claim again.
        mine = out.claimed.length > 0 ? out.claimed : await s.claim(owner, { max: 3 });
      }
    };
    await Promise.all(["a", "b", "c", "d"].map(claimer));
    expect(taken).toHaveLength(N);
    expect(new Set(taken).size).toBe(N);
    const [rows] = await db
      .query<[Array<{ attempts: number; status: string }>]>("SELECT attempts, status FROM command")
      .collect();
    expect(rows).toHaveLength(N);
    for (const r of rows) expect(r).toEqual({ attempts: 1, status: "completed" });
  });
});
