// The embedded default: the local DB host in this process, migrations applied, and N supervised
// `podcast-mcp worker` processes. `<dataDir>/daemon.json` {pid, started} tells the MCP server
// that a daemon runs.
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../config.js";
import { connectFromConfig, migrate, startDbHost, type DbHost } from "../db/index.js";
import type { Logger } from "../log.js";
import { MIGRATIONS } from "../schema.js";
import { Supervisor } from "./supervisor.js";

export const DAEMON_FILE = "daemon.json";

export interface DaemonState {
  pid: number;
  started: string;
}

export function daemonFilePath(dataDir: string): string {
  return path.join(dataDir, DAEMON_FILE);
}

export async function readDaemonState(dataDir: string): Promise<DaemonState | undefined> {
  try {
    const s = JSON.parse(await readFile(daemonFilePath(dataDir), "utf8")) as Partial<DaemonState>;
    return typeof s.pid === "number" && typeof s.started === "string" ? { pid: s.pid, started: s.started } : undefined;
  } catch {
    return undefined;
  }
}

/** dist/cli.js, next to this file's folder once built. */
const CLI_PATH = fileURLToPath(new URL("../cli.js", import.meta.url));

export interface Daemon {
  supervisor: Supervisor;
  stop(): Promise<void>;
}

export async function startDaemon(opts: { config: Config; workers: number; log: Logger; graceMs: number }): Promise<Daemon> {
  const { config, log } = opts;
  // With SURREAL_URL the database is someone else's: supervise workers only.
  const host: DbHost | undefined = config.surrealUrl ? undefined : await startDbHost({ dataDir: config.dataDir, log });
  try {
    const db = await connectFromConfig(config, { waitMs: 5_000 });
    try {
      await migrate(db, MIGRATIONS);
    } finally {
      await db.close().catch(() => undefined);
    }
  } catch (err) {
    await host?.stop();
    throw err;
  }
  const argv = [CLI_PATH, "worker", "--data-dir", config.dataDir];
  const supervisor = new Supervisor({ count: opts.workers, argv, env: process.env, log });
  supervisor.start();
  const state: DaemonState = { pid: process.pid, started: new Date().toISOString() };
  await writeFile(daemonFilePath(config.dataDir), JSON.stringify(state), { mode: 0o600 });
  log.info({ workers: opts.workers, dataDir: config.dataDir, url: host?.url ?? config.surrealUrl }, "daemon started");
  return {
    supervisor,
    async stop() {
      // Workers first: they need the database to finish or hand back their jobs.
      await supervisor.stop(opts.graceMs + 5_000);
      await host?.stop();
      const current = await readDaemonState(config.dataDir);
      if (current?.pid === process.pid) await rm(daemonFilePath(config.dataDir), { force: true });
      log.info("daemon stopped");
    },
  };
}
