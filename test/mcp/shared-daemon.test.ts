// Two stdio servers started at once in one data dir share one daemon; killing one leaves the
// other working, and a job outlives the client that submitted it.
import { afterAll, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { stopAll, tmpDataDir, waitFor } from "../helpers/procs.js";
import {
  connectStdio,
  parentPid,
  pidAlive,
  pidsUsing,
  stopDaemon,
  structured,
  type StdioSession,
} from "../helpers/mcp.js";

const dataDir = tmpDataDir();
let a: StdioSession | undefined;
let b: StdioSession | undefined;

afterAll(async () => {
  await a?.close().catch(() => {});
  await b?.close().catch(() => {});
  await stopDaemon(dataDir);
  await stopAll();
});

it("shares one daemon between two servers and survives one of them dying", async () => {
  [a, b] = await Promise.all([connectStdio(dataDir), connectStdio(dataDir)]);
  const host = JSON.parse(readFileSync(path.join(dataDir, "db-host.json"), "utf8")) as { pid: number };
  expect(pidAlive(host.pid)).toBe(true);

  const job = structured<{ job_id: string }>(
    await a.client.callTool({
      name: "generate_podcast",
      arguments: {
        episode_profile: "solo_expert",
        episode_name: "Shared",
        script: [{ speaker: "Sam", text: "One daemon serves every client on this machine." }],
      },
    }),
  ).job_id;

  // kill server A hard: its job goes on, and B sees it through.
  const pidA = a.transport.pid!;
  process.kill(pidA, "SIGKILL");
  await waitFor(() => !pidAlive(pidA), 10_000);
  a = undefined;

  const done = await waitFor(
    async () => {
      const st = structured<{ status: string }>(
        await b!.client.callTool({ name: "get_job_status", arguments: { job_id: job, wait_seconds: 5 } }),
      );
      return ["completed", "failed"].includes(st.status) ? st.status : undefined;
    },
    120_000,
    10,
  );
  expect(done).toBe("completed");
  const again = JSON.parse(readFileSync(path.join(dataDir, "db-host.json"), "utf8")) as { pid: number };
  expect(again.pid).toBe(host.pid); // still the one daemon
});

it("starts a new daemon when the daemon dies, and the old daemon's workers leave", async () => {
  const before = JSON.parse(readFileSync(path.join(dataDir, "daemon.json"), "utf8")) as { pid: number };
  process.kill(before.pid, "SIGKILL");
  await waitFor(() => !pidAlive(before.pid), 10_000);
  const t0 = Date.now();
  const job = structured<{ job_id: string }>(
    await b!.client.callTool(
      {
        name: "generate_podcast",
        arguments: {
          episode_profile: "solo_expert",
          episode_name: "Phoenix",
          script: [{ speaker: "Sam", text: "The daemon came back." }],
        },
      },
      { timeout: 60_000 },
    ),
  ).job_id;
  const done = await waitFor(
    async () => {
      const st = structured<{ status: string }>(
        await b!.client.callTool({ name: "get_job_status", arguments: { job_id: job, wait_seconds: 5 } }),
      );
      return ["completed", "failed"].includes(st.status) ? st.status : undefined;
    },
    60_000,
    10,
  );
  expect(done).toBe("completed");
  console.log(`back in service ${Date.now() - t0} ms after the daemon was killed`);
  const after = JSON.parse(readFileSync(path.join(dataDir, "daemon.json"), "utf8")) as { pid: number };
  expect(after.pid).not.toBe(before.pid);
  // no orphan: every process of this data dir is the new daemon or one of its workers
  const strays = () => pidsUsing(dataDir).filter((p) => p !== after.pid && parentPid(p) !== after.pid);
  expect(await waitFor(() => strays().length === 0, 15_000)).toBe(true);
});
