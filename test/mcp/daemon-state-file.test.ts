// Issue 8 §12 end to end, with real servers and daemons. A corrupt db-host.json beside a running
// daemon used to make the next server start a second daemon (which failed on the store lock) and
// leave the first one running unreachable; a state file naming a live pid with a dead port used to
// hang the stdio server before `initialize`.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { connectStdio, parentPid, pidsUsing, stopDaemon, structured, type StdioSession } from "../helpers/mcp.js";
import { stopAll, tmpDataDir, track, waitFor } from "../helpers/procs.js";

const sessions: StdioSession[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of sessions) await s.close().catch(() => {});
  for (const d of dirs) await stopDaemon(d);
  await stopAll();
});

async function server(dataDir: string): Promise<StdioSession> {
  const s = await connectStdio(dataDir, { LOG_LEVEL: "info" });
  sessions.push(s);
  return s;
}

async function profiles(s: StdioSession): Promise<number> {
  const r = await s.client.callTool({ name: "list_profiles", arguments: {} }, { timeout: 10_000 });
  return structured<{ episode_profiles: unknown[] }>(r).episode_profiles.length;
}

const pidIn = (dataDir: string, file: string) =>
  (JSON.parse(readFileSync(path.join(dataDir, file), "utf8")) as { pid: number }).pid;

it("a server that finds a corrupt state file beside a running daemon joins that daemon; none is orphaned", async () => {
  const dataDir = tmpDataDir();
  dirs.push(dataDir);
  const a = await server(dataDir);
  const daemon = pidIn(dataDir, "daemon.json");
  // The daemon is paused while B starts, so that B, however slowly it starts, finds the file corrupt;
  // it resumes once B says it waits for the running host to rewrite the file.
  process.kill(daemon, "SIGSTOP");
  writeFileSync(path.join(dataDir, "db-host.json"), "{ not json", { mode: 0o600 });
  const logB = path.join(dataDir, "server-b.log");
  const starting = connectStdio(dataDir, { LOG_LEVEL: "info", LOG_FILE: logB });
  try {
    await waitFor(
      () => existsSync(logB) && readFileSync(logB, "utf8").includes("waiting for a running DB host"),
      60_000,
    );
  } finally {
    process.kill(daemon, "SIGCONT");
  }
  const b = await starting;
  sessions.push(b);
  expect(await profiles(b)).toBeGreaterThan(0);
  expect(await profiles(a)).toBeGreaterThan(0);
  expect(pidIn(dataDir, "daemon.json")).toBe(daemon);
  expect(pidIn(dataDir, "db-host.json")).toBe(daemon);
  // every process of this data dir is that daemon or one of its workers: no second daemon
  expect(pidsUsing(dataDir).filter((p) => p !== daemon && parentPid(p) !== daemon)).toEqual([]);
  expect(readFileSync(logB, "utf8")).not.toMatch(/starting the daemon/);
});

it("a server finding a state file with a live pid and nothing on its port starts a daemon and answers", async () => {
  const dataDir = tmpDataDir();
  dirs.push(dataDir);
  const bystander = track(spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" })).pid!;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  const stale = {
    pid: bystander,
    port,
    url: `ws://127.0.0.1:${port}`,
    secret: "s".repeat(43),
    started: new Date(0).toISOString(),
  };
  writeFileSync(path.join(dataDir, "db-host.json"), JSON.stringify(stale), { mode: 0o600 });

  const s = await server(dataDir); // `initialize` answered: connectStdio resolved
  expect(await profiles(s)).toBeGreaterThan(0);
  expect(pidIn(dataDir, "db-host.json")).toBe(pidIn(dataDir, "daemon.json"));
  expect(s.stderr()).toContain(`names pid ${bystander}, which runs but does not listen on port ${port}`);
});
