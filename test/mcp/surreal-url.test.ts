// With SURREAL_URL the server connects there and starts no daemon; workers run separately
// (`podcast-mcp worker`), here against a database served by another process, as a real
// SurrealDB server would be. Server and worker share the data dir for the episode files.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cleanEnv, spawnCli, stopAll, tmpDataDir, waitFor, type Proc } from "../helpers/procs.js";
import { connectStdio, stopDaemon, structured, type StdioSession } from "../helpers/mcp.js";

const dbDir = tmpDataDir();
const filesDir = tmpDataDir();
let _db: Proc;
let worker: Proc;
let s: StdioSession;

beforeAll(async () => {
  _db = spawnCli(["daemon", "--workers", "0"], cleanEnv({ PODCAST_MCP_DATA_DIR: dbDir }));
  const state = await waitFor(() => {
    const f = path.join(dbDir, "db-host.json");
    return existsSync(f) && (JSON.parse(readFileSync(f, "utf8")) as { port: number; secret: string });
  });
  const remote = {
    SURREAL_URL: `ws://127.0.0.1:${state.port}`,
    SURREAL_USER: "root",
    SURREAL_PASSWORD: state.secret,
    PODCAST_MCP_DATA_DIR: filesDir,
  };
  worker = spawnCli(["worker"], cleanEnv(remote));
  s = await connectStdio(filesDir, remote);
});

afterAll(async () => {
  await s?.close().catch(() => {});
  await stopAll();
  await stopDaemon(dbDir);
  await stopDaemon(filesDir);
});

it("runs a job through a separately started worker and starts no daemon", async () => {
  const sub = structured<{ job_id: string; episode_id: string }>(
    await s.client.callTool({
      name: "generate_podcast",
      arguments: {
        episode_profile: "solo_expert",
        episode_name: "Remote",
        script: [{ speaker: "Sam", text: "This database lives in another process." }],
      },
    }),
  );
  let status = "";
  const deadline = Date.now() + 60_000;
  while (!["completed", "failed"].includes(status) && Date.now() < deadline) {
    status = structured<{ status: string }>(
      await s.client.callTool({ name: "get_job_status", arguments: { job_id: sub.job_id, wait_seconds: 10 } }),
    ).status;
  }
  expect(status).toBe("completed");
  const ep = JSON.parse(
    ((await s.client.readResource({ uri: `podcast://episodes/${sub.episode_id}` })).contents[0] as { text: string })
      .text,
  ) as { audio_file: string };
  expect(ep.audio_file.startsWith(filesDir)).toBe(true);
  expect(existsSync(ep.audio_file)).toBe(true);
  expect(existsSync(path.join(filesDir, "daemon.json"))).toBe(false); // no daemon was started for the server
  expect(worker.child.exitCode).toBeNull();
});
