// Real processes, the real embedded engine (rocksdb:// behind the local DB host): the daemon and
// its workers, exactly-once over 500 jobs, a worker SIGKILLed mid-job, the DB host killed and
// restarted, and clean shutdowns.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stopAll, tmpDataDir, waitFor } from "../helpers/procs.js";
import { pidAlive } from "../../src/db/host-state.js";
import { readDaemonState } from "../../src/worker/daemon.js";
import {
  connectClient,
  daemonReady,
  readRuns,
  startDaemon,
  startHost,
  startWorker,
  recordStatusCounts,
  stopHost,
} from "./cluster.js";

afterAll(async () => {
  await stopAll();
});

async function submitAll(submit: (i: number) => Promise<string>, n: number, batch = 50): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += batch)
    ids.push(...(await Promise.all(Array.from({ length: Math.min(batch, n - i) }, (_, k) => submit(i + k)))));
  return ids;
}

describe("daemon with 2 worker processes", () => {
  it("500 jobs: every one completes, each handler ran exactly once; SIGTERM exits 0 and cleans up", async () => {
    const dir = tmpDataDir();
    const log = path.join(dir, "runs.log");
    const daemon = startDaemon(dir, 2);
    await daemonReady(dir);
    const client = await connectClient(dir);
    const N = 500;
    const t0 = Date.now();
    const ids = await submitAll(() => client.queue.submit("record", { file: log }).then((r) => r.job_id), N);
    const submittedMs = Date.now() - t0;
    await waitFor(async () => ((await recordStatusCounts(client.db)).completed ?? 0) >= N, 90_000, 200);
    const tookMs = Date.now() - t0;
    process.stderr.write(
      `500 record jobs, 2 worker processes × concurrency 2: submitted in ${submittedMs} ms, all completed in ${tookMs} ms (${Math.round((N / tookMs) * 1000)} jobs/s)\n`,
    );
    const runs = readRuns(log);
    const perJob = new Map<string, number>();
    for (const r of runs) perJob.set(r.job, (perJob.get(r.job) ?? 0) + 1);
    expect(runs.length).toBe(N);
    expect(ids.every((id) => perJob.get(id) === 1)).toBe(true);
    expect(new Set(runs.map((r) => r.worker)).size).toBe(2);
    expect(await recordStatusCounts(client.db)).toEqual({ completed: N });
    await client.close();

    const workerPids = [...new Set(runs.map((r) => Number(r.worker)))];
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
    expect(daemon.stdout()).toBe("");
    expect(await readDaemonState(dir)).toBeUndefined();
    for (const pid of workerPids) expect(pidAlive(pid)).toBe(false);
  });

  it("a worker SIGKILLed mid-job: its supervisor hands the job back at once, not charged; it completes once elsewhere; the worker is restarted", async () => {
    const dir = tmpDataDir();
    const log = path.join(dir, "runs.log");
    // A 60 s lease: only the supervisor's hand-back can explain another worker having the job soon.
    const daemon = startDaemon(dir, 2, { PODCAST_MCP_LEASE_MS: "60000" });
    await daemonReady(dir);
    const client = await connectClient(dir);
    const { job_id } = await client.queue.submit("record", { file: log, ms: 3_000 });
    const first = await waitFor(() => readRuns(log)[0], 20_000);
    const killedAt = Date.now();
    process.kill(Number(first.worker), "SIGKILL");
    const second = await waitFor(
      () => readRuns(log).find((r) => r.job === job_id && r.worker !== first.worker),
      20_000,
      20,
    );
    const tookMs = Date.now() - killedAt;
    process.stderr.write(`SIGKILLed worker: another worker had its job after ${tookMs} ms\n`);
    expect(tookMs).toBeLessThan(2_000);
    const s = await waitFor(
      async () => {
        const st = await client.queue.status(job_id);
        return st.status === "completed" ? st : undefined;
      },
      30_000,
      100,
    );
    // The crash was not charged as an attempt; it is recorded with its cause.
    expect(s.attempts).toBe(1);
    expect(second.attempt).toBe(1);
    const [[row]] = await client.db
      .query<[[{ crashes: number; last_crash: string }]]>("SELECT crashes, last_crash FROM type::record($id)", {
        id: job_id,
      })
      .collect();
    expect(row).toMatchObject({ crashes: 1, last_crash: expect.stringContaining("signal SIGKILL") });
    const runs = readRuns(log).filter((r) => r.job === job_id);
    expect(runs).toHaveLength(2);
    await waitFor(() => /worker exited; restarting/.test(daemon.stderr()), 10_000);
    // The restarted worker takes work: several jobs spread over two live workers again.
    const more = await submitAll(
      () => client.queue.submit("record", { file: log, ms: 300 }).then((r) => r.job_id),
      8,
      8,
    );
    await waitFor(
      async () => (await Promise.all(more.map((id) => client.queue.status(id)))).every((x) => x.status === "completed"),
      30_000,
      100,
    );
    const workersAfter = new Set(
      readRuns(log)
        .filter((r) => more.includes(r.job))
        .map((r) => r.worker),
    );
    expect(workersAfter.size).toBe(2);
    expect(workersAfter.has(first.worker)).toBe(false);
    await client.close();
    // A daemon killed outright: its workers notice and exit by themselves.
    daemon.child.kill("SIGKILL");
    await daemon.exited;
    await waitFor(() => [...workersAfter].every((pid) => !pidAlive(Number(pid))), 15_000);
  });
});

describe("DB host killed and restarted", () => {
  it("workers and the client reconnect; no job is lost; SIGTERM hands a long job back", async () => {
    const dir = tmpDataDir();
    const log = path.join(dir, "runs.log");
    let host = startHost(dir);
    const w1 = startWorker(dir);
    const w2 = startWorker(dir);
    const client = await connectClient(dir);
    const before = await submitAll(
      () => client.queue.submit("record", { file: log, ms: 100 }).then((r) => r.job_id),
      30,
    );
    await waitFor(() => readRuns(log).length >= 5, 45_000).catch((err: unknown) => {
      throw new Error(`${String(err)}\nworker 1: ${w1.stderr().slice(-2000)}\nworker 2: ${w2.stderr().slice(-2000)}`);
    });

    await stopHost(host, "SIGKILL");
    host = startHost(dir);
    // The client's first calls may fail while it reconnects; it must come back by itself.
    const after = await waitFor(
      async () => submitAll(() => client.queue.submit("record", { file: log, ms: 100 }).then((r) => r.job_id), 30),
      30_000,
      200,
    );
    const ids = [...before, ...after];
    await waitFor(
      async () => (await Promise.all(ids.map((id) => client.queue.status(id)))).every((s) => s.status === "completed"),
      60_000,
      250,
    );
    const ran = new Set(readRuns(log).map((r) => r.job));
    expect(ids.every((id) => ran.has(id))).toBe(true);

    const { job_id } = await client.queue.submit("sleep", { ms: 60_000 });
    await waitFor(async () => (await client.queue.status(job_id)).status === "running", 20_000);
    w1.child.kill("SIGTERM");
    w2.child.kill("SIGTERM");
    expect(await w1.exited).toEqual({ code: 0, signal: null });
    expect(await w2.exited).toEqual({ code: 0, signal: null });
    expect(await client.queue.status(job_id)).toMatchObject({ status: "pending", attempts: 0 });
    await client.close();
    await stopHost(host);
  });
});
