// `main(args, config)`: the local DB host in the foreground until SIGTERM/SIGINT. The daemon
// (src/worker) calls startDbHost itself; this entry is for tests and for running the host alone.
// Args: [--port N]. Exits 75 (EX_TEMPFAIL) when the host asks to be restarted (a disk that was full
// has room again), so whatever started it starts it again.
import type { Config } from "../config.js";
import { invalidInput } from "../errors.js";
import { createLogger } from "../log.js";
import { startDbHost } from "./host.js";

/** EX_TEMPFAIL: stopped on purpose, to be started again. */
export const EXIT_RESTART = 75;

function parsePort(args: string[]): number | undefined {
  const i = args.findIndex((a) => a === "--port" || a.startsWith("--port="));
  if (i < 0) return undefined;
  const raw = args[i]!.includes("=") ? args[i]!.slice("--port=".length) : args[i + 1];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidInput("--port", `must be a whole number from 0 to 65535 (got ${JSON.stringify(raw ?? null)})`);
  return port;
}

export async function main(args: string[], config: Config): Promise<number> {
  const log = createLogger({ level: config.logLevel, ...(config.logFile ? { file: config.logFile } : {}), name: "db-host" });
  const port = parsePort(args);
  let restart: (reason: string) => void = () => {};
  const restartNeeded = new Promise<string>((resolve) => (restart = resolve));
  const host = await startDbHost({
    dataDir: config.dataDir,
    log,
    onRestartNeeded: (reason) => restart(reason),
    ...(port !== undefined ? { port } : {}),
  });
  const why = await Promise.race([
    restartNeeded,
    new Promise<undefined>((resolve) => {
      process.once("SIGTERM", () => resolve(undefined));
      process.once("SIGINT", () => resolve(undefined));
    }),
  ]);
  await host.stop();
  const code = why === undefined ? 0 : EXIT_RESTART;
  // Measured: once an index was defined, the embedded engine keeps the process alive after it was
  // freed (no JS handle is left). Everything is stopped and flushed here, so leave explicitly.
  setTimeout(() => process.exit(code), 200).unref();
  return code;
}
