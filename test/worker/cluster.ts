// Real processes for the worker tests: the daemon (DB host + supervised workers), or a bare DB
// host plus separate `podcast-mcp worker` processes, and a client connected like the MCP server.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../../src/config.js";
import { connectFromConfig, migrate, type Db } from "../../src/db/index.js";
import { MIGRATIONS } from "../../src/schema.js";
import { CommandRegistry, Queue } from "../../src/queue/index.js";
import { TEST_COMMANDS } from "../../src/testing/commands.js";
import { readDaemonState } from "../../src/worker/daemon.js";
import { ROOT, cleanEnv, spawnCli, track, waitFor, type Proc } from "../helpers/procs.js";

/** Short leases and polls so recovery happens within a test's patience. */
export const FAST = {
  PODCAST_MCP_LEASE_MS: "1000",
  PODCAST_MCP_POLL_MS: "200",
  PODCAST_MCP_GRACE_MS: "2000",
  PODCAST_MCP_TEST_COMMANDS: "1",
};

export function startDaemon(dataDir: string, workers: number, extra: Record<string, string> = {}): Proc {
  return spawnCli(["daemon", "--workers", String(workers), "--data-dir", dataDir], cleanEnv({ ...FAST, ...extra }));
}

export async function daemonReady(dataDir: string): Promise<void> {
  await waitFor(async () => (await readDaemonState(dataDir)) !== undefined, 30_000);
}

export function startWorker(dataDir: string, extra: Record<string, string> = {}): Proc {
  return spawnCli(["worker", "--data-dir", dataDir], cleanEnv({ ...FAST, ...extra }));
}

/** The DB host alone (no workers), through its own entry point, so a test can SIGKILL it. */
export function startHost(dataDir: string): { child: ChildProcess; exited: Promise<void> } {
  const hostCli = path.join(ROOT, "dist", "db", "host-cli.js");
  const config = path.join(ROOT, "dist", "config.js");
  const script = `const { main } = await import(${JSON.stringify(hostCli)}); const { loadConfig } = await import(${JSON.stringify(config)});
process.exitCode = await main([], loadConfig(process.env, { dataDir: ${JSON.stringify(dataDir)} }));`;
  // Tracked, so a test that fails half-way still has it stopped by stopAll.
  const child = track(
    spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: cleanEnv(),
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return { child, exited };
}

export async function stopHost(
  h: { child: ChildProcess; exited: Promise<void> },
  signal: NodeJS.Signals = "SIGTERM",
): Promise<void> {
  if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill(signal);
  await h.exited;
}

export interface Client {
  db: Db;
  queue: Queue;
  close(): Promise<void>;
}

export async function connectClient(dataDir: string): Promise<Client> {
  const config = loadConfig({ PODCAST_MCP_DATA_DIR: dataDir, LOG_LEVEL: "silent" });
  const db = await connectFromConfig(config, { waitMs: 30_000 });
  // Like the MCP server: apply the schema before the first write. A job written before the
  // `command` table is defined would create it schemaless, and its migration could never apply.
  await migrate(db, MIGRATIONS);
  const queue = new Queue(db, new CommandRegistry(TEST_COMMANDS));
  return { db, queue, close: async () => void (await db.close()) };
}

export interface RunLine {
  job: string;
  attempt: number;
  worker: string;
}

/** The append-only log the `record` command writes: one line per handler run. */
export function readRuns(file: string): RunLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RunLine);
}

/** `record` jobs by status, read in one query (each test has its own data dir). */
export async function recordStatusCounts(db: Db): Promise<Record<string, number>> {
  const [rows] = await db
    .query<[Array<{ status: string; c: number }>]>(
      "SELECT status, count() AS c FROM command WHERE name = 'record' GROUP BY status",
    )
    .collect();
  return Object.fromEntries(rows.map((r) => [r.status, r.c]));
}
