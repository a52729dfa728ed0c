// `podcast-mcp daemon [--workers N]`: local DB host + N supervised workers, until SIGTERM/SIGINT,
// until it has been idle for PODCAST_MCP_IDLE_EXIT (exit 0), or until its DB host needs a restart
// (exit 75, EX_TEMPFAIL: the server that watches it starts a new one). Prints nothing on stdout.
import type { Config } from "../config.js";
import { createLogger } from "../log.js";
import { intFlag } from "./cli.js";
import { startDaemon } from "./daemon.js";
import { stopSignal } from "./stop-signal.js";

/** EX_TEMPFAIL: stopped on purpose, to be started again. */
export const EXIT_RESTART = 75;

export async function main(args: string[], config: Config): Promise<number> {
  const log = createLogger({ level: config.logLevel, ...(config.logFile ? { file: config.logFile } : {}), name: "daemon" });
  let workers: number, graceMs: number;
  try {
    workers = intFlag(args, "--workers", 0, 64) ?? config.workers;
    graceMs = config.graceMs;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const stopRequested = stopSignal().then(() => undefined);
  const daemon = await startDaemon({ config, workers, log, graceMs });
  const why = await Promise.race([stopRequested, daemon.ended]);
  if (why?.kind === "restart") log.warn({ reason: why.reason }, "the DB host needs a restart; stopping so a new daemon starts");
  await daemon.stop();
  const code = why?.kind === "restart" ? EXIT_RESTART : 0;
  // Measured: once an index was defined, the embedded engine keeps the process alive after it was
  // freed (no JS handle is left). Everything is stopped and flushed here, so leave explicitly.
  setTimeout(() => process.exit(code), 200).unref();
  return code;
}
