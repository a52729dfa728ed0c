// Test-only queue commands: `noop`, `sleep`, `fail`, `record`. The queue's own tests and benchmark
// use them; they are not in the production build (tsconfig.json leaves src/testing out). A worker
// process registers them only when PODCAST_MCP_TEST_COMMANDS=1 and the dev build is present.
import { appendFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { sleep } from "../core/resilience/sleep.js";
import type { Db } from "../db/connect.js";
import { AppError, type ErrorKind } from "../errors.js";
import { defineCommand, type CommandDefinition, type CommandHandler } from "../queue/command.js";

export const noop = defineCommand({ name: "noop", input: z.object({}).passthrough() });

export const sleepCommand = defineCommand({
  name: "sleep",
  input: z.object({ ms: z.number().int().min(0).max(600_000) }),
});

const FAIL_KINDS = [
  "invalid_input",
  "not_found",
  "conflict",
  "provider_auth",
  "provider_permanent",
  "provider_transient",
  "internal",
] as const;

/** Throws `kind` on the first `times` attempts (all of them when times is absent), then succeeds. */
export const fail = defineCommand({
  name: "fail",
  input: z.object({
    kind: z.enum(FAIL_KINDS),
    message: z.string().max(2000),
    times: z.number().int().min(0).optional(),
  }),
  retry: { baseDelayMs: 100, maxDelayMs: 2_000 },
});

/** No `..` segments: the handler, which knows the data dir, checks that the file is inside it. */
const noParentSegments = (f: string) => !f.split(/[\\/]/).includes("..");

/** One line per handler run: to the file when given (tests), else to the run_log table. */
export const record = defineCommand({
  name: "record",
  input: z.object({
    ms: z.number().int().min(0).max(600_000).optional(),
    file: z.string().min(1).refine(noParentSegments, "must name a file inside the data dir").optional(),
  }),
});

export const TEST_COMMANDS: CommandDefinition[] = [noop, sleepCommand, fail, record] as CommandDefinition[];

const RUN_LOG = `DEFINE TABLE IF NOT EXISTS run_log SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS job ON run_log TYPE string;
DEFINE FIELD IF NOT EXISTS attempt ON run_log TYPE int;
DEFINE FIELD IF NOT EXISTS worker ON run_log TYPE string;
DEFINE FIELD IF NOT EXISTS at ON run_log TYPE datetime DEFAULT time::now();`;

/** The run_log table the `record` command writes to (not part of the production schema). */
export async function defineRunLog(db: Db): Promise<void> {
  await db.query(RUN_LOG).collect();
}

/** A definition with its handler, typed for a registry of any commands. */
function pair<I>(definition: CommandDefinition<I>, handler: CommandHandler<I>): [CommandDefinition, CommandHandler] {
  return [definition as CommandDefinition, handler as unknown as CommandHandler];
}

/** Every test command with its handler, for a worker. */
export function testHandlers(deps: { db: Db; dataDir: string }): Array<[CommandDefinition, CommandHandler]> {
  return [
    pair(noop, async () => ({ ok: true })),
    pair(sleepCommand, async ({ ms }, ctx) => {
      const steps = Math.max(1, Math.min(20, Math.floor(ms / 50)));
      for (let i = 0; i < steps; i++) {
        await sleep(ms / steps, ctx.signal);
        ctx.progress((i + 1) / steps, "sleeping", `${i + 1}/${steps}`);
      }
      return { slept: ms };
    }),
    pair(fail, async ({ kind, message, times }, ctx) => {
      if (times === undefined || ctx.attempt <= times) throw new AppError(kind as ErrorKind, message);
      return { succeeded_on_attempt: ctx.attempt };
    }),
    pair(record, async ({ ms, file }, ctx) => {
      const line = { job: ctx.jobId, attempt: ctx.attempt, worker: String(process.pid) };
      if (file) {
        const target = path.resolve(deps.dataDir, file);
        if (!target.startsWith(path.resolve(deps.dataDir) + path.sep))
          throw new AppError("invalid_input", "args.file: must name a file inside the data dir");
        await appendFile(target, `${JSON.stringify(line)}\n`);
      } else {
        await defineRunLog(deps.db);
        await deps.db.query("CREATE run_log CONTENT $line", { line }).collect();
      }
      if (ms) await sleep(ms, ctx.signal);
      return { ran: true };
    }),
  ];
}
