// The figure the host costs: a trivial query's round trip through the host (another process,
// WebSocket + CBOR) against the embedded engine in this process. Printed, and bounded loosely so
// a pathological slowdown (a per-request reconnect, a serialised queue) fails.
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { connect, connectFromConfig, type Db } from "../../src/db/index.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { hostReady, spawnHost, stopHosts } from "./host-proc.js";

const N = 300;
const WARMUP = 30;
const open: Db[] = [];
afterAll(async () => {
  await Promise.all(open.map((db) => db.close()));
  await stopHosts();
  await stopAll();
});

async function medianMs(db: Db): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await db.query("RETURN 1");
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    const [one] = await db.query<[number]>("RETURN 1");
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (one !== 1) throw new Error(`RETURN 1 gave ${String(one)}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(N / 2)]!;
}

it(`round trip of RETURN 1: through the host vs embedded direct (median of ${N})`, async () => {
  const hostDir = tmpDataDir();
  const host = spawnHost(hostDir);
  await hostReady(hostDir, host);
  const viaHost = await connectFromConfig(loadConfig({ PODCAST_MCP_DATA_DIR: hostDir }));
  const direct = await connect({ url: `rocksdb://${path.join(tmpDataDir(), "db")}`, namespace: "t", database: "t" });
  open.push(viaHost, direct);

  const hostMs = await medianMs(viaHost);
  const directMs = await medianMs(direct);
  console.log(
    `db round trip, median of ${N}: via host ${hostMs.toFixed(3)} ms, embedded direct ${directMs.toFixed(3)} ms`,
  );
  expect(hostMs).toBeLessThan(50);
  expect(directMs).toBeLessThan(50);
});
