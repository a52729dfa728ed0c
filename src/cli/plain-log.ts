// Logs for a person. A command run on a terminal prints no log lines unless asked (--log-level,
// LOG_LEVEL or LOG_FILE): pino's JSON, each line repeating pid and time, buried the progress. What
// a person must see anyway, warnings and errors, is printed as a sentence ("warning: …") above the
// live line. When logs are asked for on stderr they stay JSON (for grep and jq) and are printed
// through the same line, so the progress bar is not torn apart; a LOG_FILE gets JSON, and the
// terminal still gets the warnings in words.
import { pino, type DestinationStream, type Level } from "pino";
import type { Config } from "../config.js";
import { fileDestination, logsRequested, type Logger } from "../log.js";
import type { StatusLine, Style } from "./terminal.js";

/** The fields of a pino record this file reads. */
interface LogRecord {
  level?: number;
  msg?: string;
  err?: unknown;
  cause?: unknown;
  reason?: unknown;
  attempt?: unknown;
  delayMs?: unknown;
}

const WARN = 40;
const ERROR = 50;

function errText(err: unknown): string | undefined {
  if (typeof err === "string") return err;
  const message = err && typeof err === "object" ? (err as { message?: unknown }).message : undefined;
  return typeof message === "string" ? message : undefined;
}

/** A warning or error record as one sentence: `warning: <msg> (<why>): <error>`; undefined below warn. */
export function plainLogText(record: LogRecord, style?: Style): string | undefined {
  const level = record.level ?? 0;
  if (level < WARN || !record.msg) return undefined;
  const label = level >= ERROR ? (style?.bad("error") ?? "error") : (style?.warn("warning") ?? "warning");
  const why: string[] = [];
  for (const v of [record.cause, record.reason]) if (typeof v === "string" && v) why.push(v);
  if (typeof record.attempt === "number") why.push(`attempt ${record.attempt}`);
  if (typeof record.delayMs === "number") why.push(`next try in ${(record.delayMs / 1000).toFixed(1)} s`);
  const err = errText(record.err);
  return `${label}: ${record.msg}${why.length ? ` (${why.join(", ")})` : ""}${err ? `: ${err}` : ""}`;
}

/** A pino destination that prints warnings and errors as sentences through `line`. */
export function plainWarnings(
  line: StatusLine,
  style?: Style,
  skip?: (record: LogRecord) => boolean,
): DestinationStream {
  return {
    write(json: string) {
      let record: LogRecord;
      try {
        record = JSON.parse(json) as LogRecord;
      } catch {
        return;
      }
      if (skip?.(record)) return;
      const text = plainLogText(record, style);
      if (text) line.print(text);
    },
  };
}

export interface ConsoleLoggerOptions {
  config: Pick<Config, "logLevel" | "logFile">;
  name: string;
  line: StatusLine;
  style?: Style;
  /** Warnings the command reports in its own words (generate prints the error that ended the run). */
  skip?: (record: LogRecord) => boolean;
  env?: NodeJS.ProcessEnv;
}

/** The logger of a command a person runs: see the header for what goes where. */
export function createConsoleLogger(opts: ConsoleLoggerOptions): Logger {
  const streams: { level: Level; stream: DestinationStream }[] = [];
  const level = opts.config.logLevel;
  const requested = logsRequested(opts.env);
  if (requested && level !== "silent") {
    const onLine: DestinationStream = { write: (l: string) => opts.line.print(l.trimEnd()) };
    streams.push({ level, stream: opts.config.logFile ? fileDestination(opts.config.logFile) : onLine });
  }
  if (!requested || opts.config.logFile) {
    streams.push({ level: "warn", stream: plainWarnings(opts.line, opts.style, opts.skip) });
  }
  if (streams.length === 0) return pino({ level: "silent" });
  const rank = (l: Level) => pino.levels.values[l] ?? 0;
  const lowest = streams.map((s) => s.level).reduce((a, b) => (rank(b) < rank(a) ? b : a));
  return pino({ level: lowest, name: opts.name, base: { pid: process.pid } }, pino.multistream(streams));
}
