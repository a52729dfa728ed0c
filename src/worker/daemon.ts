// The embedded default: the local DB host in this process, migrations applied, and N supervised
// `podcast-mcp worker` processes. `<dataDir>/daemon.json` {pid, started} tells the MCP server that a
// daemon runs. The daemon
// - hands a dead worker's jobs back at once (Supervisor.onWorkerDied → LeaseStore.handBack), with
//   the cause on the job, instead of leaving them until their leases expire;
// - stops by itself after PODCAST_MCP_IDLE_EXIT with no job and no client but its own workers (the
//   next `serve` starts it again), so it does not hold memory for good after the last client left;
// - stops when its DB host asks to be restarted (a disk that was full has room again), so the
//   server that watches it starts a fresh one.
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Table, inside, type LiveSubscription } from "surrealdb";
import type { Config } from "../config.js";
import { connectFromConfig, migrate, startDbHost, type Db, type DbHost } from "../db/index.js";
import type { Logger } from "../log.js";
import { LeaseStore } from "../queue/lease.js";
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

/** Why a daemon ended by itself. */
export type DaemonEnd = { kind: "idle" } | { kind: "restart"; reason: string };

export interface Daemon {
  supervisor: Supervisor;
  /** Resolves when the daemon wants to stop by itself (idle, or its host needs a restart). */
  ended: Promise<DaemonEnd>;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  config: Config;
  workers: number;
  log: Logger;
  graceMs: number;
}

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { config, log } = opts;
  let end: (e: DaemonEnd) => void = () => {};
  const ended = new Promise<DaemonEnd>((resolve) => (end = resolve));
  // With SURREAL_URL the database is someone else's: supervise workers only.
  const host: DbHost | undefined = config.surrealUrl
    ? undefined
    : await startDbHost({
        dataDir: config.dataDir,
        log,
        onRestartNeeded: (reason) => end({ kind: "restart", reason }),
      });
  let db: Db;
  try {
    db = await connectFromConfig(config, { waitMs: 5_000 });
    await migrate(db, MIGRATIONS);
  } catch (err) {
    await host?.stop();
    throw err;
  }
  const leases = new LeaseStore(db, { leaseMs: config.leaseMs });
  const argv = [CLI_PATH, "worker", "--data-dir", config.dataDir];
  const sleepy = config.workerIdleExitMs > 0;
  const wakeIfWork = () =>
    void leases.hasWork().then(
      (work) => work && supervisor.wake(),
      (err: unknown) => log.debug({ err }, "work check failed"),
    );
  const supervisor = new Supervisor({
    count: opts.workers,
    argv,
    env: { ...process.env, PODCAST_MCP_WORKER_IDLE_MS: String(config.workerIdleExitMs) },
    log,
    onWorkerDied: async (workerId, cause) => {
      const back = await leases.handBack(workerId, cause);
      if (back.requeued + back.failed > 0)
        log.warn({ workerId, cause, ...back }, "a worker died; its jobs were handed back");
    },
    onWorkerSlept: wakeIfWork,
  });
  // Workers that leave when idle start when work arrives: a LIVE query on the queue, and a poll as
  // the backstop (LIVE notifications are not replayed after a reconnect).
  supervisor.start({ awake: !sleepy || (await leases.hasWork()) });
  const stopWaking = sleepy ? await watchForWork(db, wakeIfWork, log) : () => {};
  const state: DaemonState = { pid: process.pid, started: new Date().toISOString() };
  await writeFile(daemonFilePath(config.dataDir), JSON.stringify(state), { mode: 0o600 });
  log.info({ workers: opts.workers, dataDir: config.dataDir, url: host?.url ?? config.surrealUrl }, "daemon started");

  const stopIdle =
    host && config.idleExitMs > 0
      ? watchIdle(host, supervisor, leases, config.idleExitMs, log, () => end({ kind: "idle" }))
      : () => {};

  return {
    supervisor,
    ended,
    async stop() {
      stopIdle();
      stopWaking();
      // Workers first: they need the database to finish or hand back their jobs.
      await supervisor.stop(opts.graceMs + 5_000);
      await db.close().catch(() => undefined);
      await host?.stop();
      const current = await readDaemonState(config.dataDir);
      if (current?.pid === process.pid) await rm(daemonFilePath(config.dataDir), { force: true });
      log.info("daemon stopped");
    },
  };
}

/** Calls `onWork` when a job is submitted or put back, and every few seconds as a backstop. */
async function watchForWork(db: Db, onWork: () => void, log: Logger): Promise<() => void> {
  const poll = setInterval(onWork, 5_000);
  poll.unref();
  let live: LiveSubscription | undefined;
  try {
    // Only jobs that become runnable or wait, ids only (as a worker's own watch): a `LIVE SELECT *`
    // sent every claim, progress write and completion to the daemon, a whole record each.
    live = await db
      .live(new Table("command"))
      .fields("id", "lane")
      .where(inside("lane", ["ready", "delayed"]));
    live.subscribe((msg) => {
      if (msg.action === "CREATE" || msg.action === "UPDATE") onWork();
    });
  } catch (err) {
    log.warn({ err }, "LIVE query unavailable; waking workers by polling only");
  }
  return () => {
    clearInterval(poll);
    void live?.kill().catch(() => undefined);
  };
}

/**
 * Calls `onIdle` once nothing has happened for `idleMs`: no job waiting, delayed or running, and no
 * client of the host but the daemon's own connection and its workers' (an MCP server, another
 * worker or the generate CLI each hold one). Checked a few times per idle period.
 */
function watchIdle(
  host: DbHost,
  supervisor: Supervisor,
  leases: LeaseStore,
  idleMs: number,
  log: Logger,
  onIdle: () => void,
): () => void {
  let idleSince = Date.now();
  const everyMs = Math.max(200, Math.min(30_000, Math.floor(idleMs / 4)));
  const timer = setInterval(() => {
    void (async () => {
      const outsiders = host.clients() - 1 - supervisor.pids().length;
      const busy = outsiders > 0 || (await leases.hasWork());
      if (busy) idleSince = Date.now();
      else if (Date.now() - idleSince >= idleMs) {
        clearInterval(timer);
        log.info({ idleMs }, "daemon idle: no job and no client; stopping (the next server starts it again)");
        onIdle();
      }
    })().catch((err: unknown) => log.debug({ err }, "idle check failed"));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
