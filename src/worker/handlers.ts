// The commands one worker process can run: each definition with its handler. Built by the worker's
// entry (src/worker/cli.ts); producers never see this, only the definitions.
import { CommandRegistry, type CommandDefinition, type CommandHandler } from "../queue/command.js";

export interface Runnable {
  definition: CommandDefinition;
  handler: CommandHandler;
}

export class HandlerRegistry {
  readonly #entries = new Map<string, Runnable>();

  register<I, R>(definition: CommandDefinition<I>, handler: CommandHandler<I, R>): this {
    if (this.#entries.has(definition.name)) throw new Error(`command already registered: ${definition.name}`);
    this.#entries.set(definition.name, {
      definition: definition as CommandDefinition,
      handler: handler as CommandHandler,
    });
    return this;
  }

  get(name: string): Runnable | undefined {
    return this.#entries.get(name);
  }

  names(): string[] {
    return [...this.#entries.keys()].sort();
  }

  /** The definitions alone, for a Queue in the same process (tests, the generate CLI). */
  definitions(): CommandRegistry {
    return new CommandRegistry([...this.#entries.values()].map((e) => e.definition));
  }
}
