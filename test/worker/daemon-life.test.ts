// The daemon's life: it stops by itself once idle (no job, no client but its own workers), stays
// while a client is connected, and `podcast-mcp stop` ends it with running jobs handed back.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanEnv, spawnCli, stopAll, tmpDataDir, waitFor } from "../helpers/procs.js";
import { pidAlive } from "../helpers/mcp.js";
import { connectClient, daemonReady, FAST, readRuns, startDaemon } from "./cluster.js";

afterAll(stopAll);

describe("idle exit", () => {
  it("stops after PODCAST_MCP_IDLE_EXIT with no job and no client, and not while a client is connected", async () => {
    const dir = tmpDataDir();
    const daemon = startDaemon(dir, 1, { PODCAST_MCP_IDLE_EXIT: "2s" });
    await daemonReady(dir);
    const client = await connectClient(dir);
    // Connected: still up well past the idle time.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(daemon.child.exitCode).toBeNull();
    const started = Date.now();
    await client.close();
    const { code } = await daemon.exited;
    expect(code).toBe(0);
    const tookMs = Date.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(1_900);
    expect(existsSync(path.join(dir, "daemon.json"))).toBe(false);
    expect(existsSync(path.join(dir, "db-host.json"))).toBe(false);
  });
});

describe("podcast-mcp stop", () => {
  it("hands a running job back within the grace period, exits 0, and leaves nothing running", async () => {
    const dir = tmpDataDir();
    const log = path.join(dir, "runs.log");
    const daemon = startDaemon(dir, 1);
    await daemonReady(dir);
    const client = await connectClient(dir);
    const { job_id } = await client.queue.submit("record", { file: log, ms: 60_000 });
    const run = await waitFor(() => readRuns(log)[0], 20_000);
    await client.close();
    const stop = spawnCli(["stop", "--data-dir", dir], cleanEnv(FAST));
    expect((await stop.exited).code).toBe(0);
    expect(stop.stderr()).toMatch(/Stopped\./);
    expect(daemon.child.exitCode ?? daemon.child.signalCode).not.toBeNull();
    expect(pidAlive(Number(run.worker))).toBe(false);
    // The job went back to the queue, its attempt not counted: the next daemon runs it.
    const again = startDaemon(dir, 1);
    await daemonReady(dir);
    const c2 = await connectClient(dir);
    const s = await c2.queue.status(job_id);
    expect(s).toMatchObject({ status: expect.stringMatching(/pending|running/) });
    expect(s.attempts).toBeLessThanOrEqual(1);
    await c2.close();
    const stop2 = spawnCli(["stop", "--data-dir", dir], cleanEnv(FAST));
    expect((await stop2.exited).code).toBe(0);
    await again.exited;
  });

  it("says so and exits 0 when no daemon runs", async () => {
    const dir = tmpDataDir();
    const stop = spawnCli(["stop", "--data-dir", dir], cleanEnv());
    expect((await stop.exited).code).toBe(0);
    expect(stop.stderr()).toMatch(/No daemon runs/);
  });
});
