// `main(args, config)`: the local DB host in the foreground until SIGTERM/SIGINT. The daemon
// (src/worker) calls startDbHost itself; this entry is for tests and for running the host alone.
// Args: [--port N] [--help]; bad ones exit 2. Exits 75 (EX_TEMPFAIL) when the host asks to be
// restarted (a disk that was full has room again), so whatever started it starts it again.
import type { Config } from "../config.js";
import { parseFlags, wantsHelp, wholeNumber } from "../cli/args.js";
import { commandHelp, usageError } from "../cli/usage.js";
import { errorMessage } from "../errors.js";
import { createLogger } from "../log.js";
import { startDbHost } from "./host.js";

/** EX_TEMPFAIL: stopped on purpose, to be started again. */
export const EXIT_RESTART = 75;

/** The entry's arguments; throws invalid_input. */
export function parseHostArgs(args: string[]): { port: number | undefined } {
  const { values } = parseFlags("db-host", args, { port: { type: "string" } });
  return { port: wholeNumber("--port", values.port, 0, 65535) };
}

export async function main(args: string[], config: Config): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(commandHelp("db-host"));
    return 0;
  }
  let port: number | undefined;
  try {
    port = parseHostArgs(args).port;
  } catch (err) {
    process.stderr.write(usageError("db-host", errorMessage(err)));
    return 2;
  }
  const log = createLogger({
    level: config.logLevel,
    ...(config.logFile ? { file: config.logFile } : {}),
    name: "db-host",
  });
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
