// What a command is: a name, a zod schema for its args, a retry policy and a handler.
// The queue validates args with the schema at submit time; the worker runs the handler.
import type { z } from "zod";
import type { Logger } from "../log.js";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 };

export interface JobContext {
  jobId: string;
  /** 1 for the first run, counted at claim time (a run lost to a dead worker counts too). */
  attempt: number;
  /** Fires when the job is canceled or the worker lost its lease or is shutting down. */
  signal: AbortSignal;
  /** fraction in [0, 1]; written to the job at most a few times a second. */
  progress(fraction: number, stage: string, message?: string): void;
  log: Logger;
}

export interface CommandDef<I = unknown, R = unknown> {
  name: string;
  input: z.ZodType<I>;
  retry?: Partial<RetryPolicy>;
  handler(args: I, ctx: JobContext): Promise<R>;
}

export function defineCommand<I, R>(def: CommandDef<I, R>): CommandDef<I, R> {
  return def;
}

export function retryPolicyOf(def: Pick<CommandDef, "retry">): RetryPolicy {
  return { ...DEFAULT_RETRY, ...def.retry };
}

export class CommandRegistry {
  readonly #defs = new Map<string, CommandDef>();

  register<I, R>(def: CommandDef<I, R>): this {
    if (this.#defs.has(def.name)) throw new Error(`command already registered: ${def.name}`);
    this.#defs.set(def.name, def as unknown as CommandDef);
    return this;
  }

  get(name: string): CommandDef | undefined {
    return this.#defs.get(name);
  }

  names(): string[] {
    return [...this.#defs.keys()].sort();
  }
}
