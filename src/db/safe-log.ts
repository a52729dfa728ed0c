// A logger whose calls never throw. Measured: with stderr on a full disk (fd 2 → /dev/full), pino's
// synchronous destination throws ENOSPC out of `log.warn(…)` into the caller; in the DB host that
// caller is a request handler, the rejection goes unhandled, and the host process dies — the way a
// full disk killed the daemon. A line that cannot be written is dropped instead.
import type { Logger } from "../log.js";

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

export function neverThrowing(log: Logger): Logger {
  return new Proxy(log, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== "string" || typeof value !== "function") return value;
      if (prop === "child") {
        return (...args: unknown[]) => neverThrowing((value as (...a: unknown[]) => Logger).apply(target, args));
      }
      if (!LEVELS.has(prop)) return value;
      return (...args: unknown[]) => {
        try {
          (value as (...a: unknown[]) => void).apply(target, args);
        } catch {
          // the log's disk is full or its pipe closed: nothing better to do with the line
        }
      };
    },
  });
}
