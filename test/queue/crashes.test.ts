// A worker process that dies: its supervisor hands its jobs back at once (LeaseStore.handBack).
// Jobs that only shared the worker are not charged an attempt; every job that was there counts the
// crash and from then on runs alone, so a job that kills its worker takes nothing else down with it;
// at MAX_CRASHES it is failed for good, saying why.
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/index.js";
import { LeaseStore, MAX_CRASHES, type Queue } from "../../src/queue/index.js";
import { useQueueDb } from "./db.js";

let db: Db;
let queue: Queue;

useQueueDb((d, q) => {
  db = d;
  queue = q;
});

async function clearPending(): Promise<void> {
  await db.query("DELETE command WHERE status IN ['pending', 'running']").collect();
}

describe("hand-back after a worker died", () => {
  it("puts its jobs back now, uncharged, with the cause and the stage; they run alone afterwards", async () => {
    await clearPending();
    const store = new LeaseStore(db, { leaseMs: 60_000 });
    const a = await queue.submit("noop", { k: "a" });
    const b = await queue.submit("noop", { k: "b" });
    const la = (await store.claimNext("dead-worker"))!;
    const lb = (await store.claimNext("dead-worker"))!;
    expect([la.jobId, lb.jobId].sort()).toEqual([a.job_id, b.job_id].sort());
    await store.progress(la, { fraction: 0.6, stage: "speech", message: "turn 3/9" });

    expect(await store.handBack("dead-worker", "signal SIGKILL")).toEqual({ requeued: 2, failed: 0 });
    const sa = await queue.status(a.job_id);
    expect(sa).toMatchObject({ status: "pending", attempts: 0 });
    expect(sa.error_message).toBe("its worker died (signal SIGKILL during speech); it runs again, alone");
    // The dead worker's fenced writes land nowhere.
    expect(await store.complete(la, { late: true })).toBe(false);

    // A busy worker does not take them; an idle one does, one at a time.
    const other = await queue.submit("noop", { k: "innocent" });
    expect((await store.claimNext("busy-worker", { alone: false }))?.jobId).toBe(other.job_id);
    expect(await store.claimNext("busy-worker", { alone: false })).toBeUndefined();
    const alone = (await store.claimNext("idle-worker", { alone: true }))!;
    expect([a.job_id, b.job_id]).toContain(alone.jobId);
    expect(alone).toMatchObject({ attempt: 1, crashes: 1 });
  });

  it("fails a job for good when it keeps killing its worker, naming the cause", async () => {
    await clearPending();
    const store = new LeaseStore(db, { leaseMs: 60_000 });
    const { job_id } = await queue.submit("noop", { k: "poison" });
    for (let i = 1; i <= MAX_CRASHES; i++) {
      const lease = (await store.claimNext(`w${i}`, { alone: true }))!;
      expect(lease.jobId).toBe(job_id);
      const back = await store.handBack(`w${i}`, "signal SIGSEGV");
      expect(back).toEqual(i < MAX_CRASHES ? { requeued: 1, failed: 0 } : { requeued: 0, failed: 1 });
    }
    const s = await queue.status(job_id);
    expect(s.status).toBe("failed");
    expect(s.error_message).toBe(
      `its worker died ${MAX_CRASHES} times while running it (last: signal SIGSEGV); it is not tried again`,
    );
    expect(await store.claimNext("w9", { alone: true })).toBeUndefined();
  });

  it("a job canceled while its worker was dying ends canceled", async () => {
    await clearPending();
    const store = new LeaseStore(db, { leaseMs: 60_000 });
    const { job_id } = await queue.submit("noop", {});
    await store.claimNext("w-cancel");
    await queue.cancel(job_id);
    expect(await store.handBack("w-cancel", "signal SIGKILL")).toEqual({ requeued: 0, failed: 1 });
    expect((await queue.status(job_id)).status).toBe("canceled");
  });
});
