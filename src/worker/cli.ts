// `podcast-mcp worker [--concurrency N]`: connects (SURREAL_URL or the local DB host), applies
// migrations, runs jobs. SIGTERM/SIGINT: stop claiming, finish or release running jobs within the
// grace period, exit 0.
// Env (beyond config): PODCAST_MCP_LEASE_MS, PODCAST_MCP_POLL_MS, PODCAST_MCP_GRACE_MS.
import type { Config } from "../config.js";
import { connectFromConfig, migrate } from "../db/index.js";
import { invalidInput } from "../errors.js";
import { createLogger } from "../log.js";
import { MIGRATIONS } from "../schema.js";
import { buildHandlers } from "./build-handlers.js";
import { Worker } from "./worker.js";
import { stopSignal } from "./stop-signal.js";

export function intFlag(args: string[], flag: string, min: number, max: number): number | undefined {
  const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  const raw = args[i]!.includes("=") ? args[i]!.slice(flag.length + 1) : args[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw invalidInput(flag, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw ?? null)})`);
  return n;
}


export async function main(args: string[], config: Config): Promise<number> {
  const log = createLogger({ level: config.logLevel, ...(config.logFile ? { file: config.logFile } : {}), name: "worker" });
  let concurrency: number, leaseMs: number, pollMs: number, graceMs: number;
  try {
    concurrency = intFlag(args, "--concurrency", 1, 64) ?? config.concurrency;
    leaseMs = config.leaseMs;
    pollMs = config.pollMs;
    graceMs = config.graceMs;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const stopRequested = stopSignal();
  // Started beside (or before) its DB host, a worker waits for it rather than failing at once.
  const db = await connectFromConfig(config, { waitMs: 60_000 });
  await migrate(db, MIGRATIONS);
  // The supervisor names its workers, so it can hand a dead one's jobs back by that name.
  const workerId = process.env.PODCAST_MCP_WORKER_ID?.trim() || undefined;
  const registry = await buildHandlers({ db, config, log });
  const worker = new Worker({ db, registry, concurrency, leaseMs, pollMs, log, ...(workerId ? { workerId } : {}) });
  await worker.start();
  // A supervised worker leaves when it has had nothing to do for a while (its daemon starts it again
  // when work arrives): an idle daemon holds no worker memory. Standalone workers stay.
  const idleMs = Number(process.env.PODCAST_MCP_WORKER_IDLE_MS ?? 0);
  const why = await Promise.race([stopRequested.then(() => "stop" as const), idleMs > 0 ? worker.idleFor(idleMs).then(() => "idle" as const) : new Promise<never>(() => {})]);
  log.info({ graceMs, why }, why === "idle" ? "idle: leaving until work arrives" : "stopping: no new claims; finishing running jobs");
  // With the database gone (a dead DB host), the final writes can wait forever: leave anyway after
  // the grace period; the leases of any jobs still held expire and other workers take them back.
  setTimeout(() => {
    log.warn("could not hand jobs back in time (database unreachable?); exiting, their leases will expire");
    process.exit(0);
  }, graceMs + 5_000).unref();
  await worker.stop(graceMs);
  await db.close().catch(() => undefined);
  if (process.connected) process.disconnect();
  return 0;
}
