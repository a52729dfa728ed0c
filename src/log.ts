// Logging: pino to stderr (fd 2) or to a file. Never stdout: that belongs to the stdio transport.
// A log line that cannot be written is dropped, never thrown: measured, with stderr on a full disk
// (fd 2 → /dev/full) pino's synchronous destination threw ENOSPC out of `log.warn(…)` into whatever
// called it (in the DB host, a request handler, whose rejection then killed the process).
import { writeSync } from "node:fs";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** stderr, synchronously (lines are not lost when the process exits), and never throwing. */
const stderr: DestinationStream = {
  write(line: string) {
    try {
      writeSync(2, line);
    } catch {
      // the disk is full or the pipe closed: nothing better to do with the line
    }
  },
};

export function createLogger(opts: { level?: string; file?: string | undefined; name?: string } = {}): Logger {
  let dest: DestinationStream = stderr;
  if (opts.file) {
    const file = pino.destination({ dest: opts.file, mkdir: true, sync: false });
    // An asynchronous destination reports write errors as events: without a listener they would crash.
    file.on("error", () => undefined);
    dest = file;
  }
  return pino({ level: opts.level ?? "info", name: opts.name ?? "podcast-mcp", base: { pid: process.pid } }, dest);
}

/** A logger that drops everything: for library use and tests that do not care. */
export const silentLogger: Logger = pino({ level: "silent" });
