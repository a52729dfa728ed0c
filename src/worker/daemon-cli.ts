// `podcast-mcp daemon [--workers N]`: local DB host + N supervised workers, until SIGTERM/SIGINT,
// until it has been idle for PODCAST_MCP_IDLE_EXIT (exit 0), or until its DB host needs a restart
// (exit 75, EX_TEMPFAIL: the server that watches it starts a new one). Prints nothing on stdout.
//
// What it prints on stderr depends on who reads it. Started by `serve`, its stderr is daemon.log in
// the data dir: JSON logs, as before, for grep, jq and the tail that `serve` quotes when the daemon
// does not come up; the same anywhere else that is not a terminal (systemd, a pipe). In the
// foreground on a terminal, a person reads it: what runs where and how to stop it, warnings in
// words (its workers, on the same terminal, do the same), and no log lines unless asked for.
import { parseFlags, wholeNumber } from "../cli/args.js";
import { createConsoleLogger } from "../cli/plain-log.js";
import { createStatusLine, createStyle } from "../cli/terminal.js";
import { formatSeconds } from "../cli/time-left.js";
import { usageError } from "../cli/usage.js";
import { type Config, withoutCredentials } from "../config.js";
import { readHostState } from "../db/index.js";
import { AppError, errorMessage } from "../errors.js";
import { createLogger, logsRequested } from "../log.js";
import { startDaemon, type Daemon } from "./daemon.js";
import { stopSignal } from "./stop-signal.js";

/** EX_TEMPFAIL: stopped on purpose, to be started again. */
export const EXIT_RESTART = 75;

/** The command's arguments; throws invalid_input. */
export function parseDaemonArgs(args: string[]): { workers: number | undefined } {
  const { values } = parseFlags("daemon", args, { workers: { type: "string" } });
  return { workers: wholeNumber("--workers", values.workers, 0, 64) };
}

/** Where the database is, for a person: the local host's address, or SURREAL_URL without its password. */
async function databaseText(config: Config): Promise<string> {
  if (config.surrealUrl) return withoutCredentials(config.surrealUrl);
  const host = await readHostState(config.dataDir);
  return host ? `127.0.0.1:${host.port}` : "the local store";
}

export async function main(args: string[], config: Config): Promise<number> {
  let workers: number;
  try {
    workers = parseDaemonArgs(args).workers ?? config.workers;
  } catch (err) {
    process.stderr.write(usageError("daemon", errorMessage(err)));
    return 2;
  }
  const graceMs = config.graceMs;
  const line = createStatusLine(process.stderr);
  const human = line.terminal && !logsRequested();
  const style = createStyle(line.terminal);
  const log = human
    ? createConsoleLogger({ config, name: "daemon", line, style })
    : createLogger({ level: config.logLevel, file: config.logFile, name: "daemon" });
  const say = (text: string) => human && line.print(text);

  const stopRequested = stopSignal().then(() => undefined);
  if (human) line.show("daemon: starting the database and workers…");
  let daemon: Daemon;
  try {
    daemon = await startDaemon({ config, workers, log, graceMs });
  } catch (err) {
    line.clear();
    // A refusal (the store is another daemon's, the disk is full) is written for a person.
    const bug = !(err instanceof AppError) && err instanceof Error;
    const text = bug ? (err.stack ?? err.message) : errorMessage(err);
    process.stderr.write(`${style.bad("podcast-mcp daemon")}: could not start: ${text}\n`);
    return 1;
  }
  line.clear();
  const asleep = config.workerIdleExitMs > 0 ? ", started when work arrives" : "";
  const count = `${workers} worker${workers === 1 ? "" : "s"}${asleep}`;
  say(`daemon: database on ${await databaseText(config)} (data dir ${config.dataDir}), ${count}`);
  const grace = formatSeconds(graceMs / 1000);
  say(`daemon: Ctrl-C or "podcast-mcp stop" stops it; running jobs then get ${grace} to finish`);

  const why = await Promise.race([stopRequested, daemon.ended]);
  if (why?.kind === "restart")
    log.warn({ reason: why.reason }, "the DB host needs a restart; stopping so a new daemon starts");
  if (why?.kind === "idle") {
    const idle = formatSeconds(config.idleExitMs / 1000);
    say(`daemon: nothing to do for ${idle}; stopping (the next "serve" starts it again)`);
  }
  if (human) line.show("daemon: stopping; running jobs finish or go back to the queue…");
  await daemon.stop();
  line.clear();
  say("daemon: stopped");
  const code = why?.kind === "restart" ? EXIT_RESTART : 0;
  // Measured: once an index was defined, the embedded engine keeps the process alive after it was
  // freed (no JS handle is left). Everything is stopped and flushed here, so leave explicitly.
  setTimeout(() => process.exit(code), 200).unref();
  return code;
}
