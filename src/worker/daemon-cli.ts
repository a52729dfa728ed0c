// `podcast-mcp daemon [--workers N]`: local DB host + N supervised workers, until SIGTERM/SIGINT.
// Prints nothing on stdout.
import type { Config } from "../config.js";
import { createLogger } from "../log.js";
import { intFlag } from "./cli.js";
import { startDaemon } from "./daemon.js";
import { stopSignal } from "./stop-signal.js";

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
  const stopRequested = stopSignal();
  const daemon = await startDaemon({ config, workers, log, graceMs });
  await stopRequested;
  await daemon.stop();
  // Measured: once an index was defined, the embedded engine keeps the process alive after it was
  // freed (no JS handle is left). Everything is stopped and flushed here, so leave explicitly.
  setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
  return 0;
}
