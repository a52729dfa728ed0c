// Issue 8 §4: a clean stop of the daemon (SIGTERM) removes the state file; the next daemon has a new
// secret. The server must start it, re-read the state file and sign in again by itself: tool calls
// work again without restarting the server (they used to fail with "You must be connected to a
// SurrealDB instance" until it was).
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { connectStdio, stopDaemon, structured, waitGone, type StdioSession } from "../helpers/mcp.js";
import { stopAll, tmpDataDir, waitFor } from "../helpers/procs.js";

const dataDir = tmpDataDir();
let s: StdioSession | undefined;
afterAll(async () => {
  await s?.close().catch(() => {});
  await stopDaemon(dataDir);
  await stopAll();
});

const readJson = (file: string) =>
  JSON.parse(readFileSync(path.join(dataDir, file), "utf8")) as { pid: number; secret?: string };

async function listProfiles(session: StdioSession): Promise<number> {
  const result = await session.client.callTool({ name: "list_profiles", arguments: {} }, { timeout: 5_000 });
  return structured<{ episode_profiles: unknown[] }>(result).episode_profiles.length;
}

it("after SIGTERM of the daemon the server starts another, signs in with its new secret, serves again", async () => {
  s = await connectStdio(dataDir);
  expect(await listProfiles(s)).toBeGreaterThan(0);
  const daemon = readJson("daemon.json").pid;
  const secret = readJson("db-host.json").secret;

  process.kill(daemon, "SIGTERM");
  expect(await waitGone(daemon, 30_000)).toBe(true);
  const t0 = Date.now();
  const session = s;
  // Calls made while the daemon is down wait or fail; poll until one succeeds, within a bound.
  expect(await waitFor(() => listProfiles(session).catch(() => 0), 90_000, 200)).toBeGreaterThan(0);
  console.log(`tool calls work again ${Date.now() - t0} ms after the daemon stopped`);

  expect(readJson("daemon.json").pid).not.toBe(daemon);
  expect(readJson("db-host.json").secret).not.toBe(secret);
  // a second stop, right after: still recovers (the restart backoff does not lock it out)
  const second = readJson("daemon.json").pid;
  process.kill(second, "SIGTERM");
  expect(await waitGone(second, 30_000)).toBe(true);
  expect(await waitFor(() => listProfiles(session).catch(() => 0), 90_000, 200)).toBeGreaterThan(0);
});
