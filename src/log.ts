// Logging: pino to stderr (fd 2) or to a file. Never stdout: that belongs to the stdio transport.
// A log line that cannot be written is dropped, never thrown: measured, with stderr on a full disk
// (fd 2 → /dev/full) pino's synchronous destination threw ENOSPC out of `log.warn(…)` into whatever
// called it (in the DB host, a request handler, whose rejection then killed the process).
import { writeSync } from "node:fs";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** stderr, synchronously (lines are not lost when the process exits), and never throwing. */
export const stderrDestination: DestinationStream = {
  write(line: string) {
    try {
      writeSync(2, line);
    } catch {
      // the disk is full or the pipe closed: nothing better to do with the line
    }
  },
};

/** A log file, created with its folder; a write error is dropped like one on stderr. */
export function fileDestination(file: string): DestinationStream {
  const dest = pino.destination({ dest: file, mkdir: true, sync: false });
  // An asynchronous destination reports write errors as events: without a listener they would crash.
  dest.on("error", () => undefined);
  return dest;
}

export function createLogger(opts: { level?: string; file?: string | undefined; name?: string } = {}): Logger {
  const dest = opts.file ? fileDestination(opts.file) : stderrDestination;
  return pino({ level: opts.level ?? "info", name: opts.name ?? "podcast-mcp", base: { pid: process.pid } }, dest);
}

/**
 * Whoever started the process asked for logs: LOG_LEVEL (the CLI's --log-level sets it too, so a
 * daemon's workers inherit it) or LOG_FILE. Commands a person runs on a terminal print plain words
 * instead, unless asked; the level's default ("info") alone is not a request.
 */
export function logsRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.LOG_LEVEL?.trim() || env.LOG_FILE?.trim());
}

/** A logger that drops everything: for library use and tests that do not care. */
export const silentLogger: Logger = pino({ level: "silent" });
