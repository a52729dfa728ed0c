// Real parts for the domain tests: an embedded SurrealDB (mem:// or rocksdb:// in a temp dir)
// with every migration, the real queue, and the service over them. No provider keys: the
// built-in writer and voices do the work.
import { afterAll, beforeAll } from "vitest";
import { loadConfig, type Config } from "../../src/config.js";
import { connect, migrate, type Db } from "../../src/db/index.js";
import { silentLogger } from "../../src/log.js";
import { CommandRegistry, Queue } from "../../src/queue/index.js";
import { MIGRATIONS } from "../../src/schema.js";
import { generatePodcastHandler } from "../../src/maker/handler.js";
import { generatePodcastCommand, PODCAST_COMMANDS } from "../../src/podcasts/commands.js";
import { HandlerRegistry } from "../../src/worker/handlers.js";
import { createProviders, createVoiceCheck } from "../../src/providers/index.js";
import { PodcastService } from "../../src/podcasts/service.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

export interface Setup {
  db: Db;
  config: Config;
  registry: CommandRegistry;
  /** What a worker in this process runs: the podcast commands with their handlers. */
  handlers: HandlerRegistry;
  queue: Queue;
  service: PodcastService;
}

let counter = 0;

export async function setup(dataDir: string, url = "mem://", env: Record<string, string> = {}): Promise<Setup> {
  const config = loadConfig({ LOG_LEVEL: "silent", ...env }, { dataDir });
  // A database per setup: mem:// stores are per process, so name them apart.
  const db = await connect({ url, namespace: "test", database: `db${process.pid}_${counter++}` });
  await migrate(db, MIGRATIONS);
  const registry = new CommandRegistry(PODCAST_COMMANDS);
  const queue = new Queue(db, registry);
  const checkVoices = createVoiceCheck(config, createProviders(config, silentLogger));
  const service = new PodcastService({ db, queue, config, log: silentLogger, checkVoices });
  await service.init();
  const handlers = new HandlerRegistry().register(
    generatePodcastCommand,
    generatePodcastHandler({ db, config, log: silentLogger }),
  );
  return { db, config, registry, handlers, queue, service };
}

/** One setup for a whole test file, in a fresh data dir, closed afterwards; `assign` hands it over. */
export function useSetup(assign: (s: Setup) => void): void {
  let current: Setup | undefined;
  beforeAll(async () => {
    current = await setup(tmpDataDir());
    assign(current);
  });
  afterAll(async () => {
    await current?.db.close();
    await stopAll();
  });
}

export async function count(db: Db, table: string): Promise<number> {
  const [rows] = await db
    .query<[{ n: number }[]]>("SELECT count() AS n FROM type::table($t) GROUP ALL", { t: table })
    .collect();
  return rows?.[0]?.n ?? 0;
}

/** Runs `fn` and returns the AppError it threw (fails the test if it did not throw). */
export async function caught(
  fn: () => Promise<unknown>,
): Promise<{ kind: string; message: string; field: string | undefined }> {
  try {
    await fn();
  } catch (err) {
    const e = err as { kind?: string; message: string; field?: string };
    return { kind: e.kind ?? "none", message: e.message, field: e.field };
  }
  throw new Error("expected an error, but the call succeeded");
}
