// Retention on the real embedded engine: only finished jobs older than N days go, oldest first, in
// batches; one caller per period gets the turn; a worker purges by itself; an episode whose job
// was removed still reads its status from its audio; migration 104 orders old finished jobs by
// their finish time.
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/index.js";
import { silentLogger } from "../../src/log.js";
import { statusOf } from "../../src/podcasts/episode-store.js";
import { LeaseStore, type Queue, Retention, queueMigrations } from "../../src/queue/index.js";
import { testHandlers } from "../../src/testing/commands.js";
import { HandlerRegistry } from "../../src/worker/handlers.js";
import { Worker } from "../../src/worker/worker.js";
import { waitFor } from "../helpers/procs.js";
import { useQueueDb } from "./db.js";

let db: Db;
let queue: Queue;

useQueueDb((d, q) => {
  db = d;
  queue = q;
});

const DAY_MS = 86_400_000;

/** A job that finished `daysAgo` days ago with this status, as the queue leaves it. */
async function finishedJob(status: "completed" | "failed" | "canceled", daysAgo: number): Promise<string> {
  const { job_id } = await queue.submit("noop", {});
  const at = Date.now() - daysAgo * DAY_MS;
  await db
    .query("UPDATE type::record($id) SET status = $status, lane = 'done', n = $at, finished = $when", {
      id: job_id,
      status,
      at,
      when: new Date(at),
    })
    .collect();
  return job_id;
}

async function existing(jobIds: string[]): Promise<string[]> {
  return [...(await queue.statuses(jobIds)).keys()].sort();
}

describe("purge", () => {
  it("removes finished jobs older than N days and nothing else", async () => {
    await db.query("DELETE command").collect();
    const old = [
      await finishedJob("completed", 40),
      await finishedJob("failed", 31),
      await finishedJob("canceled", 35),
    ];
    const recent = [await finishedJob("completed", 29), await finishedJob("failed", 1)];
    // Waiting and running jobs stay whatever their age.
    const runningJob = (await queue.submit("noop", { k: "run" })).job_id;
    expect((await new LeaseStore(db, { leaseMs: 60_000 }).claimNext("w"))?.jobId).toBe(runningJob);
    const pending = (await queue.submit("noop", {})).job_id;
    await db.query("UPDATE command SET created = time::now() - 100d, updated = time::now() - 100d").collect();

    const retention = new Retention(db);
    expect(await retention.purge(0)).toBe(0); // 0 = keep for ever
    expect(await retention.purge(30)).toBe(3);
    expect(await existing([...old, ...recent, pending, runningJob])).toEqual([...recent, pending, runningJob].sort());
    expect(await retention.purge(30)).toBe(0);
  });

  it("goes oldest first, a batch per statement, no further than asked", async () => {
    await db.query("DELETE command").collect();
    const byAge = [];
    for (const days of [50, 45, 40]) byAge.push(await finishedJob("completed", days));
    const retention = new Retention(db);
    expect(await retention.purge(30, { batch: 2, maxBatches: 1 })).toBe(2);
    expect(await existing(byAge)).toEqual([byAge[2]]);
    expect(await retention.purge(30, { batch: 2, maxBatches: 5 })).toBe(1);
  });

  it("an episode whose job was removed shows its status from its audio", async () => {
    await db.query("DELETE command").collect();
    const job = await finishedJob("completed", 60);
    await new Retention(db).purge(30);
    const jobs = await queue.statuses([job]);
    expect(jobs.has(job)).toBe(false);
    const episode = { command: job, audio_file: "episode.mp3" };
    expect(statusOf(episode, jobs.get(job))).toEqual({ status: "completed", error: null });
    expect(statusOf({ command: job }, jobs.get(job)).status).toBe("failed");
  });
});

describe("turns", () => {
  it("one caller per period gets the turn, whoever asks", async () => {
    const a = new Retention(db);
    const b = new Retention(db);
    const first = await Promise.all([a.takeTurn(300), b.takeTurn(300)]);
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(await a.takeTurn(300)).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect(await b.takeTurn(300)).toBe(true);
    expect(await a.runIfDue(30, 60_000)).toBeUndefined();
  });

  it("a worker with retention purges by itself", async () => {
    await db.query("DELETE command; DELETE queue_state").collect();
    const old = await finishedJob("completed", 10);
    const kept = await finishedJob("completed", 2);
    const registry = new HandlerRegistry();
    for (const [definition, handler] of testHandlers({ db, dataDir: "." })) registry.register(definition, handler);
    const w = new Worker({ db, registry, concurrency: 1, pollMs: 200, log: silentLogger, retentionDays: 7 });
    await w.start();
    try {
      await waitFor(async () => (await existing([old])).length === 0, 10_000);
      expect(await existing([old, kept])).toEqual([kept]);
    } finally {
      await w.stop(500);
    }
  });
});

describe("migration 104", () => {
  it("gives finished jobs of before it their finish time as n, so they are purged in turn", async () => {
    await db.query("DELETE command").collect();
    const job = await finishedJob("completed", 90);
    // What an older version left: the claim key in n (priority 0 → about 4.4e14, later than any ms time).
    await db.query("UPDATE type::record($id) SET n = 440000000000000", { id: job }).collect();
    expect(await new Retention(db).purge(30)).toBe(0);
    await db.query(queueMigrations.find((m) => m.id === 104)!.sql).collect();
    expect(await new Retention(db).purge(30)).toBe(1);
  });
});
