// Zero-setup start: with no SURREAL_URL the server finds the local daemon (DB host + workers) in
// the data dir or starts it detached, waits until it answers, and connects. Several MCP clients on
// one machine share one daemon; jobs outlive the client that submitted them. If two servers start
// one at the same moment, the store lock lets only one daemon win; the other exits and both
// servers connect to the winner.
//
// Every wait here is bounded and every failure names the file or process at fault: a state file
// that names a live pid with nothing on its port used to hang the stdio server before
// `initialize`, and a corrupt one made it start a second daemon that could only fail on the store
// lock while the first ran on, unreachable.
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "./config.js";
import { AppError } from "./errors.js";
import type { Logger } from "./log.js";
import {
  connectFromConfig,
  hostStatus,
  pidAlive,
  stateFilePath,
  waitForHost,
  type Db,
  type HostStatus,
} from "./db/index.js";

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), "cli.js");
const DAEMON_LOG = "daemon.log";
/** A running host rewrites a corrupt state file within 2 s (src/db/host.ts); give it that and more. */
const CORRUPT_GRACE_MS = 5_000;
/** A connection up this long means the daemon works: the next drop starts a new one at once. */
const STABLE_MS = 60_000;
/** After our daemon exited (it lost the store lock to another one, say), how long to wait for that other host. */
const AFTER_EXIT_GRACE_MS = 5_000;

export async function startDaemonDetached(config: Config, log: Logger): Promise<number | undefined> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const logFd = openSync(path.join(config.dataDir, DAEMON_LOG), "a", 0o600);
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

/** The last lines of daemon.log, for an error that says why the daemon did not come up. */
async function daemonLogTail(dataDir: string, lines = 5): Promise<string> {
  const file = path.join(dataDir, DAEMON_LOG);
  try {
    const fh = await open(file, "r");
    try {
      const { size } = await fh.stat();
      const length = Math.min(size, 4096);
      const buf = Buffer.alloc(length);
      await fh.read(buf, 0, length, size - length);
      const tail = buf.toString("utf8").split("\n").filter(Boolean).slice(-lines);
      return tail.length ? `; the end of ${file}:\n${tail.join("\n")}` : "";
    } finally {
      await fh.close();
    }
  } catch {
    return "";
  }
}

/** Waits until a host serves the data dir; fails, saying why, when the daemon we started is gone or time is up. */
async function waitForDaemon(config: Config, pid: number | undefined, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  let exitedAt: number | undefined;
  let status: HostStatus;
  for (;;) {
    status = await hostStatus(config.dataDir);
    if (status.kind === "running") return;
    if (exitedAt === undefined && pid !== undefined && !pidAlive(pid)) exitedAt = Date.now();
    if (exitedAt !== undefined && Date.now() - exitedAt > AFTER_EXIT_GRACE_MS) {
      const tail = await daemonLogTail(config.dataDir);
      throw new AppError(
        "internal",
        `The local daemon (pid ${pid}) exited without a DB host coming up for ${config.dataDir} (${status.why})${tail}`,
      );
    }
    if (Date.now() >= deadline) {
      const tail = await daemonLogTail(config.dataDir);
      throw new AppError(
        "internal",
        `No local DB host came up for ${config.dataDir} within ${waitMs} ms (${status.why}); ` +
          `the daemon logs to ${path.join(config.dataDir, DAEMON_LOG)}${tail}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Connect to SURREAL_URL, or to the local daemon (started when none runs). */
export async function connectOrStartDaemon(config: Config, log: Logger, waitMs = 30_000): Promise<Db> {
  if (config.surrealUrl) return connectFromConfig(config, { log });
  let status = await hostStatus(config.dataDir);
  if (status.kind === "corrupt") {
    // Starting a daemon now would fail on the store lock if a host runs: let that host repair it.
    const file = stateFilePath(config.dataDir);
    log.warn({ file, why: status.why }, "waiting for a running DB host to rewrite its state file");
    status = await waitForHost(config.dataDir, CORRUPT_GRACE_MS);
  }
  if (status.kind !== "running") {
    log.info({ why: status.why }, "no local DB host runs; starting the daemon");
    await waitForDaemon(config, await startDaemonDetached(config, log), waitMs);
  }
  return connectFromConfig(config, { waitMs: 5_000, log });
}

export interface WatchOptions {
  /** How often to look while the connection is down. */
  everyMs?: number;
  /** The least time between two daemon starts; it doubles after each start, up to maxGapMs. */
  firstGapMs?: number;
  maxGapMs?: number;
  /** Starts a daemon (tests count the starts instead). */
  start?: (config: Config, log: Logger) => Promise<unknown>;
}

/**
 * The server outlives its daemon: if the connection to the local daemon drops and no DB host
 * serves the data dir (the daemon was stopped, killed or crashed), start a new one. The
 * connection's own reconnect loop then finds it through the state file. A daemon that keeps dying
 * (a full disk, measured: a new daemon every 10 s while every call timed out) is started again
 * after 10 s, 20 s, 40 s … at most every 5 minutes, until a connection has stayed up for a minute.
 */
export function watchLocalDaemon(db: Db, config: Config, log: Logger, opts: WatchOptions = {}): () => void {
  const { everyMs = 1_000, firstGapMs = 10_000, maxGapMs = 300_000, start = startDaemonDetached } = opts;
  let timer: NodeJS.Timeout | undefined;
  let lastStart = 0;
  let gap = 0;
  let busy = false;
  let connectedAt = Date.now();
  const tick = async () => {
    if (db.status === "connected") {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    if (Date.now() - lastStart < gap) return;
    const status = await hostStatus(config.dataDir);
    if (status.kind === "running") return;
    // A corrupt file while our connection is down: the host it belonged to is gone or will fix it;
    // if it is gone, the new daemon's host replaces the file (the store lock keeps this safe).
    lastStart = Date.now();
    gap = gap === 0 ? firstGapMs : Math.min(gap * 2, maxGapMs);
    log.warn({ why: status.why, nextStartInMs: gap }, "the local daemon is gone; starting a new one");
    await start(config, log);
  };
  const run = () => {
    if (busy) return;
    busy = true;
    void tick()
      .catch((err: unknown) => log.error({ err }, "could not restart the daemon"))
      .finally(() => (busy = false));
  };
  const onDrop = () => {
    if (timer) return;
    if (Date.now() - connectedAt >= STABLE_MS) gap = 0;
    timer = setInterval(run, everyMs).unref();
    run();
  };
  const unsubs = [
    db.subscribe("reconnecting", onDrop),
    db.subscribe("disconnected", onDrop),
    db.subscribe("connected", () => (connectedAt = Date.now())),
  ];
  return () => {
    clearInterval(timer);
    for (const u of unsubs) u();
  };
}
