// Logging: pino to stderr (fd 2) or to a file. Never stdout: that belongs to the stdio transport.
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(opts: { level?: string; file?: string; name?: string } = {}): Logger {
  const dest = opts.file ? pino.destination({ dest: opts.file, mkdir: true, sync: false }) : pino.destination({ fd: 2, sync: true });
  return pino({ level: opts.level ?? "info", name: opts.name ?? "podcast-mcp", base: { pid: process.pid } }, dest);
}

/** A logger that drops everything: for library use and tests that do not care. */
export const silentLogger: Logger = pino({ level: "silent" });
