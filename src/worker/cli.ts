// `podcast-mcp worker [--concurrency N]`: connects (SURREAL_URL or the local DB host), applies
// migrations, runs jobs. SIGTERM/SIGINT: stop claiming, finish or release running jobs within the
// grace period, exit 0.
// Env (beyond config): PODCAST_MCP_LEASE_MS, PODCAST_MCP_POLL_MS, PODCAST_MCP_GRACE_MS.
import type { Config } from "../config.js";
import { connectFromConfig, migrate } from "../db/index.js";
import { parseFlags, wholeNumber } from "../cli/args.js";
import { createConsoleLogger } from "../cli/plain-log.js";
import { createStatusLine, createStyle, type StatusLine } from "../cli/terminal.js";
import { formatSeconds } from "../cli/time-left.js";
import { usageError } from "../cli/usage.js";
import { errorMessage } from "../errors.js";
import { createLogger, logsRequested, type Logger } from "../log.js";
import { MIGRATIONS } from "../schema.js";
import { buildHandlers } from "./build-handlers.js";
import { Worker } from "./worker.js";
import { stopSignal } from "./stop-signal.js";

/** The command's arguments; throws invalid_input. */
export function parseWorkerArgs(args: string[]): { concurrency: number | undefined } {
  const { values } = parseFlags("worker", args, { concurrency: { type: "string" } });
  return { concurrency: wholeNumber("--concurrency", values.concurrency, 1, 64) };
}

/**
 * Logs as JSON, as a service's should (a file, a collector, the daemon's daemon.log), except on a
 * terminal where nobody asked for logs (a worker started by hand, or by a daemon in the
 * foreground): there, warnings as sentences.
 */
function workerLogger(config: Config, line: StatusLine): Logger {
  if (!line.terminal || logsRequested()) {
    return createLogger({ level: config.logLevel, file: config.logFile, name: "worker" });
  }
  return createConsoleLogger({ config, name: "worker", line, style: createStyle(true) });
}

export async function main(args: string[], config: Config): Promise<number> {
  let concurrency: number;
  try {
    concurrency = parseWorkerArgs(args).concurrency ?? config.concurrency;
  } catch (err) {
    process.stderr.write(usageError("worker", errorMessage(err)));
    return 2;
  }
  const { leaseMs, pollMs, graceMs } = config;
  const line = createStatusLine(process.stderr);
  const log = workerLogger(config, line);
  // The supervisor names its workers, so it can hand a dead one's jobs back by that name.
  const workerId = process.env.PODCAST_MCP_WORKER_ID?.trim() || undefined;
  // A person who started this worker on a terminal sees it start and stop; a daemon's workers are
  // the daemon's business (it says what it runs) and print only warnings.
  const say = (text: string) => line.terminal && !workerId && !logsRequested() && line.print(text);
  const stopRequested = stopSignal();
  // Started beside (or before) its DB host, a worker waits for it rather than failing at once.
  const db = await connectFromConfig(config, { waitMs: 60_000 });
  await migrate(db, MIGRATIONS);
  const registry = await buildHandlers({ db, config, log });
  const worker = new Worker({ db, registry, concurrency, leaseMs, pollMs, log, ...(workerId ? { workerId } : {}) });
  await worker.start();
  say(`worker: running up to ${concurrency} job${concurrency === 1 ? "" : "s"} at once; Ctrl-C stops it`);
  // A supervised worker leaves when it has had nothing to do for a while (its daemon starts it again
  // when work arrives): an idle daemon holds no worker memory. Standalone workers stay.
  const idleMs = Number(process.env.PODCAST_MCP_WORKER_IDLE_MS ?? 0);
  const why = await Promise.race([
    stopRequested.then(() => "stop" as const),
    idleMs > 0 ? worker.idleFor(idleMs).then(() => "idle" as const) : new Promise<never>(() => {}),
  ]);
  log.info(
    { graceMs, why },
    why === "idle" ? "idle: leaving until work arrives" : "stopping: no new claims; finishing running jobs",
  );
  // With the database gone (a dead DB host), the final writes can wait forever: leave anyway after
  // the grace period; the leases of any jobs still held expire and other workers take them back.
  setTimeout(() => {
    log.warn("could not hand jobs back in time (database unreachable?); exiting, their leases will expire");
    process.exit(0);
  }, graceMs + 5_000).unref();
  const grace = formatSeconds(graceMs / 1000);
  if (why === "stop") say(`worker: stopping; running jobs have ${grace} to finish, or go back to the queue`);
  await worker.stop(graceMs);
  say("worker: stopped");
  await db.close().catch(() => undefined);
  if (process.connected) process.disconnect();
  return 0;
}
