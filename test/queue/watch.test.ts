// Queue.watch filters in the database: a watch of one job hears only that job, a watch of one
// command's jobs only those; a watch of all hears every job.
import { describe, expect, it } from "vitest";
import { LeaseStore, type Queue } from "../../src/queue/index.js";
import { waitFor } from "../helpers/procs.js";
import { useQueueDb } from "./db.js";

let queue: Queue;
let store: LeaseStore;

useQueueDb((db, q) => {
  queue = q;
  store = new LeaseStore(db, { leaseMs: 60_000 });
});

describe("watch", () => {
  it("of one job, of one command, of all", async () => {
    const target = await queue.submit("noop", { k: "target" });
    const seen = { one: [] as string[], sleeps: [] as string[], all: [] as string[] };
    const stops = await Promise.all([
      queue.watch(target.job_id, (s) => seen.one.push(`${s.job_id} ${s.status}`)),
      queue.watch(undefined, (s) => seen.sleeps.push(`${s.name} ${s.status}`), { name: "sleep" }),
      queue.watch(undefined, (s) => seen.all.push(s.job_id)),
    ]);
    try {
      const other = await queue.submit("noop", { k: "other" });
      const sleeper = await queue.submit("sleep", { ms: 1 });
      await queue.cancel(target.job_id);
      await queue.cancel(sleeper.job_id);
      await waitFor(() => seen.all.includes(target.job_id) && seen.sleeps.length >= 2 && seen.one.length >= 1, 10_000);
      expect(seen.one).toEqual([`${target.job_id} canceled`]);
      expect(seen.sleeps).toEqual(["sleep pending", "sleep canceled"]);
      expect(seen.all).toContain(other.job_id);
      expect(seen.all).toContain(sleeper.job_id);
      expect(await store.claimNext("w")).toMatchObject({ jobId: other.job_id });
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
  });
});
