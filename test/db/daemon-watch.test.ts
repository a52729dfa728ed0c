// Issue 8 §13: a daemon that keeps dying must not be restarted every 10 s for ever. The watchdog
// (src/daemon-client.ts) is given a `start` that only records when it was called, so the gaps are
// seen without starting daemons; the host and the connection are real.
import { afterAll, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { watchLocalDaemon } from "../../src/daemon-client.js";
import { connectFromConfig, type Db } from "../../src/db/index.js";
import { silentLogger } from "../../src/log.js";
import { stopAll, stopProc, tmpDataDir, waitFor } from "../helpers/procs.js";
import { hostReady, spawnHost, stopHosts } from "./host-proc.js";

let db: Db | undefined;
afterAll(async () => {
  await db?.close().catch(() => undefined);
  await stopHosts();
  await stopAll();
});

it("starts a daemon at once when the host is gone, then after doubling gaps, and stops once connected", async () => {
  const dataDir = tmpDataDir();
  const config = loadConfig({ PODCAST_MCP_DATA_DIR: dataDir });
  let host = spawnHost(dataDir);
  await hostReady(dataDir, host);
  db = await connectFromConfig(config, { waitMs: 5_000, log: silentLogger });
  const starts: number[] = [];
  const start = async () => void starts.push(Date.now());
  const stop = watchLocalDaemon(db, config, silentLogger, { everyMs: 20, firstGapMs: 200, maxGapMs: 10_000, start });
  try {
    const down = Date.now();
    await stopProc(host.child); // a clean stop: the state file goes too, no host
    await waitFor(() => starts.length >= 4, 20_000, 20);
    expect(starts[0]! - down).toBeLessThan(5_000);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Timers never fire early: each gap is at least what was planned (200, 400, 800 ms, …).
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(200 * 2 ** i - 2));
    console.log(`daemon starts after the host went: ${starts.map((t) => t - down).join(", ")} ms`);

    host = spawnHost(dataDir);
    await hostReady(dataDir, host);
    const back = db;
    await waitFor(() => back.query<[number]>("RETURN 1").then(([one]) => one === 1), 20_000, 100);
    const seen = starts.length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(starts.length).toBe(seen); // connected: no more starts
  } finally {
    stop();
  }
});
