// The commands a worker runs. Built-in test commands first (used by the queue's own tests and
// benchmark); the podcast commands are added at the marked spot.
import { appendFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { generatePodcastCommand } from "../podcasts/command.js";
import type { Config } from "../config.js";
import type { Db } from "../db/connect.js";
import { AppError, type ErrorKind } from "../errors.js";
import type { Logger } from "../log.js";
import { CommandRegistry, defineCommand } from "../queue/command.js";

const abortable = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

export const noop = defineCommand({
  name: "noop",
  input: z.object({}).passthrough(),
  handler: async () => ({ ok: true }),
});

export const sleepCommand = defineCommand({
  name: "sleep",
  input: z.object({ ms: z.number().int().min(0).max(600_000) }),
  handler: async ({ ms }, ctx) => {
    const steps = Math.max(1, Math.min(20, Math.floor(ms / 50)));
    for (let i = 0; i < steps; i++) {
      await abortable(ms / steps, ctx.signal);
      ctx.progress((i + 1) / steps, "sleeping", `${i + 1}/${steps}`);
    }
    return { slept: ms };
  },
});

const FAIL_KINDS = ["invalid_input", "not_found", "conflict", "provider_auth", "provider_permanent", "provider_transient", "internal"] as const;

/** Throws `kind` on the first `times` attempts (all of them when times is absent), then succeeds. */
export const fail = defineCommand({
  name: "fail",
  input: z.object({ kind: z.enum(FAIL_KINDS), message: z.string().max(2000), times: z.number().int().min(0).optional() }),
  retry: { baseDelayMs: 100, maxDelayMs: 2_000 },
  handler: async ({ kind, message, times }, ctx) => {
    if (times === undefined || ctx.attempt <= times) throw new AppError(kind as ErrorKind, message);
    return { succeeded_on_attempt: ctx.attempt };
  },
});

export function recordCommand(db: Db, dataDir: string) {
  return defineCommand({
    name: "record",
    // file: an append-only log inside the data dir (tests); without it the run goes to the run_log table.
    input: z.object({
      ms: z.number().int().min(0).max(600_000).optional(),
      file: z
        .string()
        .min(1)
        .refine((f) => path.resolve(dataDir, f).startsWith(path.resolve(dataDir) + path.sep), "must name a file inside the data dir")
        .optional(),
    }),
    handler: async ({ ms, file }, ctx) => {
      const line = { job: ctx.jobId, attempt: ctx.attempt, worker: String(process.pid) };
      if (file) await appendFile(path.resolve(dataDir, file), `${JSON.stringify(line)}\n`);
      else await db.query("CREATE run_log CONTENT $line", { line }).collect();
      if (ms) await abortable(ms, ctx.signal);
      return { ran: true };
    },
  });
}

export function buildRegistry(deps: { db: Db; config: Config; log: Logger }): CommandRegistry {
  const registry = new CommandRegistry().register(noop).register(sleepCommand).register(fail).register(recordCommand(deps.db, deps.config.dataDir));
  // ---- podcast commands ----
  registry.register(generatePodcastCommand(deps));
  return registry;
}
