// The commands a worker process runs: the podcast domain's, and, only in tests, the queue's test
// commands (PODCAST_MCP_TEST_COMMANDS=1 with the dev build, which has src/testing; the production
// build leaves it out).
import type { Config } from "../config.js";
import type { Db } from "../db/connect.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { generatePodcastHandler } from "../maker/handler.js";
import { generatePodcastCommand } from "../podcasts/commands.js";
import type { CommandDefinition, CommandHandler } from "../queue/command.js";
import { HandlerRegistry } from "./handlers.js";

/** The shape of src/testing/commands.ts, written here so the production build never pulls it in. */
interface TestCommandsModule {
  testHandlers(deps: { db: Db; dataDir: string }): Array<[CommandDefinition, CommandHandler]>;
}

export async function buildHandlers(
  deps: { db: Db; config: Config; log: Logger },
  env: NodeJS.ProcessEnv = process.env,
): Promise<HandlerRegistry> {
  const registry = new HandlerRegistry().register(generatePodcastCommand, generatePodcastHandler(deps));
  if (env.PODCAST_MCP_TEST_COMMANDS === "1") {
    // A variable, so tsc does not resolve (and the production build does not need) the module.
    const testing = "../testing/commands.js";
    const mod = (await import(testing).catch((err: unknown) => {
      throw new AppError("internal", "PODCAST_MCP_TEST_COMMANDS=1 needs the dev build (npm run build:dev)", {
        cause: err,
      });
    })) as TestCommandsModule;
    for (const [definition, handler] of mod.testHandlers({ db: deps.db, dataDir: deps.config.dataDir }))
      registry.register(definition, handler);
  }
  return registry;
}
