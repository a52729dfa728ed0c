// Zero-setup start: with no SURREAL_URL the server finds the local daemon (DB host + workers) in
// the data dir or starts it detached, waits until it answers, and connects. Several MCP clients on
// one machine share one daemon; jobs outlive the client that submitted them. If two servers start
// one at the same moment, the store lock lets only one daemon win; the other exits and both
// servers connect to the winner.
import { spawn } from "node:child_process";
import { mkdirSync, openSync, closeSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "./config.js";
import type { Logger } from "./log.js";
import { connectFromConfig, readHostState, type Db } from "./db/index.js";

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), "cli.js");

export async function startDaemonDetached(config: Config, log: Logger): Promise<number | undefined> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const logFd = openSync(path.join(config.dataDir, "daemon.log"), "a", 0o600);
  try {
    const child = spawn(process.execPath, [CLI, "daemon", "--data-dir", config.dataDir], {
      detached: true,
      stdio: ["ignore", logFd, logFd],
      env: { ...process.env, PODCAST_MCP_DATA_DIR: config.dataDir },
    });
    child.unref();
    log.info({ pid: child.pid }, "started the local daemon");
    return child.pid;
  } finally {
    closeSync(logFd);
  }
}

/** Connect to SURREAL_URL, or to the local daemon (started when none runs). */
export async function connectOrStartDaemon(config: Config, log: Logger, waitMs = 30_000): Promise<Db> {
  if (config.surrealUrl) return connectFromConfig(config);
  if (!(await readHostState(config.dataDir))) await startDaemonDetached(config, log);
  return connectFromConfig(config, { waitMs });
}

/**
 * The server outlives its daemon: if the connection to the local daemon drops and no DB host is
 * alive in the data dir (the daemon was killed or crashed), start a new one. The connection's
 * own reconnect loop then finds it through the state file.
 */
export function watchLocalDaemon(db: Db, config: Config, log: Logger, everyMs = 1_000): () => void {
  let timer: NodeJS.Timeout | undefined;
  let startedAt = 0;
  const tick = async () => {
    if (db.status === "connected") {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    // A daemon we just started needs a few seconds to open the store and listen.
    if (Date.now() - startedAt < 10_000 || (await readHostState(config.dataDir))) return;
    startedAt = Date.now();
    log.warn("the local daemon is gone; starting a new one");
    await startDaemonDetached(config, log);
  };
  const onDrop = () => {
    if (!timer) timer = setInterval(() => void tick().catch((err: unknown) => log.error({ err }, "could not restart the daemon")), everyMs).unref();
  };
  const unsubs = [db.subscribe("reconnecting", onDrop), db.subscribe("disconnected", onDrop)];
  return () => {
    clearInterval(timer);
    for (const u of unsubs) u();
  };
}
