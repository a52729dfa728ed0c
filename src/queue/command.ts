// What a command is, in two halves, the way graphile-worker's addJob needs no task code:
// - its definition (name, zod schema of its args, retry policy): what `submit` needs. Producers
//   (the MCP server) hold only definitions, so they load no handler code at all.
// - its handler: what the worker runs. Only worker processes register handlers (src/worker).
import type { z } from "zod";
import type { RetryPolicy } from "../core/resilience/backoff.js";
import type { Logger } from "../log.js";

/** Jobs are tried 3 times, 0.5–1 s then 1–2 s apart, unless the definition says otherwise. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 };

export interface CommandDefinition<I = unknown> {
  name: string;
  input: z.ZodType<I>;
  retry?: Partial<RetryPolicy>;
}

export function defineCommand<I>(def: CommandDefinition<I>): CommandDefinition<I> {
  return def;
}

export function retryPolicyOf(def: Pick<CommandDefinition, "retry">): RetryPolicy {
  return { ...DEFAULT_RETRY, ...def.retry };
}

/** What a handler gets besides its args. */
export interface JobContext {
  jobId: string;
  /** 1 for the first run, counted at claim time (a run lost to a dead worker counts too). */
  attempt: number;
  /** Who holds the job now: writes to other records the job owns are fenced by it (see Fence). */
  fence: Fence;
  /** Fires when the job is canceled or the worker lost its lease or is shutting down. */
  signal: AbortSignal;
  /** fraction in [0, 1]; written to the job at most a few times a second. */
  progress(fraction: number, stage: string, message?: string): void;
  log: Logger;
}

/**
 * A running job's lease, as a handler passes it to writes of its own records (an episode, its
 * checkpoints): a write that carries the fence lands only while the job is still running under this
 * owner and attempt, so a stale worker (paused past its lease, then resumed) writes nothing.
 */
export interface Fence {
  jobId: string;
  owner: string;
  attempt: number;
}

export type CommandHandler<I = unknown, R = unknown> = (args: I, ctx: JobContext) => Promise<R>;

/** The definitions a producer may submit. */
export class CommandRegistry {
  readonly #defs = new Map<string, CommandDefinition>();

  constructor(defs: CommandDefinition[] = []) {
    for (const d of defs) this.register(d);
  }

  register<I>(def: CommandDefinition<I>): this {
    if (this.#defs.has(def.name)) throw new Error(`command already registered: ${def.name}`);
    this.#defs.set(def.name, def as CommandDefinition);
    return this;
  }

  get(name: string): CommandDefinition | undefined {
    return this.#defs.get(name);
  }

  names(): string[] {
    return [...this.#defs.keys()].sort();
  }
}
